"""Write the golden inputs and outputs that tests/test_golden_scoring.py compares byte for byte.

Run once, on the code whose output is the reference (``.venv/bin/python tests/golden/make_golden.py``):
it draws response sets and flows with fixed seeds from the benchmark generators
(benchmarks/make_response_sets.py, benchmarks/make_flows.py), scores them with the real
``silk batch score`` and with the API's ``assess`` (several respondents consolidated), and
writes inputs and outputs as gzip files here. Regenerate only when a change of the score
card is intended, and say so in the commit.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "src"))

import make_flows  # noqa: E402
import make_response_sets  # noqa: E402

from silkcore import assess, build_catalog  # noqa: E402
from silkcore._documents import load_document, to_document  # noqa: E402
from silkcore._errors import SilkError  # noqa: E402
from silkcore._jsonio import dumps  # noqa: E402

#: (input name, framework reference given to ``--framework``, how many varied sets, seed)
RESPONSE_INPUTS: list[tuple[str, str, int, int]] = [
    ("evaluation-grid", "silk.evaluation-grid", 80, 1),
    ("flowchart", "silk.flowchart", 60, 2),
    ("indicators", "silk.indicators", 30, 3),
    ("policy-self-assessment", "silk.policy-self-assessment", 30, 4),
    ("community-energy-readiness", "examples/frameworks/community-energy-readiness.yaml", 40, 5),
    ("community-energy-guided", "examples/frameworks/community-energy-guided.yaml", 20, 6),
    ("all-kinds", "tests/golden/all-kinds.yaml", 60, 7),
    ("all-kinds-mean", "tests/golden/all-kinds-mean.yaml", 40, 8),
    ("all-kinds-minimum", "tests/golden/all-kinds-minimum.yaml", 40, 9),
]
BENCH_SETS = 40  # the first lines of the benchmark's own response sets
BENCH_FLOWS = 200
VARIED_FLOWS = 400
BASE = ROOT / "examples" / "demo" / "response_sets" / "evaluation-grid-board.json"
SUBJECTS = [
    {"org_id": "urn:silk:org:golden:one", "name": "One Cooperative", "country": "FR"},
    {"org_id": "urn:silk:org:golden:one", "name": "One Coop"},
    {"org_id": "urn:silk:org:golden:one"},
    {"org_id": "urn:silk:org:golden:two", "name": "Two \u00e9 \u2013 Two", "country": "MA"},
]


def write_gz(path: Path, text: str) -> None:
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def silk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "silkcore", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def batch(source: Path, framework: str | None, summary: Path | None = None) -> tuple[str, str]:
    """(stdout, last line of stderr) of ``silk batch score``."""
    args = ["batch", "score", str(source)]
    if framework is not None:
        args += ["--framework", framework]
    if summary is not None:
        args += ["--summary", str(summary)]
    result = silk(*args)
    return result.stdout, result.stderr.strip().splitlines()[-1 if summary is None else -2]


def response_lines(name: str, reference: str, count: int, seed: int) -> list[str]:
    catalog = build_catalog()
    framework = catalog.resolve_framework(reference)
    base = json.loads(BASE.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        doc = make_response_sets.varied(rng, framework, dict(base, subject=rng.choice(SUBJECTS)), index, wrong=0.12)
        lines.append(json.dumps(doc, ensure_ascii=rng.random() < 0.5))
    if name == "evaluation-grid":
        with tempfile.TemporaryDirectory() as tmp:
            bench = Path(tmp) / "bench.jsonl"
            make_response_sets.main(BENCH_SETS, bench)
            lines = bench.read_text(encoding="utf-8").splitlines() + lines
        # What the strict reader refuses, in a response set.
        lines += [
            lines[0].replace('"framework_id"', '"framework_id": "x", "framework_id"', 1),
            lines[0].replace('"confidence": 0.5', '"confidence": NaN', 1),
            '{"schema": "silkcore_response_set-v1.0.0"}',
        ]
    return lines


def groups(lines: list[str], outputs: list[str]) -> list[list[int]]:
    """Indices of the scored sets, in groups of one to four answering for the same organisation."""
    rng = random.Random(len(lines))
    by_subject: dict[str, list[int]] = {}
    for index, (line, out) in enumerate(zip(lines, outputs, strict=True)):
        if '"scorecard"' in out:
            by_subject.setdefault(json.loads(line)["subject"]["org_id"], []).append(index)
    chosen = []
    for indices in by_subject.values():
        while indices:
            size = rng.randint(1, 4)
            chosen.append(indices[:size])
            indices = indices[size:]
    return chosen


def api_cards(reference: str, lines: list[str], chosen: list[list[int]]) -> str:
    """The API's score card (or error) of each group of response sets, one compact line each."""
    catalog = build_catalog()
    framework = catalog.resolve_framework(reference)
    out = []
    for group in chosen:
        sets: Any = [load_document(lines[i].encode()) for i in group]
        try:
            card = assess(framework, sets if len(sets) > 1 else sets[0], catalog=catalog)
            out.append(dumps(to_document(card), indent=None))
        except SilkError as exc:
            out.append(json.dumps({"error": str(exc)}))
    return "".join(line + "\n" for line in out)


def main() -> None:
    manifest: dict[str, Any] = {"responses": [], "flows": None}
    with tempfile.TemporaryDirectory() as tmp:
        for name, reference, count, seed in RESPONSE_INPUTS:
            lines = response_lines(name, reference, count, seed)
            source = HERE / f"{name}.in.jsonl.gz"
            write_gz(source, "".join(line + "\n" for line in lines))
            stdout, said = batch(source, reference)
            write_gz(HERE / f"{name}.batch.jsonl.gz", stdout)
            chosen = groups(lines, stdout.splitlines())
            write_gz(HERE / f"{name}.api.jsonl.gz", api_cards(reference, lines, chosen))
            manifest["responses"].append({"name": name, "framework": reference, "said": said, "groups": chosen})
        flows = Path(tmp) / "flows.jsonl"
        make_flows.main(BENCH_FLOWS, flows)
        lines = flows.read_text(encoding="utf-8").splitlines() + make_flows.varied(VARIED_FLOWS, 2026)
        source = HERE / "flows.in.jsonl.gz"
        write_gz(source, "".join(line + "\n" for line in lines))
        summary = Path(tmp) / "summary.json"
        stdout, said = batch(source, None, summary)
        write_gz(HERE / "flows.batch.jsonl.gz", stdout)
        (HERE / "flows.summary.json").write_bytes(summary.read_bytes())
        manifest["flows"] = {"said": said}
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
