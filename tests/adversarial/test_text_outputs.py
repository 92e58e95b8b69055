"""Text outputs: control characters from documents never reach a terminal raw, and text from
documents or plugins never becomes markup in a Markdown output (issue 15, item 8)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from silkcore import (
    CategoryScore,
    DataError,
    Finding,
    FindingKind,
    Issue,
    OrgRef,
    SchemaValidationError,
    ScoreCard,
    load_framework,
)
from silkcore._errors import terminal_text
from silkcore._render import render_framework_list, render_scorecard
from silkcore.report import SectionContent, fragment, markdown_text
from silkcore.report._builder import render_markdown

from ..conftest import EXAMPLES, run_silk

# Every character a terminal may act on, or that hides or reorders what follows.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\x7f\u202e<script>alert(1)</script> *b* _i_ `c` [l](javascript:x) a|b\n# h"
READINESS = EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml"

# Text with a good share of what Markdown, HTML and terminals treat specially.
SPECIAL = st.sampled_from([*list("<>&*_`[]()#|~\\!-+=.:$1 \n\r\t\x00\x1b\x7f\x85\x9b\xa0\u2028\u202e"), "1.", "- ", "    "])
texts = st.lists(st.one_of(SPECIAL, st.characters(exclude_categories=("Cs",))), max_size=40).map("".join)


# -- the terminal -----------------------------------------------------------------------


@given(st.text(st.characters(codec="utf-8") | st.sampled_from(["\ud800", "\udfff", "\x1b", "\x9b"])))
def test_terminal_text_leaves_nothing_a_terminal_acts_on_and_is_idempotent(text: str) -> None:
    shown = terminal_text(text)
    assert not UNSAFE.search(shown)
    assert terminal_text(shown) == shown
    if not UNSAFE.search(text):
        assert shown == text


def test_an_issue_prints_escaped_and_keeps_its_data() -> None:
    issue = Issue("/description/\x1b[2J\x9b", "bad \x07 value\nnext", source="in\x1b.json", line=3)
    assert issue.pointer == "/description/\x1b[2J\x9b" and issue.message == "bad \x07 value\nnext"
    assert str(issue) == "in\\x1b.json:3: at /description/\\x1b[2J\\u009b: bad \\x07 value\\x0anext"
    for error in (DataError([issue]), SchemaValidationError([issue])):
        assert not UNSAFE.search(str(error)) and error.errors == (issue,)


def test_silk_error_messages_print_escaped() -> None:
    from silkcore import ScoringError, UnknownComponentError

    assert str(ScoringError("unknown item '\x1b[31mA'")) == "unknown item '\\x1b[31mA'"
    assert not UNSAFE.search(str(UnknownComponentError("framework", "x", ["a\x1b", "b\x9b"])))


def test_validate_prints_a_hostile_key_escaped_and_gives_it_exactly_in_json(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    doc = {"schema": "silkcore_organisation-v1.0.0", "org_id": "x", "name": "n", "sse_family": "other", "country": "ES"}
    doc["description"] = {"\x1b[2J\x9b": 5}
    path.write_text(json.dumps(doc))
    result = run_silk("validate", str(path))
    assert result.returncode == 1
    assert not UNSAFE.search(result.stderr.replace("\n", ""))
    assert "/description/\\x1b[2J\\u009b" in result.stderr
    data = json.loads(run_silk("validate", "--json", str(path)).stdout)
    assert "/description/\x1b[2J\x9b" in [issue["pointer"] for issue in data["issues"]]


def _card(name: str, category: str, message: str) -> ScoreCard:
    return ScoreCard(
        "network.event-readiness",
        "1.0.0",
        "sha256:" + "0" * 64,
        OrgRef("urn:x", name),
        (CategoryScore(category, 0.5, 1.0),),
        None,
        1.0,
        (Finding(FindingKind.NOTE, message),),
        (),
    )


def test_score_cards_and_framework_lists_print_escaped() -> None:
    text = render_scorecard(_card(HOSTILE, "fit\x1b[1m", HOSTILE))
    assert not UNSAFE.search(text.replace("\n", ""))
    assert "\\x1b]0;pwned\\x07" in text and "fit\\x1b[1m" in text
    framework = load_framework(READINESS)
    fit = attrs.evolve(framework.categories[0], title={"en": HOSTILE})
    hostile = attrs.evolve(framework, categories=(fit, *framework.categories[1:]))
    text = render_scorecard(_card("n", "fit", "m"), hostile)
    assert not UNSAFE.search(text.replace("\n", "")) and "fit \\x1b]0;pwned" in text
    rows = [{"id": "a\x1b", "version": "1\x9b", "categories": 1, "items": 2, "plugin": "p\x7f", "title": {"en": HOSTILE}}]
    listing = render_framework_list(rows)
    assert not UNSAFE.search(listing) and "a\\x1b" in listing and "p\\x7f" in listing


# -- Markdown -----------------------------------------------------------------------------


def _markdown() -> Any:
    markdown_it = pytest.importorskip("markdown_it")
    return markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _expected(text: str) -> str:
    """What a reader sees: one line, trimmed, control characters as escapes."""
    return terminal_text(re.sub("\r\n|[\t\n\x0b\x0c\r\x85\u2028\u2029]", " ", text).strip())


def _flat(tokens: list[Any]) -> list[Any]:
    found = []
    for token in tokens:
        found.append(token)
        found += _flat(token.children or [])
    return found


MARKUP = {"html_block", "html_inline", "link_open", "image", "em_open", "s_open", "code_inline", "fence", "code_block"}


@given(texts)
def test_markdown_text_renders_as_exactly_the_text_in_a_paragraph(text: str) -> None:
    md = _markdown()
    escaped = markdown_text(text)
    assert "\n" not in escaped and not UNSAFE.search(escaped)
    tokens = md.parse(escaped)
    expected = _expected(text)
    if not expected:
        assert tokens == []
        return
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert [t.type for t in tokens[1].children] == ["text"]
    assert tokens[1].children[0].content == expected


@given(texts, texts)
def test_markdown_text_stays_in_its_table_cell(first: str, second: str) -> None:
    md = _markdown()
    table = f"| a | b |\n|---|---|\n| {markdown_text(first)} | {markdown_text(second)} |\n"
    tokens = md.parse(table)
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4, table  # two headers, two cells: no extra cell, row or block
    assert [c.content for c in cells[:2]] == ["a", "b"]
    for cell, text in zip(cells[2:], (first, second), strict=True):
        shown = "".join(child.content for child in cell.children if child.type == "text")
        assert {child.type for child in cell.children} <= {"text"}
        assert shown == _expected(text)


def _assert_inert(markdown: str, hostile_text: str) -> None:
    md = _markdown()
    tokens = _flat(md.parse(markdown))
    assert not MARKUP & {t.type for t in tokens}, sorted(MARKUP & {t.type for t in tokens})
    rendered = md.render(markdown)
    assert "<script" not in rendered and "javascript:" not in rendered.replace("(javascript:x)", "")
    assert _expected(hostile_text) in html.unescape(rendered)
    assert not UNSAFE.search(markdown.replace("\n", ""))


def test_report_markdown_escapes_names_titles_findings_and_plugin_text() -> None:
    from silkcore.report._builder import scorecard_section

    framework = load_framework(READINESS)
    card = _card(HOSTILE, "fit", HOSTILE)
    plugin_section = SectionContent(HOSTILE, fragment("<p>x</p>"), "- a plugin's list item <img src=x onerror=alert(1)>\x1b[2J")
    markdown = render_markdown(HOSTILE, [scorecard_section(card, framework), plugin_section])
    _assert_inert(markdown, HOSTILE)
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert len(headings) == 3 and headings[0].startswith("# Internationalisation report: ")
    assert "&lt;img" in markdown


def _hostile_framework(tmp_path: Path) -> Path:
    data = yaml.safe_load(READINESS.read_text())
    data["title"] = {"en": HOSTILE}
    data["categories"][0]["title"] = {"en": HOSTILE}
    for item in data["items"]:
        item["text"] = {"en": HOSTILE}
    path = tmp_path / "event_readiness.json"
    path.write_text(json.dumps(data))
    return path


def test_silk_report_md_escapes_the_organisation_name_and_framework_texts(tmp_path: Path) -> None:
    organisation = json.loads((EXAMPLES / "demo" / "organisation.json").read_text())
    organisation["name"] = "<script>alert(1)</script> *x* [l](javascript:y)"
    org = tmp_path / "organisation.json"
    org.write_text(json.dumps(organisation))
    out = tmp_path / "r.md"
    sets = sorted((EXAMPLES / "demo" / "response_sets").glob("*.json"))
    result = run_silk("report", str(org), *map(str, sets), "--framework", str(_hostile_framework(tmp_path)), "-o", str(out))
    assert result.returncode == 0, result.stderr
    markdown = out.read_text()
    assert "<script>" not in markdown and "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* \\[l\\](javascript:y)" in markdown
    _markdown_it = _markdown()
    assert "<script" not in _markdown_it.render(markdown)
    assert not {"html_block", "html_inline", "link_open", "em_open"} & {t.type for t in _flat(_markdown_it.parse(markdown))}


def test_policy_brief_markdown_escapes_data_and_document_text() -> None:
    from silk_policy_brief.render import to_markdown

    brief = {
        "jurisdiction": HOSTILE,
        "min_group": 5,
        "evidence": {
            "organisations": {"count": 12},
            "categories": [{"category": HOSTILE, "mean_score": 0.5, "n": 12}, {"category": "B", "suppressed": HOSTILE}],
            "flows": {"suppressed": HOSTILE},
            "struggles": [{"item_id": "A.01|x", "share": 0.5, "count": 6, "n": 12}],
        },
        "recommendations": [
            {
                "id": "r1",
                "title": HOSTILE,
                "why_here": HOSTILE,
                "rationale": "1. " + HOSTILE,
                "example_case": {"name": HOSTILE, "source": HOSTILE},
                "source": HOSTILE,
            }
        ],
    }
    markdown = to_markdown(brief, {"A.01|x": HOSTILE})
    _assert_inert(markdown, HOSTILE)
    tokens = _markdown().parse(markdown)
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2", "h2", "h2", "h3"]
    assert not [t for t in tokens if t.type == "ordered_list_open"]
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(rows) == 3  # header and two rows: no text opened a cell or a row


def test_silk_policy_brief_md_escapes_the_jurisdiction(tmp_path: Path) -> None:
    members = sorted((EXAMPLES / "network" / "response_sets").glob("*.json"))
    out = tmp_path / "brief.md"
    jurisdiction = "<script>alert(1)</script> [x](javascript:y) \x1b[2J"
    result = run_silk("policy", "brief", "--jurisdiction", jurisdiction, *map(str, members), "-o", str(out))
    assert result.returncode == 0, result.stderr
    markdown = out.read_text()
    assert "<script>" not in markdown and "\x1b" not in markdown
    assert markdown.splitlines()[0].endswith("&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y) \\x1b\\[2J")


def test_a_message_quoting_a_huge_value_is_cut_in_the_middle(tmp_path: Path) -> None:
    from silkcore._errors import MAX_MESSAGE

    document = json.loads((EXAMPLES / "demo" / "organisation.json").read_text())
    document["founding_year"] = "y" * 70_000  # the schema message quotes the bad value
    from silkcore import validate

    issues = validate(document)
    assert issues and all(len(i.message) <= MAX_MESSAGE + 60 for i in issues)
    long = Issue("/description/en", "not allowed: " + "z" * 70_000)  # any message, however it was made
    assert len(long.message) <= MAX_MESSAGE + 60 and "characters left out" in long.message
