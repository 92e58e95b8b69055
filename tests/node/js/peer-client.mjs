// A peer written in JavaScript, as a PHP or JS platform would be: fetch the node's schemas once,
// read a record with its bearer token, validate the envelope and its payload with Ajv (JSON Schema
// 2020-12) and check the payload's content hash.
// Usage: node peer-client.mjs NODE_MODULES_DIR NODE_URL TOKEN RECORD_ID  -> one JSON line.
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, url, token, recordId] = process.argv.slice(2);
const load = async (file) => (await import(pathToFileURL(path.join(modules, file)).href)).default;
const Ajv2020 = await load("ajv/dist/2020.js");
const addFormats = await load("ajv-formats/dist/index.js");

const get = async (route, headers = {}) => {
  const response = await fetch(url + route, { headers });
  return [response.status, await response.json()];
};

// Fetch every schema once (a real peer would pin them), keyed by name.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const ids = {};
const [, names] = await get("/schemas");
for (const name of names) {
  const [, schema] = await get(`/schemas/${encodeURIComponent(name)}`);
  ajv.addSchema(schema);
  ids[name] = schema.$id;
}

const errors = [];
const check = (document, where) => {
  const validate = ids[document.schema] && ajv.getSchema(ids[document.schema]);
  if (!validate) return errors.push(`${where}: unknown schema ${document.schema}`) && false;
  const valid = validate(document);
  if (!valid) errors.push(...validate.errors.map((e) => `${where}${e.instancePath} ${e.message}`));
  return valid;
};

// silkcore's content hash: SHA-256 of the payload's JSON with sorted keys and no spaces.
const canonical = (value) =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : value !== null && typeof value === "object"
      ? `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`
      : JSON.stringify(value);

const [status, envelope] = await get(`/documents/${encodeURIComponent(recordId)}`, { Authorization: `Bearer ${token}` });
const [anonymousStatus] = await get(`/documents/${encodeURIComponent(recordId)}`);
const result = { status, anonymous_status: anonymousStatus };
if (status === 200) {
  result.envelope_valid = check(envelope, "envelope");
  result.payload_valid = check(envelope.payload, "payload");
  const digest = "sha256:" + createHash("sha256").update(canonical(envelope.payload), "utf8").digest("hex");
  result.hash_ok = digest === envelope.provenance.content_hash;
  result.redacted = envelope.sharing.redacted_fields ?? [];
  result.payload_keys = Object.keys(envelope.payload);
}
result.errors = errors;
console.log(JSON.stringify(result));
