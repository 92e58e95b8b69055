// Validates silkcore documents with Ajv (JSON Schema 2020-12), the way a JavaScript platform would:
// load every schema once, then validate each document against the schema its "schema" key names.
// Usage: node ajv-validate.mjs SCHEMA_DIR DOC.json [DOC.json ...]  -> one JSON line per document.
import fs from "fs";
import path from "path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [schemaDir, ...docs] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const base = "https://w3id.org/silkcore/schemas/";
for (const file of fs.readdirSync(schemaDir).filter((f) => f.endsWith(".json"))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, file), "utf8")));
}
let failed = 0;
for (const file of docs) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  const validate = ajv.getSchema(base + doc.schema);
  if (!validate) {
    console.log(JSON.stringify({ file, valid: false, errors: [`unknown schema ${doc.schema}`] }));
    failed++;
    continue;
  }
  const valid = validate(doc);
  if (!valid) failed++;
  console.log(JSON.stringify({ file, valid, errors: valid ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`) }));
}
process.exit(failed ? 1 : 0);
