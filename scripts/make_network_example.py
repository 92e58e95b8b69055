"""Generate examples/network/: twelve fictional member organisations of an SSE network.

Each gets a Tool 2 response set (retrospective) and a few flows, drawn with a fixed seed so
the files are reproducible. The organisations are invented; no real organisation is meant.
Run: ``python scripts/make_network_example.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "examples" / "network"
GRID = yaml.safe_load((ROOT / "plugins" / "silk_evaluation_grid" / "evaluation_grid.yaml").read_text())
FAMILIES = ["cooperative", "association", "social_enterprise", "mutual"]
PARTNER_COUNTRIES = ["FR", "PT", "MA", "MX", "IT", "SN"]
KINDS = ["goods", "services", "finance", "intangible"]


def options(item: dict) -> list:
    if "options" in item:
        return [o["value"] for o in item["options"]]
    if "scale" in item:
        return [o["value"] for o in next(s for s in GRID["scales"] if s["id"] == item["scale"])["options"]]
    return [True, False]


def answer(item: dict, rng: random.Random, tendency: float) -> dict:
    if rng.random() < 0.08:
        return {"item_id": item["id"], "status": rng.choice(["unknown", "not_applicable"])}
    kind = item["kind"]
    if kind in ("percentage", "number", "duration"):
        return {"item_id": item["id"], "value": rng.randint(1, 40 if kind != "duration" else 30)}
    values = options(item)
    if kind == "multi_choice":
        return {"item_id": item["id"], "value": rng.sample(values, rng.randint(1, len(values)))}
    # lean towards one end of the list by the organisation's tendency
    index = min(len(values) - 1, max(0, round(rng.gauss(tendency * (len(values) - 1), 1))))
    return {"item_id": item["id"], "value": values[index]}


def main() -> None:
    rng = random.Random(20261128)
    (OUT / "response_sets").mkdir(parents=True, exist_ok=True)
    flows = []
    for number in range(1, 13):
        org_id = f"urn:silk:org:example:network-member-{number:02d}"
        name = f"Network member {number:02d} (fictional)"
        subject = {"org_id": org_id, "name": name, "country": "ES"}
        tendency = rng.uniform(0.2, 0.8)
        responses = [answer(item, rng, tendency) for item in GRID["items"]]
        document = {
            "schema": "silkcore_response_set-v1.0.0",
            "response_set_id": f"urn:silk:response-set:example:network-member-{number:02d}",
            "framework_id": "silk.evaluation-grid",
            "framework_version": "1.0.0",
            "subject": subject,
            "mode": "retrospective",
            "respondent": {"role": "management"},
            "illustrative": True,
            "note": "Generated example (scripts/make_network_example.py): a fictional member of a fictional network.",
            "responses": responses,
        }
        (OUT / "response_sets" / f"member-{number:02d}.json").write_text(
            json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        )
        for index in range(rng.randint(2, 4)):
            kind = rng.choice(KINDS)
            partner = {"org_id": f"urn:silk:org:example:partner-{number:02d}-{index}", "country": rng.choice(PARTNER_COUNTRIES)}
            me = {"org_id": org_id, "country": "ES"}
            outward = rng.random() < 0.72  # the network mostly exports
            flow = {
                "schema": "silkcore_flow-v1.0.0",
                "flow_id": f"urn:silk:flow:example:m{number:02d}-{index}",
                "status": "observed",
                "kind": kind,
                "provider": me if outward else partner,
                "receiver": partner if outward else me,
                "period": {"start": "2025-01-01", "end": "2025-12-31"},
            }
            if kind == "intangible":
                flow["intangible_type"] = rng.choice(["knowledge", "skills", "business_model", "brand"])
            if kind in ("goods", "finance", "services"):
                flow["amount"] = {"amount": f"{rng.randint(5, 400) * 1000}.00", "currency": "EUR"}
            flows.append(flow)
    with (OUT / "flows.jsonl").open("w") as handle:
        for flow in flows:
            handle.write(json.dumps(flow, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
