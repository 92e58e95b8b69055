// Sketch: validate silkcore documents with Ajv (npm install ajv ajv-formats).
import fs from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const file of fs.readdirSync("schemas")) {
  ajv.addSchema(JSON.parse(fs.readFileSync(`schemas/${file}`, "utf8")));
}

const BASE = "https://w3id.org/silkcore/schemas/";
for (const path of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(path, "utf8"));
  const validate = ajv.getSchema(BASE + doc.schema);   // the schema the document names
  if (!validate) { console.log(`${path}: unknown schema ${doc.schema}`); continue; }
  if (validate(doc)) console.log(`${path}: valid`);
  else for (const e of validate.errors) console.log(`${path}: at ${e.instancePath || "/"}: ${e.message}`);
}
