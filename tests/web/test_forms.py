"""The question pages as pure functions: pages, control models, parsing, the response set and
the one check, and guided walks - on the evaluation grid (78 items, en/fr/es), the community
energy example (numbers, conditions) and the flow chart (a decision graph). No browser here."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import silkcore
from silkcore import AnswerStatus, Framework, ItemKind, OrgRef, Respondent
from silkcore._answers import same_value
from silkcore._guide import Guide
from silkcore.web._answer import Answer, answers_from_document, still_applying
from silkcore.web._controls import (
    ANSWER_NEEDED,
    CONTROLS,
    ENTER_A_NUMBER,
    NOT_AN_OPTION,
    NUMBER_TOO_LARGE,
    ONE_ANSWER,
    STATUS_AND_ANSWER,
    TWO_STATUSES,
    option_tokens,
    parse_item,
)
from silkcore.web._forms import (
    answer_issues,
    field_issues,
    page_view,
    pages,
    parse_page,
    response_set,
    revealed_items,
)
from silkcore.web._guided import parse_step, step_view, walk
from silkcore.web._texts import local_text

from ..conftest import EXAMPLES, run_silk

ENERGY_FILE = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
ENERGY_GUIDED_FILE = EXAMPLES / "frameworks" / "community-energy-guided.yaml"
SUBJECT = OrgRef("urn:silk:org:example:web-forms", "Web forms cooperative (fictional)", "FR")
RESPONDENT = Respondent("management", "Ana")


def framework_of(items: list[dict[str, Any]], **extra: Any) -> Framework:
    """A small framework written as data, for cases the shipped ones do not have."""
    return silkcore.load_framework(
        {
            "schema": "silkcore_framework-v1.1.0",
            "id": "test.web-forms",
            "version": "1.0.0",
            "title": {"en": "Web forms test", "fr": "Test des formulaires"},
            "default_language": "en",
            "categories": [{"id": "c", "title": {"en": "Only"}}],
            "items": [{"category": "c", "source": "test", **item} for item in items],
            **extra,
        }
    )


def a_value(framework: Framework, item: silkcore.Item, turn: int = 0) -> Answer:
    """A valid answer to any item, varied by ``turn``."""
    options = framework.options_of(item)
    if item.kind == ItemKind.MULTI_CHOICE:
        return Answer(tuple(o.value for o in options[: 1 + turn % len(options)]))  # type: ignore[misc]
    if options:
        return Answer(options[turn % len(options)].value)
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.DURATION):
        low = item.min if item.min is not None else 0
        return Answer(int(low) + turn % 7 if item.max is None or item.max - low > 7 else low)
    if item.kind == ItemKind.DATE:
        return Answer("2024-03-31")
    if item.kind == ItemKind.LINK:
        return Answer("https://example.org/report")
    return Answer(f"Answer {turn} to {item.id}")


def form_of(framework: Framework, answers: dict[str, Answer]) -> dict[str, list[str]]:
    """The form a browser posts for these answers: each control's value under the item id."""
    form: dict[str, list[str]] = {}
    for item_id, answer in answers.items():
        item = framework.item(item_id)
        if answer.status is not None:
            form[item_id] = [answer.status.value]
            continue
        tokens = option_tokens(framework, item)
        values = answer.value if isinstance(answer.value, tuple) else (answer.value,)
        if tokens:
            form[item_id] = [t for t, v in tokens.items() if any(same_value(v, x) for x in values)]
        else:
            form[item_id] = [str(answer.value)]
    return form


def fill_every_page(framework: Framework, choose: Any) -> dict[str, Answer]:
    """Answer a framework page by page, as a browser would, with ``choose(item) -> Answer``."""
    answers: dict[str, Answer] = {}
    for page in pages(framework):
        revealed: list[str] = []
        while True:  # the page comes again while answers on it make more of its items apply
            view = page_view(framework, page.index, answers, "en", revealed=revealed)
            planned = {item.id: answers.get(item.id) or choose(framework.item(item.id)) for item in view.items}
            before = answers
            answers, problems = parse_page(framework, page.index, form_of(framework, planned), answers)
            assert problems == {}, problems
            revealed = revealed_items(framework, page.index, before, answers)
            if not revealed:
                break
    return answers


