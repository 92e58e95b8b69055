"""Any language can check silkcore documents: every example validates with Ajv on Node.js too."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from silkcore._documents import parse_bytes
from silkcore._schemas import SchemaRegistry

from .conftest import EXAMPLES, ROOT, SCHEMAS, example_files


def example_json_documents(tmp_path: Path) -> list[Path]:
    """Every JSON example (JSON Lines split into one file per line; YAML frameworks converted)."""
    found = example_files(".json")
    found += sorted((ROOT / "plugins").glob("*/data/**/*.json"))
    for source in [*EXAMPLES.rglob("*.jsonl"), *EXAMPLES.rglob("*.yaml"), *(ROOT / "plugins").glob("*/*.yaml")]:
        if "plugin-" in str(source):
            continue
        documents = (
            [json.loads(line) for line in source.read_text().splitlines() if line.strip()]
            if source.suffix == ".jsonl"
            else [parse_bytes(source.read_bytes(), source.name)]
        )
        for index, document in enumerate(documents):
            if not isinstance(document, dict) or "schema" not in document:
                continue  # a plugin's own data file, not a silkcore document
            target = tmp_path / f"{source.stem}-{index}.json"
            target.write_text(json.dumps(document))
            found.append(target)
    return sorted(found)


def test_every_example_validates_with_ajv(node_tools: Path, tmp_path: Path) -> None:
    documents = example_json_documents(tmp_path)
    assert len(documents) > 100
    result = subprocess.run(
        ["node", "ajv-validate.mjs", str(SCHEMAS), *map(str, documents)],
        cwd=node_tools,
        capture_output=True,
        text=True,
        timeout=300,
    )
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    failures = [r for r in rows if not r["valid"]]
    assert failures == [] and result.returncode == 0, failures[:5]
    assert len(rows) == len(documents)


def test_ajv_agrees_on_invalid_documents(node_tools: Path, tmp_path: Path) -> None:
    flow = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
    bad = [dict(flow, kind="weapons"), dict(flow, evil=1), dict(flow, amount={"amount": 12.5, "currency": "EUR"})]
    paths = []
    registry = SchemaRegistry()
    for index, document in enumerate(bad):
        assert registry.validate(document), "silkcore rejects it"
        path = tmp_path / f"bad-{index}.json"
        path.write_text(json.dumps(document))
        paths.append(str(path))
    result = subprocess.run(
        ["node", "ajv-validate.mjs", str(SCHEMAS), *paths], cwd=node_tools, capture_output=True, text=True, timeout=120
    )
    assert [json.loads(line)["valid"] for line in result.stdout.splitlines()] == [False, False, False]
