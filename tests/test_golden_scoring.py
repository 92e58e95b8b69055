"""Score cards and flow scores byte-identical to the recorded ones (tests/golden).

A few hundred response sets (every item kind, not applicable and unknown answers, skipped
answers, conditions, several respondents, six frameworks and three scoring policies; some the
check refuses) and six hundred flow lines (some refused by the strict reader, the schema or
the direction check), drawn with fixed seeds by the benchmark generators and recorded by
tests/golden/make_golden.py: ``silk batch score`` must write the same bytes, and the API's
``assess`` must give the same score cards, as when they were recorded.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from silkcore import assess, build_catalog
from silkcore._documents import load_document, to_document
from silkcore._errors import SilkError
from silkcore._jsonio import dumps

from .conftest import run_silk

GOLDEN = Path(__file__).resolve().parent / "golden"
MANIFEST: dict[str, Any] = json.loads((GOLDEN / "manifest.json").read_text(encoding="utf-8"))
RESPONSES = {entry["name"]: entry for entry in MANIFEST["responses"]}


def read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def _first_difference(got: str, expected: str) -> str:
    for number, (a, b) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False), 1):
        if a != b:
            return f"line {number} differs:\n got      {a[:2000]}\n expected {b[:2000]}"
    return f"{len(got.splitlines())} lines written, {len(expected.splitlines())} expected"


def _same(got: str, expected: str) -> None:
    if got != expected:
        pytest.fail(_first_difference(got, expected))


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_batch_score_cards_are_unchanged(name: str, tmp_path: Path) -> None:
    entry = RESPONSES[name]
    out = tmp_path / "out.jsonl"
    result = run_silk("batch", "score", str(GOLDEN / f"{name}.in.jsonl.gz"), "--framework", entry["framework"], "-o", str(out))
    assert result.returncode in (0, 3), result.stderr
    assert entry["said"] in result.stderr.splitlines(), result.stderr
    _same(out.read_text(encoding="utf-8"), read_gz(GOLDEN / f"{name}.batch.jsonl.gz"))


def test_batch_flow_scores_and_totals_are_unchanged(tmp_path: Path) -> None:
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    result = run_silk("batch", "score", str(GOLDEN / "flows.in.jsonl.gz"), "-o", str(out), "--summary", str(summary))
    assert result.returncode == 3, result.stderr
    assert MANIFEST["flows"]["said"] in result.stderr
    _same(out.read_text(encoding="utf-8"), read_gz(GOLDEN / "flows.batch.jsonl.gz"))
    assert summary.read_bytes() == (GOLDEN / "flows.summary.json").read_bytes()


def test_batch_with_two_workers_writes_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    source = GOLDEN / "evaluation-grid.in.jsonl.gz"
    result = run_silk("batch", "score", str(source), "--framework", "silk.evaluation-grid", "--workers", "2", "-o", str(out))
    assert result.returncode == 3, result.stderr
    _same(out.read_text(encoding="utf-8"), read_gz(GOLDEN / "evaluation-grid.batch.jsonl.gz"))


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_api_assess_gives_the_same_cards_for_one_or_several_respondents(name: str) -> None:
    entry = RESPONSES[name]
    catalog = build_catalog()
    framework = catalog.resolve_framework(entry["framework"])
    lines = read_gz(GOLDEN / f"{name}.in.jsonl.gz").splitlines()
    written = []
    for group in entry["groups"]:
        sets: Any = [load_document(lines[i].encode()) for i in group]
        try:
            card = assess(framework, sets if len(sets) > 1 else sets[0], catalog=catalog)
            written.append(dumps(to_document(card), indent=None))
        except SilkError as exc:
            written.append(json.dumps({"error": str(exc)}))
    _same("".join(line + "\n" for line in written), read_gz(GOLDEN / f"{name}.api.jsonl.gz"))


def test_cli_assess_prints_the_api_card(tmp_path: Path) -> None:
    entry = RESPONSES["all-kinds"]
    lines = read_gz(GOLDEN / "all-kinds.in.jsonl.gz").splitlines()
    expected = read_gz(GOLDEN / "all-kinds.api.jsonl.gz").splitlines()
    several = next(i for i, group in enumerate(entry["groups"]) if len(group) > 2)
    paths = []
    for n, index in enumerate(entry["groups"][several]):
        path = tmp_path / f"set{n}.json"
        path.write_text(lines[index], encoding="utf-8")
        paths.append(str(path))
    result = run_silk("assess", "--framework", entry["framework"], "--json", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected[several] + "\n"


def test_a_plugins_own_scorer_gets_the_typed_response_set_in_a_batch() -> None:
    """The batch scores response sets from their documents with the generic scorer; a plugin's
    own scorer still receives ResponseSet entities, and its card is written."""
    from silkcore import ResponseSet, hookimpl
    from silkcore._batch import LineProcessor
    from silkcore._scoring import GenericScorer
    from silkcore.testing import catalog_with

    framework = build_catalog().resolve_framework(RESPONSES["all-kinds"]["framework"])
    received: list[Any] = []

    class Own:
        framework_id = framework.id

        def score(self, framework: Any, response_sets: Any) -> Any:
            received.extend(response_sets)
            return GenericScorer().score(framework, response_sets)

    class Plugin:
        @hookimpl
        def silk_register_frameworks(self, register: Any) -> None:
            register(framework)

        @hookimpl
        def silk_register_scorers(self, register: Any) -> None:
            register(Own())

    lines = read_gz(GOLDEN / "all-kinds.in.jsonl.gz").splitlines()
    expected = read_gz(GOLDEN / "all-kinds.batch.jsonl.gz").splitlines()
    process = LineProcessor("score", catalog=catalog_with(Plugin()))
    for number, (line, want) in enumerate(zip(lines, expected, strict=True), 1):
        assert dumps(process(number, line.encode()), indent=None) == want
    assert received and all(isinstance(rs, ResponseSet) for rs in received)


def test_a_list_given_for_one_option_is_quoted_as_the_entity_holds_it() -> None:
    """The check reads answers from the document; a list is quoted as the tuple the entity holds,
    whether the batch asks for the entity or not."""
    from silkcore._documents import check

    catalog = build_catalog()
    framework = catalog.framework("silk.evaluation-grid")
    item = next(i for i in framework.items if i.kind.value == "scale")
    doc = json.loads((GOLDEN.parents[1] / "examples" / "demo" / "response_sets" / "evaluation-grid-board.json").read_text())
    doc["responses"] = [{"item_id": item.id, "value": ["a", 7]}]
    options = [o.value for o in framework.options_of(item)]
    expected = f"item {item.id}: ('a', 7) is not one of the options {options!r}"
    for typed in (True, False):
        entity, issues = check(dict(doc), frameworks=catalog.framework_resolver(), typed=typed)
        assert entity is None and [(i.pointer, i.message) for i in issues] == [("/responses/0/value", expected)]