# --- pages and controls -------------------------------------------------------------------------


def test_one_page_per_category_in_order(grid: Framework, energy: Framework) -> None:
    assert [p.category.id for p in pages(grid)] == ["A", "B", "C", "D", "E", "F"]
    assert sum(len(p.item_ids) for p in pages(grid)) == 78
    assert [p.item_ids for p in pages(energy)] == [
        ("why.motive", "why.members", "why.finance_detail"),
        ("who.partner_found",),
        ("how.risk_register",),
    ]
    with pytest.raises(IndexError):
        page_view(energy, 3, {}, "en")


def test_every_item_of_the_grid_has_its_control(grid: Framework) -> None:
    seen_kinds = set()
    for page in pages(grid):
        view = page_view(grid, page.index, {}, "en")
        assert [i.id for i in view.items] == list(page.item_ids)  # no conditions in the grid
        for position, item_view in enumerate(view.items, start=1):
            item = grid.item(item_view.id)
            seen_kinds.add(item.kind)
            assert item_view.control == CONTROLS[item.kind]
            assert item_view.position == position and item_view.base_id == f"q{position}"
            assert [o.token for o in item_view.options] == list(option_tokens(grid, item))
            assert all(o.label is not None and o.label.text for o in item_view.options)
            assert item_view.text.text == item.text["en"] and not item_view.text.fallback
            assert item_view.source == item.source
            assert item_view.offers_not_applicable and item_view.offers_unknown
    assert seen_kinds == {
        ItemKind.CHOICE,
        ItemKind.MULTI_CHOICE,
        ItemKind.SCALE,
        ItemKind.YES_NO,
        ItemKind.PERCENTAGE,
        ItemKind.DURATION,
    }
    b08 = next(i for i in page_view(grid, 1, {}, "en").items if i.id == "B.08")
    assert (b08.control, b08.min, b08.max, b08.unit, b08.min_text, b08.max_text) == ("number", 0, 100, "%", "0", "100")
    assert b08.described_by == f"{b08.hint_id} {b08.range_id}"
    a07 = next(i for i in page_view(grid, 0, {}, "en").items if i.id == "A.07")
    assert a07.control == "checkbox" and a07.dom_id == "q7-1"


def test_the_controls_of_every_kind() -> None:
    framework = framework_of(
        [
            {"id": "n", "kind": "number", "text": {"en": "How many?"}, "min": -5, "max": 5.5, "unit": "people"},
            {"id": "t", "kind": "text", "text": {"en": "Why?"}},
            {"id": "d", "kind": "date", "text": {"en": "When?"}},
            {"id": "u", "kind": "link", "text": {"en": "Where?"}},
            {"id": "y", "kind": "yes_no", "text": {"en": "Yes?"}},
        ]
    )
    view = page_view(framework, 0, {}, "en")
    assert [(i.id, i.control) for i in view.items] == [
        ("n", "number"),
        ("t", "text"),
        ("d", "date"),
        ("u", "url"),
        ("y", "radio"),
    ]
    number = view.items[0]
    assert (number.min_text, number.max_text, number.step, number.unit, number.has_range) == ("-5", "5.5", "any", "people", True)
    yes_no = view.items[4]
    assert [(o.token, o.label, o.boolean) for o in yes_no.options] == [("true", None, True), ("false", None, False)]
    assert not view.items[1].has_range and view.items[1].described_by == ""


def test_the_current_answers_are_shown(grid: Framework) -> None:
    answers = {
        "B.08": Answer(12.5),
        "B.09": Answer(False),
        "B.10": Answer(status=AnswerStatus.NOT_APPLICABLE),
        "B.11": Answer(6),
    }
    items = {i.id: i for i in page_view(grid, 1, answers, "en").items}
    assert items["B.08"].value == "12.5" and items["B.11"].value == "6"
    assert [o.token for o in items["B.09"].options if o.checked] == ["false"]
    assert items["B.10"].status == "not_applicable" and not any(o.checked for o in items["B.10"].options)
    a07 = {i.id: i for i in page_view(grid, 0, {"A.07": Answer(("sseo", "public_institution"))}, "en").items}["A.07"]
    assert [o.token for o in a07.options if o.checked] == ["sseo", "public_institution"]


