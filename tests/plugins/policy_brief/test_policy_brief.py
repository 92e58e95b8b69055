"""SILK Tool 6: recommendations and lessons as data, policy self-assessment, and privacy-safe briefs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from silk_cases.library import all_cases
from silk_policy_brief.brief_data import brief, policies
from silk_policy_brief.evidence import build_brief
from silkcore import assess, build_catalog, load_document

from ...conftest import EXAMPLES, ROOT, run_silk

NETWORK = EXAMPLES / "network"
MEMBERS = sorted((NETWORK / "response_sets").glob("*.json"))
SEED = ROOT.parent / "shared" / "seed" / "000_be0696e1eb364159.txt"


def test_six_recommendations_eleven_and_twelve_lessons_with_sources() -> None:
    data = json.loads(run_silk("policy", "show", "--json").stdout)
    assert [r["id"] for r in data["recommendations"]] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    assert len(data["policy_lessons"]) == 11 and len(data["strategy_lessons"]) == 12
    for entry in data["recommendations"] + data["policy_lessons"] + data["strategy_lessons"] + data["drivers"] + data["barriers"]:
        assert entry["source"]
    assert all(r.get("example_case") or r["id"] == "r6" for r in data["recommendations"])


def test_example_cases_exist_in_the_case_library() -> None:
    known = {c.case_id for c in all_cases()}
    for rec in brief()["recommendations"]:
        if rec.get("example_case"):
            assert rec["example_case"]["case_id"] in known
    for policy in policies():
        assert set(policy.cases) <= known, policy.policy_id


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_recommendation_texts_are_printed_in_the_report() -> None:
    text = SEED.read_text(encoding="utf-8")
    for rec in brief()["recommendations"]:
        first = rec["text"].split("[...]")[0].strip()[:80]
        assert first in text, rec["id"]


def test_the_five_analysed_policies_validate_as_policy_documents() -> None:
    files = sorted((ROOT / "plugins" / "silk_policy_brief" / "data" / "policies").glob("*.json"))
    assert run_silk("validate", *map(str, files)).returncode == 0
    ids = {p.policy_id for p in policies()}
    for expected in (
        "kr.koica.cts",
        "mx.inaes.rodando_juntas",
        "es_ct.accio.international_social_economy",
        "nl.impact_trade_missions",
    ):
        assert expected in ids
    assert any(i.startswith("gb_sct.") for i in ids)
    for policy in policies():
        assert policy.budget is None or policy.policy_id.startswith("ca_qc"), "budgets only where the report prints one"


@pytest.mark.parametrize("name", ["city-programme-assessment.json", "national-strategy-assessment.json"])
def test_policy_self_assessment_prints_coverage_per_recommendation_and_gaps(name: str) -> None:
    path = EXAMPLES / "policies" / name
    text = run_silk("policy", "assess", str(path))
    assert text.returncode == 0, text.stderr
    for rec in ("r1", "r2", "r3", "r4", "r5", "r6"):
        assert re.search(rf"^\s+{rec}\s.*coverage", text.stdout, re.M)
    data = json.loads(run_silk("policy", "assess", str(path), "--json").stdout)
    assert data["scorecard"]["framework_id"] == "silk.policy-self-assessment" and data["scorecard"]["trace"]
    for gap in data["gaps"]:
        assert gap["cites"]["id"] and gap["cites"]["title"]


def test_city_programme_misses_the_inward_flows() -> None:
    data = json.loads(
        run_silk("policy", "assess", str(EXAMPLES / "policies" / "city-programme-assessment.json"), "--json").stdout
    )
    gap = next(g for g in data["gaps"] if g["check"] == "r3.inward_and_outward")
    assert gap["cites"]["id"] == "r3" and gap["cites"]["example_case"]["case_id"] == "rodando_juntas_ayuda"


def _cards(count: int) -> list:
    catalog = build_catalog()
    return [assess("silk.evaluation-grid", load_document(p), catalog=catalog) for p in MEMBERS[:count]]


def _flows() -> list:
    lines = [line for line in (NETWORK / "flows.jsonl").read_bytes().splitlines() if line.strip()]
    return [load_document(line) for line in lines]


def test_brief_from_twelve_organisations_has_a_section_per_applicable_recommendation(tmp_path: Path) -> None:
    assert len(MEMBERS) >= 12
    md = tmp_path / "brief.md"
    html = tmp_path / "brief.html"
    args = ["policy", "brief", "--jurisdiction", "Example region", *map(str, MEMBERS), str(NETWORK / "flows.jsonl")]
    assert run_silk(*args, "-o", str(md)).returncode == 0
    assert run_silk(*args, "-o", str(html)).returncode == 0
    data = json.loads(run_silk(*args, "--json").stdout)
    text = md.read_text()
    assert data["recommendations"]
    for rec in data["recommendations"]:
        assert f"### {rec['id'].upper()}. {rec['title']}" in text
    page = html.read_text()
    assert "<section>" in page and "http://" not in page and "https://" not in page


def _numbers_in(value: object) -> list[int]:
    """Every 'n' and 'count' figure anywhere in the brief data."""
    found: list[int] = []
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("n", "count") and isinstance(child, int):
                found.append(child)
            else:
                found += _numbers_in(child)
    elif isinstance(value, list):
        for child in value:
            found += _numbers_in(child)
    return found


def test_no_figure_from_fewer_than_five() -> None:
    data = build_brief("Example", _cards(12), _flows(), 5)
    assert all(n == 0 or n >= 5 for n in _numbers_in(data["evidence"]))


def test_a_group_of_four_never_appears_in_figures() -> None:
    data = build_brief("Example", _cards(4), _flows(), 5)
    evidence = data["evidence"]
    assert all(n == 0 for n in _numbers_in(evidence))
    assert "suppressed" in evidence["organisations"]
    assert all("suppressed" in row for row in evidence["categories"])
    assert evidence["struggles"] == [] and "suppressed" in evidence["flows"]
    assert evidence["mean_coverage"] is None


def test_threshold_is_configurable_and_never_below_two() -> None:
    data = build_brief("Example", _cards(4), _flows(), 3)
    assert any("mean_score" in row for row in data["evidence"]["categories"])
    with pytest.raises(ValueError):
        build_brief("Example", _cards(4), _flows(), 1)


def test_untrusted_jurisdiction_is_escaped_in_html(tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    result = run_silk("policy", "brief", "--jurisdiction", "<script>alert(1)</script>", *map(str, MEMBERS), "-o", str(out))
    assert result.returncode == 0
    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_an_html_name_in_capitals_is_written_as_html(tmp_path: Path) -> None:
    """The output's format follows its name in any case, as ``silk report`` does."""
    out = tmp_path / "BRIEF.HTML"
    result = run_silk("policy", "brief", "--jurisdiction", "Example region", *map(str, MEMBERS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().lstrip().lower().startswith("<!doctype html")


def test_the_case_ids_named_in_the_notes_are_the_ones_the_data_uses() -> None:
    [note] = [n for n in brief()["notes"] if n.startswith("Case ids")]
    # The ids are the note's parenthesised lists, plus the two it names in running text.
    named = {i for group in re.findall(r"\(([a-z_, ]+)\)", note) for i in group.split(", ")}
    named |= {"koica_cts_program", "koica"} & set(re.findall(r"\b[a-z_]+\b", note))
    known = {c.case_id for c in all_cases()}
    used = {rec["example_case"]["case_id"] for rec in brief()["recommendations"] if rec.get("example_case")}
    assert used <= named, used - named
    assert named - {"koica"} <= known  # koica is named only to say it is *not* the line-416 example
    assert "rodando_juntas," not in note and "(rodando_juntas, accio, scotland)" not in note


def test_every_check_carries_the_our_own_question_note_in_every_export(tmp_path: Path) -> None:
    from silk_policy_brief.self_assessment import framework
    from silkcore import dump_document

    fw = framework()
    assert len(fw.items) == 30
    own = brief()["checks_basis"]["reason"]["en"]
    assert brief()["checks_basis"]["basis"] == "project" and own.startswith("Our own question")
    for item in fw.items:
        # help reaches the XLSForm hint and the web questionnaire; note every JSON export.
        assert item.help == {"en": own} and item.note and item.note.startswith("basis: project - Our own question")
    exported = json.loads(dump_document(fw))
    assert sum(own in json.dumps(i) for i in exported["items"]) == 30
    assert "this project's own questions" in exported["description"]["en"]
    pytest.importorskip("openpyxl")
    out = tmp_path / "checks.xlsx"
    result = run_silk("export", "--format", "xlsform", "silk.policy-self-assessment", "-o", str(out))
    assert result.returncode == 0, result.stderr
    import openpyxl

    rows = list(openpyxl.load_workbook(out)["survey"].iter_rows(values_only=True))
    hints = [n for n, name in enumerate(rows[0]) if str(name).startswith("hint")]
    assert hints and sum(any(own in str(row[n]) for n in hints) for row in rows[1:]) == 30


def test_assess_marks_the_projects_questions_with_a_legend() -> None:
    answers = str(EXAMPLES / "policies" / "city-programme-assessment.json")
    result = run_silk("policy", "assess", answers)
    assert result.returncode == 0, result.stderr
    gaps = [line for line in result.stdout.splitlines() if line.startswith("  - [")]
    assert gaps and all("?* -> " in line for line in gaps)
    assert result.stdout.rstrip().splitlines()[-1].startswith("* Our own question, not the report's")
    data = json.loads(
        run_silk("policy", "assess", str(EXAMPLES / "policies" / "city-programme-assessment.json"), "--json").stdout
    )
    assert {g["question_basis"] for g in data["gaps"]} == {"project"}


def test_the_briefs_thresholds_are_marked_as_the_projects_in_data_markdown_and_html(tmp_path: Path) -> None:
    from silk_policy_brief.evidence import threshold

    thresholds = brief()["evidence_thresholds"]
    assert {t["id"] for t in thresholds} == {"struggling", "widely_shared", "balanced_flows", "low_coverage"}
    for t in thresholds:
        assert t["basis"] == "project" and t["reason"] and "\n" not in t["reason"], t["id"]
    # The code reads its cut-offs from the data, so data and behaviour cannot drift apart.
    assert (threshold("struggling"), threshold("widely_shared"), threshold("low_coverage")) == (0.5, 0.3, 0.8)
    assert threshold("balanced_flows") == [0.35, 0.65]
    args = ["policy", "brief", "--jurisdiction", "Example region", *map(str, MEMBERS), str(NETWORK / "flows.jsonl")]
    data = json.loads(run_silk(*args, "--json").stdout)
    assert data["thresholds"] == thresholds
    used = {i for rec in data["recommendations"] for i in rec["thresholds"]}
    assert used and used <= {t["id"] for t in thresholds}
    text = run_silk(*args).stdout
    assert "## How this brief decides" in text and "\\* the project's choice, not the report's" in text
    assert "(threshold: balanced\\_flows\\*)" in text
    html = tmp_path / "brief.html"
    assert run_silk(*args, "-o", str(html)).returncode == 0
    page = html.read_text()
    assert "<h2>How this brief decides</h2>" in page and "threshold: balanced_flows*" in page
    assert "the project&#39;s choice, not the report&#39;s" in page


PARAPHRASED = {"g01", "g06", "g07", "g09", "g14", "g19"}


def test_every_good_practice_says_whether_its_text_is_verbatim_or_a_paraphrase() -> None:
    items = brief()["good_practices"]
    assert len(items) == 19
    assert {g["id"] for g in items if g["wording"] == "paraphrase"} == PARAPHRASED
    for g in items:
        assert g["wording"] in ("verbatim", "paraphrase"), g["id"]
        if g["wording"] == "paraphrase":
            assert g["wording_reason"] and "\n" not in g["wording_reason"], g["id"]
            assert "line" in g["wording_reason"], g["id"]  # says which printed text it condenses


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"wording": None}, "wording must be one of verbatim, paraphrase"),
        ({"wording": "quoted"}, "wording must be one of verbatim, paraphrase"),
        ({"wording": "paraphrase", "wording_reason": None}, "a paraphrase needs a wording_reason"),
        ({"wording_reason": "two\nlines"}, "wording_reason must be one non-empty line"),
    ],
)
def test_the_loader_refuses_a_good_practice_without_a_valid_wording(change: dict[str, object], message: str) -> None:
    from silk_policy_brief.brief_data import check_good_practices

    item = {"id": "g99", "text": "X: y", "source": "line 1", "wording": "verbatim"}
    item.update(change)
    item = {k: v for k, v in item.items() if v is not None}
    with pytest.raises(ValueError, match=message):
        check_good_practices([item])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


