// Parses a Mermaid file with the real mermaid library (in jsdom); exit 1 with the parser message on error.
import { JSDOM } from "jsdom";
import fs from "fs";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window; globalThis.document = dom.window.document;
globalThis.DOMPurify = undefined;
const mermaid = (await import("mermaid")).default;
const text = fs.readFileSync(process.argv[2], "utf8");
try { const r = await mermaid.parse(text); console.log("ok", JSON.stringify(r)); }
catch (e) { console.log("error", e.message); process.exit(1); }