def test_progress_counts_the_items_that_apply(energy: Framework) -> None:
    view = page_view(energy, 0, {}, "en")
    assert (view.number, view.total, view.answered, view.applicable) == (1, 3, 0, 4)
    assert (view.page_answered, view.page_applicable, view.is_first, view.is_last) == (0, 2, True, False)
    answers = {"why.motive": Answer("finance"), "why.finance_detail": Answer(20), "who.partner_found": Answer(True)}
    view = page_view(energy, 2, answers, "en")
    assert (view.answered, view.applicable, view.page_answered, view.page_applicable, view.is_last) == (3, 5, 0, 1, True)


# --- conditions -------------------------------------------------------------------------------


def test_a_conditional_item_shows_only_when_it_applies(energy: Framework) -> None:
    shown = [i.id for i in page_view(energy, 0, {}, "en").items]
    assert shown == ["why.motive", "why.members"]
    before: dict[str, Answer] = {}
    after, problems = parse_page(energy, 0, {"why.motive": ["finance"], "why.members": ["agree"]}, before)
    assert problems == {}
    assert after == {"why.motive": Answer("finance"), "why.members": Answer("agree")}
    # Without a script the page cannot show the new item at once: the route shows it again.
    assert revealed_items(energy, 0, before, after) == ["why.finance_detail"]
    view = page_view(energy, 0, after, "en", revealed=revealed_items(energy, 0, before, after))
    assert [i.id for i in view.items] == ["why.motive", "why.members", "why.finance_detail"]
    assert view.revealed and [i.revealed for i in view.items] == [False, False, True]
    again, problems = parse_page(
        energy, 0, {"why.motive": ["finance"], "why.members": ["agree"], "why.finance_detail": ["20"]}, after
    )
    assert problems == {} and again["why.finance_detail"] == Answer(20)
    assert revealed_items(energy, 0, after, again) == []
    # Another motive: the detail no longer applies, and its answer goes.
    changed, problems = parse_page(energy, 0, {"why.motive": ["knowledge"], "why.members": ["agree"]}, again)
    assert problems == {} and "why.finance_detail" not in changed
    assert [i.id for i in page_view(energy, 0, changed, "en").items] == ["why.motive", "why.members"]


def test_junk_in_an_item_that_stops_applying_is_no_problem(energy: Framework) -> None:
    answers = {"why.motive": Answer("finance"), "why.finance_detail": Answer(20)}
    after, problems = parse_page(energy, 0, {"why.motive": ["market"], "why.finance_detail": ["lots"]}, answers)
    assert problems == {} and after == {"why.motive": Answer("market")}


def test_answers_of_other_pages_are_kept(energy: Framework) -> None:
    answers = {"why.motive": Answer("market"), "who.partner_found": Answer(True), "how.risk_register": Answer(False)}
    after, problems = parse_page(energy, 1, {"who.partner_found": ["false"]}, answers)
    assert problems == {}
    assert after == {"why.motive": Answer("market"), "who.partner_found": Answer(False), "how.risk_register": Answer(False)}
    # Left empty: no answer any more (a radio group posts nothing when none is chosen).
    after, problems = parse_page(energy, 1, {}, answers)
    assert problems == {} and "who.partner_found" not in after and after["how.risk_register"] == Answer(False)


def test_a_chain_of_conditions_drops_every_answer_that_stops_applying() -> None:
    framework = framework_of(
        [
            {"id": "a", "kind": "yes_no", "text": {"en": "A?"}},
            {
                "id": "b",
                "kind": "yes_no",
                "text": {"en": "B?"},
                "applies_if": {"all": [{"item": "a", "operator": "equals", "value": True}]},
            },
            {
                "id": "c",
                "kind": "text",
                "text": {"en": "C?"},
                "applies_if": {"all": [{"item": "b", "operator": "equals", "value": True}]},
            },
        ]
    )
    answers = {"a": Answer(True), "b": Answer(True), "c": Answer("yes, c")}
    assert still_applying(framework, answers) == answers
    after, problems = parse_page(framework, 0, {"a": ["false"], "b": ["true"], "c": ["yes, c"]}, answers)
    assert problems == {} and after == {"a": Answer(False)}
    # "Not applicable" is no value: it satisfies no condition, as in the scorer.
    after, _ = parse_page(framework, 0, {"a": ["not_applicable"]}, answers)
    assert after == {"a": Answer(status=AnswerStatus.NOT_APPLICABLE)}