@pytest.mark.skipif(not SEED.exists(), reason="the SILK report is not beside this clone")
def test_the_wording_flag_matches_the_report() -> None:
    # A verbatim item's words after its case prefix run unbroken in its cited lines; a
    # paraphrase's do not (so the flag can be neither too generous nor too strict).
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for g in brief()["good_practices"]:
        numbers = [int(n) for n in re.findall(r"\d+", g["source"])]
        printed = " ".join(_words(" ".join(lines[numbers[0] - 1 : numbers[-1]])))
        body = " ".join(_words(g["text"].split(": ", 1)[-1]))
        assert (body in printed) == (g["wording"] == "verbatim"), g["id"]


def test_policy_show_marks_the_paraphrased_good_practices_with_a_legend() -> None:
    text = run_silk("policy", "show").stdout
    marked = set(re.findall(r"^  (g\d\d)~ ", text, flags=re.M))
    assert marked == PARAPHRASED
    assert re.search(r"^  g04   Social Enterprise Academy  \[line 897\]$", text, flags=re.M)
    assert "~ paraphrase: the report's content condensed in the project's words" in text
    data = json.loads(run_silk("policy", "show", "--json").stdout)
    assert {g["id"]: g["wording"] for g in data["good_practices"]}["g14"] == "paraphrase"
    assert "pulley" in data["good_practices"][13]["wording_reason"]


def test_the_plugin_loads_without_the_report_extra() -> None:
    # jinja2 comes with silkcore[report]: show, assess and Markdown briefs must not need it.
    import subprocess
    import sys

    script = (
        "import builtins\n"
        "real = builtins.__import__\n"
        "def guarded(name, *args, **kwargs):\n"
        "    if name.split('.')[0] in ('jinja2', 'markupsafe'):\n"
        "        raise ImportError('blocked ' + name)\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = guarded\n"
        "from silk_policy_brief.cli import policy_command\n"
        "from silk_policy_brief.render import to_markdown\n"
        "print(policy_command.name)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0 and result.stdout.strip() == "policy", result.stderr
