"""Write the hand-made seeds of ``fuzz/corpus`` (run from the repository root).

The seeds cover valid documents of each kind and each hostile input the strict reader must
refuse: NaN/Infinity, duplicate keys, deep nesting, huge numbers, BOM, CRLF, invalid UTF-8,
UTF-16, lone surrogates, NUL, YAML tags and aliases, over-long JSON Lines lines. The fuzzer
adds its own finds (files named by their SHA-1) beside them. Inputs that crash today live in
``tests/adversarial/test_fuzz_regressions.py`` until their fix lands, then join the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "corpus"


def seeds() -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in sorted((ROOT / "examples" / "documents").glob("*.json")):
        found[f"valid-{path.stem}"] = path.read_bytes()
    found["valid-framework-yaml"] = (ROOT / "examples" / "frameworks" / "community-energy-readiness.yaml").read_bytes()
    found["valid-organisation-demo"] = (ROOT / "examples" / "demo" / "organisation.json").read_bytes()
    found["valid-response-set"] = (ROOT / "examples" / "demo" / "response_sets" / "event-readiness-board.json").read_bytes()
    found["valid-strategies-jsonl"] = (ROOT / "examples" / "demo" / "strategies.jsonl").read_bytes()
    flow = json.loads((ROOT / "examples" / "documents" / "flow-cotton-import.json").read_text())
    compact = json.dumps(flow, separators=(",", ":")).encode()
    found["jsonl-crlf"] = compact + b"\r\n" + compact + b"\r\n"
    found["jsonl-no-final-newline"] = compact + b"\n" + compact
    found["jsonl-mixed-bad-lines"] = compact + b'\n{"a": NaN}\n\nnot json\n' + compact + b"\n"
    found["jsonl-long-line"] = b'{"a": "' + b"x" * 400 + b'"}\n{"b": 1}\n'
    found["bom"] = b"\xef\xbb\xbf" + compact
    found["bom-yaml"] = b"\xef\xbb\xbfschema: silkcore_flow-v1.0.0\n"
    found["crlf-json"] = json.dumps(flow, indent=1).replace("\n", "\r\n").encode()
    found["nan"] = b'{"a": [1, {"b": NaN}], "c": Infinity, "d": -Infinity}'
    found["overflow-float"] = b'{"x": 1e400, "y": -1e400}'
    found["duplicate-keys"] = b'{"outer": {"amount": "1", "amount": "1000000"}, "outer": 1}'
    found["deep-arrays"] = b"[" * 70 + b"]" * 70
    found["deep-objects"] = b'{"k": ' * 70 + b"1" + b"}" * 70
    found["huge-int"] = b'{"n": ' + b"9" * 30 + b"}"
    found["long-float"] = b'{"d": 1.' + b"0" * 80 + b"}"
    found["money-huge-decimal"] = compact.replace(b'"184250.00"', b'"1' + b"0" * 40 + b'"')
    found["invalid-utf8"] = b'{"a": "\xff\xfe"}'
    found["utf16"] = '{"a": 1}'.encode("utf-16")
    found["utf16-le-no-bom"] = '{"a": 1}'.encode("utf-16-le")
    found["lone-surrogate"] = b'{"a": "\\ud800", "\\udc00": 1}'
    found["nul"] = b'{"a": "x\\u0000y", "b": "raw\x00nul"}'
    found["yaml-alias"] = b"a: &x [1]\nb: *x\n"
    found["yaml-python-tag"] = b"!!python/object:os.system {}\n"
    found["yaml-quoted-date"] = b"schema: silkcore_organisation-v1.0.0\nfounding_year: '2001-01-01'\n"
    found["yaml-set"] = b"a: !!set {x}\n"
    found["yaml-nan"] = b"a: .nan\nb: .inf\n"
    found["schema-url"] = b'{"schema": "http://127.0.0.1:1/x.json", "$ref": "file:///etc/passwd"}'
    found["schema-defs"] = b'{"schema": "silkcore_defs-v1.0.0"}'
    found["empty"] = b""
    found["whitespace"] = b" \t\r\n"
    found["scalar"] = b"42"
    found["array-of-documents"] = b"[" + compact + b"]"
    return found


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for name, data in seeds().items():
        (CORPUS / f"seed-{name}").write_bytes(data)


if __name__ == "__main__":
    main()