# --- parsing ------------------------------------------------------------------------------------


def test_every_answer_of_the_grid_round_trips_through_its_form(grid: Framework) -> None:
    for turn in range(4):
        for item in grid.items:
            answer = a_value(grid, item, turn)
            parsed, problems = parse_item(grid, item, form_of(grid, {item.id: answer})[item.id])
            assert problems == [] and parsed == answer, (item.id, answer, parsed)
            page = next(p.index for p in pages(grid) if item.id in p.item_ids)
            shown = {i.id: i for i in page_view(grid, page, {item.id: answer}, "en").items}[item.id]
            posted = [o.token for o in shown.options if o.checked] or [shown.value]
            assert parse_item(grid, item, posted) == (answer, [])
    for status in AnswerStatus:
        for item in grid.items:
            assert parse_item(grid, item, [status.value]) == (Answer(status=status), [])


@given(st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=False, allow_infinity=False)))
def test_a_number_shown_reads_back_as_the_same_number(number: int | float) -> None:
    framework = framework_of([{"id": "n", "kind": "number", "text": {"en": "How much?"}}])
    shown = page_view(framework, 0, {"n": Answer(number)}, "en").items[0].value
    parsed, problems = parse_item(framework, framework.item("n"), [shown])
    assert problems == [] and parsed is not None
    assert type(parsed.value) is type(number) and parsed.value == number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("-3", -3),
        ("+4", 4),
        ("12.5", 12.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("12.0", 12.0),
    ],
)
def test_numbers_are_read_as_written(typed: str, expected: float) -> None:
    framework = framework_of([{"id": "n", "kind": "number", "text": {"en": "How much?"}}])
    parsed, problems = parse_item(framework, framework.item("n"), [typed])
    assert problems == [] and parsed is not None
    assert parsed.value == expected and type(parsed.value) is type(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", ENTER_A_NUMBER),
        ("12,5", ENTER_A_NUMBER),
        ("1 000", ENTER_A_NUMBER),
        ("1_000", ENTER_A_NUMBER),
        ("0x10", ENTER_A_NUMBER),
        ("nan", ENTER_A_NUMBER),
        ("inf", ENTER_A_NUMBER),
        ("Infinity", ENTER_A_NUMBER),
        ("١٢", ENTER_A_NUMBER),
        ("12%", ENTER_A_NUMBER),
        ("1" * 101, ENTER_A_NUMBER),
        ("1e999", NUMBER_TOO_LARGE),
    ],
)
def test_junk_numbers_are_refused_with_a_message(energy: Framework, typed: str, message: str) -> None:
    answers = {"why.motive": Answer("finance"), "why.finance_detail": Answer(20)}
    form = {"why.motive": ["finance"], "why.finance_detail": [typed]}
    after, problems = parse_page(energy, 0, form, answers)
    assert problems == {"why.finance_detail": [message]}
    assert after["why.finance_detail"] == Answer(20)  # the earlier answer stays
    view = page_view(energy, 0, after, "en", problems, submitted=form)
    detail = next(i for i in view.items if i.id == "why.finance_detail")
    assert detail.value == typed  # shown again as typed
    assert [m.text for m in detail.errors] == [message] and all(m.interface for m in detail.errors)
    assert detail.described_by.endswith(detail.error_id)
    assert [(e.number, e.href) for e in view.errors] == [("3", f"#{detail.dom_id}")]


