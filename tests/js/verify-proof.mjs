// Verifies the W3C Data Integrity proof (cryptosuite eddsa-jcs-2022) of silkcore envelopes the way
// a JavaScript platform would, sharing no code with silkcore: JCS by the `canonicalize` package,
// SHA-256 and Ed25519 by Node's own `crypto`, the public key read from the did:key (no network).
// Usage: node verify-proof.mjs DOC.json [DOC.json ...]
//   -> one JSON line per document: {file, verified, signer} or {file, verified: false, error}
//   exit status 0 when every document verifies, 1 otherwise.
import crypto from "crypto";
import fs from "fs";
import canonicalize from "canonicalize";

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(text) {
  let number = 0n;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) throw new Error(`${JSON.stringify(char)} is not a base58-btc character`);
    number = number * 58n + BigInt(digit);
  }
  const bytes = [];
  for (; number > 0n; number >>= 8n) bytes.unshift(Number(number & 0xffn));
  const zeros = text.length - text.replace(/^1+/, "").length;
  return Buffer.from([...new Array(zeros).fill(0), ...bytes]);
}

function publicKeyOf(verificationMethod) {
  const [did, fragment] = String(verificationMethod).split("#");
  if (!did.startsWith("did:key:z")) throw new Error("the verification method is not a did:key");
  if (fragment !== did.slice("did:key:".length)) throw new Error("the did:key fragment is not its own key");
  const multikey = base58btc(did.slice("did:key:z".length));
  if (multikey.length !== 34 || multikey[0] !== 0xed || multikey[1] !== 0x01) throw new Error("not an Ed25519 did:key");
  const x = multikey.subarray(2).toString("base64url");
  return { did, key: crypto.createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" }) };
}

const sha256 = (text) => crypto.createHash("sha256").update(text, "utf8").digest();

function verify(secured) {
  const { proof, ...unsecured } = secured;
  if (proof === undefined) throw new Error("no proof: the document is not signed");
  const { proofValue, ...config } = proof;
  if (config.type !== "DataIntegrityProof" || config.cryptosuite !== "eddsa-jcs-2022") throw new Error("not an eddsa-jcs-2022 proof");
  if (config["@context"] !== undefined) {
    // W3C verification algorithm: the document's @context must begin with the proof's, and is replaced by it.
    const own = [].concat(unsecured["@context"] ?? []);
    const wanted = [].concat(config["@context"]);
    if (wanted.some((value, i) => JSON.stringify(value) !== JSON.stringify(own[i]))) throw new Error("@context mismatch");
    unsecured["@context"] = config["@context"];
  }
  if (typeof proofValue !== "string" || !proofValue.startsWith("z")) throw new Error("proofValue is not base58-btc multibase");
  const { did, key } = publicKeyOf(config.verificationMethod);
  const hashData = Buffer.concat([sha256(canonicalize(config)), sha256(canonicalize(unsecured))]);
  if (!crypto.verify(null, hashData, key, base58btc(proofValue.slice(1)))) throw new Error("the signature does not verify");
  return did;
}

let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    const signer = verify(JSON.parse(fs.readFileSync(file, "utf8")));
    console.log(JSON.stringify({ file, verified: true, signer }));
  } catch (error) {
    failed++;
    console.log(JSON.stringify({ file, verified: false, error: error.message }));
  }
}
process.exit(failed ? 1 : 0);
