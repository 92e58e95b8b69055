"""Write N flow documents as JSON Lines, 1 % of them invalid, for batch benchmarks.

Run: ``python benchmarks/make_flows.py 1000000 /tmp/flows-1m.jsonl``.

:func:`varied` writes more varied lines for the golden tests (tests/golden): every kind,
status and direction, amounts and quantities, and lines the strict reader, the schema or the
direction check refuses.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


ORGS = [
    {"org_id": "urn:silk:org:demo:kapas-producers", "name": "Kapas Producers' Cooperative (fictional)", "country": "IN"},
    {"org_id": "urn:silk:org:demo:tejidos-solidarios", "name": "Tejidos Solidarios S. Coop. (fictional)", "country": "ES"},
    {"org_id": "urn:silk:org:demo:nour-textiles", "country": "MA"},
    {"org_id": "urn:silk:org:demo:solo"},
]
KINDS = ["goods", "services", "finance", "intangible"]
INTANGIBLE = ["knowledge", "skills", "business_model", "brand", "software", "licence", "values", "information"]
STRATEGIES = ["import_export", "shared_certification", "managerial_education", "knowledge_dissemination"]
# Lines each refused somewhere: by the strict reader, the schema, or the direction check.
BROKEN = [
    "not json",
    '{"schema": "silkcore_flow-v1.0.0", "kind": NaN}',
    '{"schema": "silkcore_flow-v1.0.0", "flow_id": "a", "flow_id": "b"}',
    '{"schema": "silkcore_flow-v1.0.0", "x": ' + "[" * 80 + "]" * 80 + "}",
    '{"schema": "silkcore_flow-v1.0.0", "flow_id": "a\\u0000b"}',
    '{"schema": "silkcore_flow-v1.0.0", "n": 123456789012345678901234567890}',
    '{"schema": "silkcore_flow-v1.0.0", "n": Infinity}',
    '{"schema": "silkcore_flow-v1.0.0", "s": "\\ud800"}',
    '{"schema": "silkcore_flow-v1.0.0"}',
    "[1, 2, 3]",
    '"just a string"',
]


def varied(count: int, seed: int) -> list[str]:
    """``count`` flow lines drawn with ``seed``, about one in eight refused."""
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        if rng.random() < 0.04:
            lines.append(rng.choice(BROKEN))
            continue
        provider, receiver = rng.sample(ORGS, 2)
        doc: dict[str, object] = {
            "schema": "silkcore_flow-v1.0.0",
            "flow_id": f"urn:silk:flow:golden:{index}",
            "status": rng.choice(["observed", "planned"]),
            "kind": rng.choice(KINDS),
            "provider": provider,
            "receiver": receiver,
        }
        if doc["kind"] == "intangible":
            doc["intangible_type"] = rng.choice(INTANGIBLE)
        focal = rng.random()
        if focal < 0.8:
            doc["focal_organisation"] = (provider if focal < 0.4 else receiver)["org_id"]
            if rng.random() < 0.6:
                doc["direction"] = "outward" if focal < 0.4 else "inward"
        if rng.random() < 0.7:
            doc["amount"] = {
                "amount": rng.choice(
                    ["0", "0.5", "184250.00", "-12.345678", f"{rng.randint(1, 10**9)}.{rng.randint(0, 99):02d}"]
                ),
                "currency": rng.choice(["EUR", "USD", "MAD"]),
            }
        if rng.random() < 0.3:
            doc["quantity"] = {"value": rng.choice(["62.5", "1", "0.000001"]), "unit": "tonnes"}
        if rng.random() < 0.5:
            doc["period"] = rng.choice([{"start": "2025-01-01", "end": "2025-12-31"}, {"start": "2026-03-01"}])
        if rng.random() < 0.5:
            doc["origin_country"], doc["destination_country"] = "IN", "ES"
        if rng.random() < 0.5:
            doc["strategies"] = rng.sample(STRATEGIES, rng.randint(1, 3))
        if rng.random() < 0.3:
            doc["description"] = {"en": rng.choice(["Cotton.", 'Caf\u00e9 \u2013 "fair".'])}
        fault = rng.random()
        if fault < 0.03:
            doc["kind"] = "weapons"
        elif fault < 0.05:
            doc["direction"] = "reciprocal"
        elif fault < 0.07:
            doc["focal_organisation"], doc["direction"] = "urn:silk:org:demo:elsewhere", "inward"
        elif fault < 0.08:
            doc["surplus"] = True
        lines.append(json.dumps(doc, ensure_ascii=rng.random() < 0.5))
    return lines


def main(count: int, target: Path) -> None:
    base = json.loads((ROOT / "examples" / "documents" / "flow-cotton-import.json").read_text())
    with target.open("w", encoding="utf-8") as handle:
        for index in range(count):
            doc = dict(base, flow_id=f"urn:silk:flow:bench:{index}")
            doc["amount"] = {"amount": f"{1000 + index % 9000}.50", "currency": "EUR"}
            if index % 100 == 99:
                doc["kind"] = "weapons"  # one line in a hundred is invalid
            handle.write(json.dumps(doc) + "\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