def test_an_answer_the_one_check_refuses_is_a_problem_in_its_words(energy: Framework) -> None:
    form = {"why.motive": ["finance"], "why.finance_detail": ["75"]}
    after, problems = parse_page(energy, 0, form, {"why.motive": Answer("finance")})
    assert problems == {"why.finance_detail": ["75 is outside the item's range 0.0..50.0"]}
    assert "why.finance_detail" not in after
    view = page_view(energy, 0, after, "en", problems, submitted=form)
    detail = next(i for i in view.items if i.id == "why.finance_detail")
    assert detail.value == "75"
    # The check's own template, translated on the page with the values it named.
    (error,) = detail.errors
    assert error.interface and error.text == "{value} is outside the item's range {low}..{high}"
    assert error.shown(lambda msgid: msgid) == "75 is outside the item's range 0.0..50.0"
    french = gettext_in("fr")
    assert error.shown(french) == "75 est en dehors de la plage de la question, de 0.0 à 50.0"


def gettext_in(language: str) -> Callable[[str], str]:
    """The questionnaire's gettext for ``language``."""
    from silkcore.web._i18n import gettext

    return lambda msgid: gettext(language, msgid)


def test_a_date_that_does_not_exist_is_the_one_checks_problem() -> None:
    framework = framework_of([{"id": "d", "kind": "date", "text": {"en": "When?"}}])
    assert parse_page(framework, 0, {"d": ["2024-02-30"]}, {}) == ({}, {"d": ["'2024-02-30' is not a date (YYYY-MM-DD)"]})
    assert parse_page(framework, 0, {"d": ["2024-02-29"]}, {}) == ({"d": Answer("2024-02-29")}, {})


@pytest.mark.parametrize(
    ("posted", "result"),
    [
        (["inward"], (Answer("inward"), [])),
        (["sideways"], (None, [NOT_AN_OPTION])),
        (["inward", "outward"], (None, [ONE_ANSWER])),
        (["inward", "not_applicable"], (None, [STATUS_AND_ANSWER])),
        (["not_applicable", "unknown"], (None, [TWO_STATUSES])),
        (["unknown", "unknown"], (Answer(status=AnswerStatus.UNKNOWN), [])),
        (["", "  "], (None, [])),
        ([], (None, [])),
    ],
)
def test_choices_are_options_or_a_status(grid: Framework, posted: list[str], result: tuple[Any, list[str]]) -> None:
    assert parse_item(grid, grid.item("A.02"), posted) == result


def test_a_multiple_choice_keeps_the_options_order_and_refuses_junk(grid: Framework) -> None:
    item = grid.item("A.07")
    assert parse_item(grid, item, ["public_institution", "sseo", "sseo"]) == (Answer(("sseo", "public_institution")), [])
    assert parse_item(grid, item, ["sseo", "nobody"]) == (None, [NOT_AN_OPTION])
    assert parse_item(grid, item, ["sseo", "unknown"]) == (None, [STATUS_AND_ANSWER])


def test_a_status_is_offered_unless_an_option_has_its_name() -> None:
    framework = framework_of(
        [
            {
                "id": "k",
                "kind": "choice",
                "text": {"en": "Known?"},
                "options": [{"value": "known"}, {"value": "unknown"}],
            },
            {"id": "j", "kind": "choice", "text": {"en": "Mixed?"}, "options": [{"value": "1"}, {"value": 1}, {"value": True}]},
        ]
    )
    known = page_view(framework, 0, {}, "en").items[0]
    assert known.offers_not_applicable and not known.offers_unknown
    assert [o.token for o in known.options] == ["known", "unknown"]
    shown = page_view(framework, 0, {}, "en", submitted={"k": ["unknown"]}).items[0]
    assert shown.status is None and [o.token for o in shown.options if o.checked] == ["unknown"]
    item = framework.item("k")
    assert parse_item(framework, item, ["unknown"]) == (Answer("unknown"), [])
    assert parse_item(framework, item, ["not_applicable"]) == (Answer(status=AnswerStatus.NOT_APPLICABLE), [])
    # Options that would read the same are written as JSON, which tells them apart.
    mixed = framework.item("j")
    assert option_tokens(framework, mixed) == {'"1"': "1", "1": 1, "true": True}
    for token, value in option_tokens(framework, mixed).items():
        parsed, problems = parse_item(framework, mixed, [token])
        assert problems == [] and parsed is not None and parsed.value == value and type(parsed.value) is type(value)


def test_text_keeps_what_was_typed_and_empty_is_no_answer() -> None:
    framework = framework_of([{"id": "t", "kind": "text", "text": {"en": "Why?"}}])
    assert parse_item(framework, framework.item("t"), ["  Two lines\nof <b>text</b>  "]) == (
        Answer("Two lines\nof <b>text</b>"),
        [],
    )
    assert parse_item(framework, framework.item("t"), ["   "]) == (None, [])


# --- the response set and the one check ---------------------------------------------------------


def test_all_78_answers_make_a_response_set_silk_assess_scores_alike(
    grid: Framework, catalog: silkcore.Catalog, tmp_path: Path
) -> None:
    turn = iter(range(10_000))

    def choose(item: silkcore.Item) -> Answer:
        n = next(turn)
        if n % 11 == 3:
            return Answer(status=AnswerStatus.NOT_APPLICABLE)
        if n % 13 == 5:
            return Answer(status=AnswerStatus.UNKNOWN)
        return a_value(grid, item, n)

    answers = fill_every_page(grid, choose)
    assert len(answers) == 78
    assert {a.status for a in answers.values()} == {None, AnswerStatus.NOT_APPLICABLE, AnswerStatus.UNKNOWN}
    document = response_set(
        grid, answers, SUBJECT, RESPONDENT, "fr", response_set_id="urn:uuid:0d9a3f57-0000-4000-8000-000000000001"
    )
    assert document["schema"] == "silkcore_response_set-v1.0.0"
    assert [r["item_id"] for r in document["responses"]] == [i.id for i in grid.items]
    assert silkcore.validate(document) == []
    assert field_issues(grid, document) == {}
    assert answers_from_document(json.loads(json.dumps(document))) == answers
    path = tmp_path / "web.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    direct = silkcore.assess(grid, silkcore.load_document(document), catalog=catalog)
    result = run_silk("assess", "--framework", grid.id, str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == silkcore.dump_document(direct, indent=None)


def test_the_energy_example_answered_in_forms_scores_like_the_example(energy: Framework) -> None:
    example = json.loads((EXAMPLES / "response_sets" / "community-energy-readiness.json").read_text())
    planned = answers_from_document(example)
    answers = fill_every_page(energy, lambda item: planned[item.id])
    assert answers == planned
    document = response_set(energy, answers, OrgRef(**example["subject"]), Respondent("management"), mode="prospective")
    assert silkcore.validate(document, framework=energy) == []
    # The example's one comment aside, the same answers give the same card.
    example["responses"] = [{k: v for k, v in r.items() if k != "comment"} for r in example["responses"]]
    assert silkcore.dump_document(silkcore.assess(energy, silkcore.load_document(document, frameworks=lambda _: energy))) == (
        silkcore.dump_document(silkcore.assess(energy, silkcore.load_document(example, frameworks=lambda _: energy)))
    )


def test_field_issues_place_each_issue_on_its_item(energy: Framework) -> None:
    document = response_set(energy, {"why.motive": Answer("finance"), "why.finance_detail": Answer(80)}, SUBJECT)
    document["responses"].append({"item_id": "why.motiv", "value": "x"})
    document["responses"].append({"item_id": "how.risk_register", "value": "maybe"})
    issues = field_issues(energy, document)
    assert issues == {
        "why.finance_detail": ["80 is outside the item's range 0.0..50.0"],
        "why.motiv": ["unknown item 'why.motiv' in network.community-energy-partnering; did you mean 'why.motive'?"],
        "how.risk_register": ["'maybe' is not one of the options [True, False]"],
    }
    document = response_set(energy, {"why.motive": Answer("finance")}, SUBJECT)
    document["subject"]["org_id"] = "not an id"
    document["respondent"] = {"role": "chief"}
    issues = field_issues(energy, document)
    assert list(issues) == [""] and len(issues[""]) == 2
    document = response_set(energy, {}, SUBJECT)
    document["framework_id"] = "other.framework"
    assert field_issues(energy, document) == {
        "": ["answers framework 'other.framework', not 'network.community-energy-partnering'"]
    }
    assert answer_issues(energy, {"why.motive": Answer("finance"), "why.finance_detail": Answer(-1)}) == {
        "why.finance_detail": ["-1 is outside the item's range 0.0..50.0"]
    }


def test_the_response_set_has_the_documents_fields(energy: Framework) -> None:
    import datetime as dt

    when = dt.datetime(2025, 5, 4, 3, 2, 1, tzinfo=dt.UTC)
    document = response_set(
        energy,
        {"how.risk_register": Answer(status=AnswerStatus.UNKNOWN), "why.motive": Answer("market"), "gone.item": Answer(1)},
        SUBJECT,
        RESPONDENT,
        "es",
        response_set_id="urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        mode="retrospective",
        collected_at=when,
    )
    assert document == {
        "schema": "silkcore_response_set-v1.0.0",
        "framework_id": "network.community-energy-partnering",
        "framework_version": "1.0.0",
        "subject": {"org_id": SUBJECT.org_id, "name": SUBJECT.name, "country": "FR"},
        "responses": [{"item_id": "why.motive", "value": "market"}, {"item_id": "how.risk_register", "status": "unknown"}],
        "response_set_id": "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        "mode": "retrospective",
        "respondent": {"role": "management", "name": "Ana"},
        "collected_at": "2025-05-04T03:02:01Z",
        "language": "es",
    }
    assert silkcore.validate(document, framework=energy) == []


# --- languages ----------------------------------------------------------------------------------


def test_french_texts_and_their_fallback_per_text(grid: Framework, energy: Framework) -> None:
    view = page_view(grid, 2, {}, "fr")
    assert view.title.text == grid.category("C").title["fr"] and view.title.language == "fr"
    first = view.items[0]
    assert first.text.text == grid.item(first.id).text["fr"] and not first.text.fallback
    assert all(o.label is not None and not o.label.fallback for o in first.options)
    view = page_view(energy, 0, {}, "fr")
    assert view.framework_title.text.startswith("Prêts à coopérer") and not view.framework_title.fallback
    question = view.items[0].text
    assert (question.language, question.fallback, question.language_name) == ("en", True, "anglais")
    assert page_view(energy, 0, {}, "es").items[0].text.language_name == "inglés"
    assert page_view(energy, 0, {}, "es").framework_title.language == "en"  # no Spanish title: the default language


def test_a_text_falls_back_to_the_default_language_then_to_any() -> None:
    assert local_text({"en": "Hello", "fr": "Bonjour"}, "fr-CA", "en").text == "Bonjour"
    assert local_text({"en": "Hello", "fr": "Bonjour"}, "fr-CA", "en").fallback is False
    assert local_text({"es": "Hola", "en": "Hello"}, "de", "en").text == "Hello"
    assert local_text({"es": "Hola"}, "de", "en") == local_text({"es": "Hola"}, "de", None)
    shown = local_text({"es": "Hola"}, "de", "en")
    assert (shown.text, shown.language, shown.fallback, shown.language_name) == ("Hola", "es", True, "Spanisch")


# --- guided walks -------------------------------------------------------------------------------


def test_a_guided_walk_step_by_step_to_its_end(flowchart: Framework, tmp_path: Path) -> None:
    answers: dict[str, Answer] = {}
    visited = []
    for _ in range(40):
        view = step_view(flowchart, answers, "en")
        visited.append(view.node_id)
        if view.finished:
            break
        assert view.items and view.phase_number >= 1 and view.phase_total == 4
        planned = {}
        for item_view in view.items:
            item = flowchart.item(item_view.id)
            if item.id == "p3.partners":
                planned[item.id] = Answer("with_partners")
            elif item.id == "p4.decision_continue":
                planned[item.id] = Answer("continue")
            elif item.kind == ItemKind.YES_NO:
                planned[item.id] = Answer(True)
            else:
                planned[item.id] = a_value(flowchart, item, len(visited))
        result = parse_step(flowchart, form_of(flowchart, planned), answers)
        assert result.issues == {} and result.revisits == ()
        answers = result.answers
    assert visited[0] == "why" and visited[-1] == "end_continue"
    assert visited.count("who") == 2  # choosing partners makes more of the step's items apply
    end = step_view(flowchart, answers, "fr")
    assert end.finished and end.status == "completed" and end.items == ()
    assert [d.id for d in end.decisions][:1] == ["p1.decision_motive_clear"]
    assert all(d.text.language == "fr" for d in end.decisions)
    # The same answers make the same walk as `silk guide` (the same Guide, fed the same way).
    document = response_set(flowchart, answers, SUBJECT, mode="prospective")
    assert silkcore.validate(document) == []
    path = tmp_path / "walk.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_silk("guide", "--answers", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(walk(flowchart, answers).outcome().to_json()))


def test_a_decision_answered_no_sends_the_walk_back_and_says_why(flowchart: Framework) -> None:
    answers: dict[str, Answer] = {}
    step1 = {"p1.why": ["To learn"], "p1.motives": ["values"], "p1.policy_support": ["unknown"]}
    answers = parse_step(flowchart, step1, answers).answers
    answers = parse_step(
        flowchart, {"p1.what": ["Care"], "p1.differentiation": ["Members"], "p1.fills_need": ["true"]}, answers
    ).answers
    assert step_view(flowchart, answers, "en").node_id == "decide_p1"
    result = parse_step(flowchart, {"p1.decision_motive_clear": ["false"]}, answers)
    assert result.issues == {} and [(r.from_node, r.to_node) for r in result.revisits] == [("decide_p1", "why")]
    assert result.answers == {}  # the walk forgets what it asks again, as silk guide does
    view = step_view(flowchart, result.answers, "fr", revisits=result.revisits)
    assert view.node_id == "why" and len(view.revisits) == 1
    revisit = view.revisits[0]
    assert revisit.to_title.text == "Pourquoi : motivations" and revisit.reason is not None and revisit.reason.language == "fr"


def test_a_step_asks_for_every_item_or_an_explicit_dont_know(flowchart: Framework) -> None:
    result = parse_step(flowchart, {"p1.why": ["To learn"]}, {})
    assert result.issues == {"p1.motives": [ANSWER_NEEDED], "p1.policy_support": [ANSWER_NEEDED]}
    assert result.answers == {"p1.why": Answer("To learn")}
    view = step_view(flowchart, result.answers, "en", result.issues)
    assert view.node_id == "why" and [e.number for e in view.errors] == ["2", "3"]
    assert view.items[0].value == "To learn"
    junk = parse_step(flowchart, {"p1.why": ["x"], "p1.motives": ["values"], "p1.policy_support": ["y"]}, result.answers)
    assert junk.issues == {} and step_view(flowchart, junk.answers, "en").node_id == "what"


def test_a_guided_number_out_of_range_is_refused_and_the_walk_waits() -> None:
    framework = silkcore.load_framework(ENERGY_GUIDED_FILE)
    first = step_view(framework, {}, "en")
    assert [i.id for i in first.items] == ["why.motive", "why.members"]
    result = parse_step(framework, {"why.motive": ["finance"], "why.members": ["agree"]}, {})
    assert result.issues == {}
    view = step_view(framework, result.answers, "en")
    assert view.node_id == first.node_id and [i.id for i in view.items] == ["why.motive", "why.members", "why.finance_detail"]
    refused = parse_step(
        framework, {"why.motive": ["finance"], "why.members": ["agree"], "why.finance_detail": ["90"]}, result.answers
    )
    assert refused.issues == {"why.finance_detail": ["90 is outside the item's range 0.0..50.0"]}
    assert "why.finance_detail" not in refused.answers
    assert walk(framework, refused.answers).node_id == first.node_id


def test_the_walk_is_silk_guides_walk(flowchart: Framework) -> None:
    answers = {"p1.why": Answer("x"), "p1.motives": Answer(("values",)), "p1.policy_support": Answer(status=AnswerStatus.UNKNOWN)}
    ours = walk(flowchart, answers)
    theirs = Guide(flowchart, silkcore.load_document(response_set(flowchart, answers, SUBJECT)).responses)
    theirs.run()
    assert ours.outcome() == theirs.outcome()
