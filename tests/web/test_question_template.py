"""The question and step templates rendered without a browser and read back with an HTML
parser: every control labelled, option groups in fieldsets with legends, hints and errors
linked, names by the contract, texts in the page's language with fallbacks marked, no
script and no inline style (the pages work without JavaScript, under a strict CSP)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any

import attrs
import jinja2
import pytest

import silkcore
from silkcore import AnswerStatus, Framework
from silkcore.web._answer import Answer
from silkcore.web._forms import PageView, page_view, pages, parse_page
from silkcore.web._guided import StepView, parse_step, step_view

TEMPLATES = files("silkcore.web").joinpath("templates")
STATIC = files("silkcore.web").joinpath("static")

#: A stand-in for the app's base.html: the two blocks the question templates fill.
BASE = """<!doctype html>
<html lang="{{ language }}"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
<body><main id="main">{% block content %}{% endblock %}</main></body></html>"""

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@attrs.define
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None
    content: list[Element | str] = attrs.field(factory=list)

    @property
    def children(self) -> list[Element]:
        return [c for c in self.content if isinstance(c, Element)]

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.all_text() for c in self.content)


class Tree(HTMLParser):
    """A small DOM: enough to ask what contains what, and to fail on misnested tags."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {}, None)
        self.current = self.root
        self.feed(html)
        self.close()
        assert self.current is self.root, f"unclosed <{self.current.tag}>"

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attributes}, self.current)
        self.current.content.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.current.content.append(Element(tag, {k: v or "" for k, v in attributes}, self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)

    def elements(self, tag: str | None = None) -> list[Element]:
        return [e for e in self.root.walk() if tag is None or e.tag == tag]


def environment(newstyle: bool = True, gettext: Callable[[str], str] | None = None) -> jinja2.Environment:
    """The templates with a stand-in base.html and gettext callables (identity unless given);
    ``t``, the app's translation of messages chosen in Python, is the same ``gettext``."""
    loader = jinja2.ChoiceLoader([jinja2.DictLoader({"base.html": BASE}), jinja2.FileSystemLoader(str(TEMPLATES))])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    translate = gettext or (lambda message: message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return translate(singular if n == 1 else plural)

    env.install_gettext_callables(translate, ngettext, newstyle=newstyle)  # type: ignore[attr-defined]
    env.globals["t"] = translate
    return env


def render_page(view: PageView, env: jinja2.Environment | None = None, **extra: Any) -> str:
    values = {
        "view": view,
        "form_action": "/ui/a/tok/page/1",
        "csrf_token": "c5rf",
        "back_url": "/ui/back",
        "language": view.language,
    }
    return (env or environment()).get_template("question.html").render({**values, **extra})


def render_step(view: StepView, env: jinja2.Environment | None = None) -> str:
    values = {"view": view, "form_action": "/ui/a/tok/step", "csrf_token": "c5rf", "back_url": None, "language": view.language}
    return (env or environment()).get_template("guided.html").render(**values)


def assert_accessible_form(html: str, item_ids: set[str]) -> Tree:
    """The structural checks of WCAG 2.1 AA a parser can make, and the naming contract."""
    tree = Tree(html)
    ids = [e.attrs["id"] for e in tree.elements() if "id" in e.attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    known = set(ids)
    labels_for = {e.attrs["for"] for e in tree.elements("label") if "for" in e.attrs}
    assert labels_for <= known, "a label for no control"
    for element in tree.elements():
        for reference in element.attrs.get("aria-describedby", "").split() + element.attrs.get("aria-labelledby", "").split():
            assert reference in known, f"aria reference to missing #{reference}"
        assert "style" not in element.attrs, "inline style (a strict CSP refuses it)"
        assert not any(name.startswith("on") for name in element.attrs), "inline event handler"
    assert not tree.elements("script"), "the pages work without a script"
    (form,) = tree.elements("form")
    assert form.attrs["method"] == "post" and "novalidate" in form.attrs
    hidden = [e for e in tree.elements("input") if e.attrs.get("type") == "hidden"]
    assert [(e.attrs["name"], e.attrs["value"]) for e in hidden] == [("csrf_token", "c5rf")]
    controls = [e for e in tree.elements() if e.tag in ("input", "textarea", "select") and e.attrs.get("type") != "hidden"]
    for control in controls:
        name = control.attrs["name"]
        assert name in item_ids, f"control named {name!r}, not an item id"
        assert control.attrs.get("id") in labels_for or control.attrs.get("aria-labelledby"), f"{name}: no label"
        if control.attrs.get("type") in ("radio", "checkbox"):
            fieldset = next((a for a in control.ancestors() if a.tag == "fieldset"), None)
            assert fieldset is not None, f"{name}: an option outside a fieldset"
            legend = fieldset.children[0] if fieldset.children else None
            assert legend is not None and legend.tag == "legend" and legend.all_text().strip(), f"{name}: no legend first"
    for button in tree.elements("button"):
        assert button.attrs["type"] == "submit" and button.all_text().strip()
        assert button.attrs["name"] == "_action"  # never an item id (item ids start with a letter or digit)
    (progress,) = tree.elements("progress")
    assert progress.attrs["aria-labelledby"] in known
    assert 0 <= float(progress.attrs["value"]) <= float(progress.attrs["max"]) and float(progress.attrs["max"]) > 0
    return tree


def controls_named(tree: Tree, name: str) -> list[Element]:
    return [e for e in tree.elements() if e.tag in ("input", "textarea") and e.attrs.get("name") == name]


# --- every page of every kind -------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_of_the_grid_is_labelled_and_named_by_item_ids(grid: Framework, language: str) -> None:
    item_ids = {item.id for item in grid.items}
    for page in pages(grid):
        html = render_page(page_view(grid, page.index, {}, language))
        tree = assert_accessible_form(html, item_ids)
        assert tree.elements("html")[0].attrs["lang"] == language
        for item_id in page.item_ids:
            values = [e.attrs.get("value") for e in controls_named(tree, item_id)]
            assert "not_applicable" in values and "unknown" in values, item_id
            assert len(values) >= 3 if grid.options_of(grid.item(item_id)) else len(values) == 3


def test_every_kind_of_control_renders(energy: Framework) -> None:
    framework = silkcore.load_framework(
        {
            "schema": "silkcore_framework-v1.1.0",
            "id": "test.web-controls",
            "version": "1.0.0",
            "title": {"en": "Controls"},
            "categories": [{"id": "c", "title": {"en": "All kinds"}}],
            "items": [
                {"id": kind, "category": "c", "kind": kind, "text": {"en": f"A {kind} item"}, "source": "test", **extra}
                for kind, extra in [
                    ("choice", {"options": [{"value": "a"}, {"value": 2}]}),
                    ("multi_choice", {"options": [{"value": "x"}, {"value": "y"}]}),
                    ("scale", {"options": [{"value": 1, "score": 0}, {"value": 2, "score": 1}]}),
                    ("yes_no", {}),
                    ("number", {"min": 1, "max": 9, "unit": "km"}),
                    ("percentage", {}),
                    ("duration", {"unit": "months"}),
                    ("text", {}),
                    ("date", {}),
                    ("link", {}),
                ]
            ],
        }
    )
    answers = {
        "choice": Answer(2),
        "multi_choice": Answer(("y",)),
        "number": Answer(3.5),
        "text": Answer("a <b>"),
        "date": Answer("2024-01-02"),
    }
    html = render_page(page_view(framework, 0, answers, "en"))
    tree = assert_accessible_form(html, {i.id for i in framework.items})
    types = {name: [(e.tag, e.attrs.get("type")) for e in controls_named(tree, name)] for name in (i.id for i in framework.items)}
    assert types["choice"] == [("input", "radio")] * 4
    assert types["multi_choice"] == [("input", "checkbox")] * 4
    assert types["yes_no"] == [("input", "radio")] * 4
    assert types["number"] == [("input", "text"), ("input", "checkbox"), ("input", "checkbox")]
    assert types["text"] == [("textarea", None), ("input", "checkbox"), ("input", "checkbox")]
    assert types["date"][0] == ("input", "date") and types["link"][0] == ("input", "url")
    number = controls_named(tree, "number")[0]
    assert number.attrs["inputmode"] == "decimal" and number.attrs["value"] == "3.5"
    described = {e.attrs["id"]: e.all_text() for e in tree.elements() if "id" in e.attrs}
    assert [described[i] for i in number.attrs["aria-describedby"].split()] == ["A number from 1 to 9 (km)"]
    percentage = controls_named(tree, "percentage")[0]
    assert described[percentage.attrs["aria-describedby"]] == "A number from 0 to 100"
    assert [e.attrs["value"] for e in controls_named(tree, "choice") if "checked" in e.attrs] == ["2"]
    assert [e.attrs["value"] for e in controls_named(tree, "multi_choice") if "checked" in e.attrs] == ["y"]
    assert controls_named(tree, "text")[0].all_text() == "a <b>"  # escaped in the page, the text itself once parsed
    assert "a &lt;b&gt;" in html
    assert [e.attrs["value"] for e in controls_named(tree, "yes_no")] == ["true", "false", "not_applicable", "unknown"]
    assert [label.all_text() for label in tree.elements("label") if label.attrs["for"].startswith("q4-")] == [
        "Yes",
        "No",
        "Not applicable",
        "Don't know",
    ]


def test_a_conditional_item_appears_in_the_page_only_when_it_applies(energy: Framework) -> None:
    item_ids = {i.id for i in energy.items}
    tree = assert_accessible_form(render_page(page_view(energy, 0, {}, "en")), item_ids)
    assert not controls_named(tree, "why.finance_detail")
    answers, _ = parse_page(energy, 0, {"why.motive": ["finance"]}, {})
    html = render_page(page_view(energy, 0, answers, "en", revealed=["why.finance_detail"]))
    tree = assert_accessible_form(html, item_ids)
    assert controls_named(tree, "why.finance_detail")
    notice = next(e for e in tree.elements() if "notice" in e.attrs.get("class", ""))
    assert notice.attrs["role"] == "status"


def test_errors_are_summarised_and_linked_to_their_fields(grid: Framework) -> None:
    form = {"B.08": ["twelve"], "B.11": ["-4"], "B.09": ["true", "not_applicable"]}
    answers, problems = parse_page(grid, 1, form, {})
    assert set(problems) == {"B.08", "B.09", "B.11"}
    html = render_page(page_view(grid, 1, answers, "en", problems, submitted=form))
    tree = assert_accessible_form(html, {i.id for i in grid.items})
    assert tree.elements("title")[0].all_text().startswith("Error: ")
    summary = next(e for e in tree.elements() if e.attrs.get("class") == "error-summary")
    assert summary.attrs["role"] == "alert" and summary.attrs["tabindex"] == "-1"
    links = [a for a in summary.walk() if a.tag == "a"]
    assert len(links) == 3
    targets = {e.attrs["id"]: e for e in tree.elements() if "id" in e.attrs}
    for link in links:
        target = targets[link.attrs["href"].removeprefix("#")]
        assert target.tag == "input"
        assert target.attrs.get("aria-invalid") == "true"
    b08 = controls_named(tree, "B.08")[0]
    assert b08.attrs["value"] == "twelve"  # shown again as typed
    error_id = b08.attrs["aria-describedby"].split()[-1]
    assert targets[error_id].all_text() == "Error: Enter a number, like 12 or 3.5"
    b11 = controls_named(tree, "B.11")[0]
    assert "-4 is outside the item's range 0.0..None" in targets[b11.attrs["aria-describedby"].split()[-1]].all_text()
    b09 = next(e for e in tree.elements("fieldset") if any(c.attrs.get("name") == "B.09" for c in e.walk()))
    assert targets[b09.attrs["aria-describedby"].split()[-1]].attrs["class"] == "error-message"
    assert all(c.attrs.get("aria-invalid") == "true" for c in controls_named(tree, "B.09"))
    # Fields without a problem are not marked.
    assert all("aria-invalid" not in c.attrs for c in controls_named(tree, "B.10"))


def test_a_general_problem_is_in_the_summary_without_a_link(energy: Framework) -> None:
    html = render_page(page_view(energy, 1, {}, "en", {"": ["subject: 'x' is not an identifier"]}))
    tree = Tree(html)
    summary = next(e for e in tree.elements() if e.attrs.get("class") == "error-summary")
    assert "subject: 'x' is not an identifier" in summary.all_text() and not [a for a in summary.walk() if a.tag == "a"]


def test_the_buttons_and_the_back_link(energy: Framework) -> None:
    first = Tree(render_page(page_view(energy, 0, {}, "en")))
    assert [(b.attrs["value"], b.all_text()) for b in first.elements("button")] == [("continue", "Save and continue")]
    assert [a.attrs["href"] for a in first.elements("a") if a.attrs.get("class") == "back-link"] == ["/ui/back"]
    last = Tree(render_page(page_view(energy, 2, {}, "en")))
    assert [(b.attrs["value"], b.all_text()) for b in last.elements("button")] == [("finish", "Finish")]
    # The route decides: a page may finish early, or the last page continue (to a review page).
    chosen = Tree(render_page(page_view(energy, 2, {}, "en"), finish=False, back_url=None))
    assert [b.attrs["value"] for b in chosen.elements("button")] == ["continue"]
    assert not [a for a in chosen.elements("a") if a.attrs.get("class") == "back-link"]
    progress = Tree(render_page(page_view(energy, 1, {"why.motive": Answer("market")}, "en")))
    assert "Section 2 of 3 · 1 of 4 questions answered" in progress.elements("p")[1].all_text()


# --- languages ----------------------------------------------------------------------------------


def test_french_texts_and_interface_strings(grid: Framework) -> None:
    french = {"Save and continue": "Enregistrer et continuer", "Not applicable": "Sans objet", "Don't know": "Ne sait pas"}
    html = render_page(page_view(grid, 2, {}, "fr"), environment(gettext=lambda m: french.get(m, m)))
    tree = Tree(html)
    assert tree.elements("html")[0].attrs["lang"] == "fr"
    assert tree.elements("h1")[0].all_text() == grid.category("C").title["fr"]
    legends = [e.all_text() for e in tree.elements("legend")]
    assert grid.item("C.06").text["fr"] in legends[0]
    assert [b.all_text() for b in tree.elements("button")] == ["Enregistrer et continuer"]
    labels = [label.all_text() for label in tree.elements("label")]
    assert "Sans objet" in labels and "Ne sait pas" in labels
    marked = [e for e in tree.elements("span") if "lang" in e.attrs]
    # No text fell back; only the sources, which have no translations, are in English.
    assert marked and all(e.attrs["lang"] == "en" and e.parent.attrs["class"] == "question__source" for e in marked)  # type: ignore[union-attr]
    english = Tree(render_page(page_view(grid, 2, {}, "en")))
    assert not [e for e in english.elements("span") if "lang" in e.attrs]


def test_a_text_in_another_language_is_marked(energy: Framework) -> None:
    html = render_page(page_view(energy, 0, {}, "fr"))
    tree = Tree(html)
    assert tree.elements("html")[0].attrs["lang"] == "fr"
    caption = next(e for e in tree.elements("p") if e.attrs.get("class") == "caption")
    assert caption.all_text() == "Prêts à coopérer avec une coopérative énergétique à l'étranger ?"  # French title, unmarked
    marked = [e for e in tree.elements("span") if e.attrs.get("lang") == "en"]
    assert "What is the main motive for the partnership?" in [e.all_text() for e in marked]
    legend = tree.elements("legend")[0]
    note = next(e for e in legend.walk() if e.attrs.get("class") == "fallback")
    assert note.all_text() == "(in anglais)"  # "(en anglais)" once the catalog translates the frame
    for option in [e for e in tree.elements("label") if e.attrs.get("for", "").startswith("q1-")][:3]:
        assert any(s.attrs.get("lang") == "en" for s in option.walk())


@pytest.mark.parametrize("newstyle", [True, False])
def test_the_templates_render_with_either_gettext_style(energy: Framework, newstyle: bool) -> None:
    form = {"why.motive": ["finance"], "why.finance_detail": ["x"]}
    answers, problems = parse_page(energy, 0, form, {"why.motive": Answer("finance")})
    html = render_page(page_view(energy, 0, answers, "fr", problems, submitted=form), environment(newstyle))
    assert "(in anglais)" in html and "Enter a number, like 12 or 3.5" in html and "Section 1 of 3" in html


# --- guided steps -------------------------------------------------------------------------------


def test_every_step_of_a_guided_walk_renders(flowchart: Framework) -> None:
    item_ids = {i.id for i in flowchart.items}
    answers: dict[str, Answer] = {}
    seen = []
    for _ in range(30):
        view = step_view(flowchart, answers, "es")
        html = render_step(view)
        if view.finished:
            tree = Tree(html)
            assert not [e for e in tree.elements() if e.tag in ("input", "textarea") and e.attrs.get("type") != "hidden"]
            assert [b.attrs["value"] for b in tree.elements("button")] == ["finish"]
            assert tree.elements("dl") and tree.elements("h1")[0].all_text()
            break
        tree = assert_accessible_form(html, item_ids)
        seen.append(view.node_id)
        assert tree.elements("h1")[0].all_text() == flowchart.graph.node(view.node_id).title["es"]  # type: ignore[union-attr]
        form = {}
        for item in view.items:
            options = [e.attrs["value"] for e in controls_named(tree, item.id) if e.attrs.get("type") in ("radio", "checkbox")]
            typed = [
                e
                for e in controls_named(tree, item.id)
                if e.tag == "textarea" or e.attrs.get("type") not in ("radio", "checkbox")
            ]
            if item.id == "p4.decision_continue":
                form[item.id] = ["continue"]
            elif typed and item.kind == "duration":
                form[item.id] = ["3"]
            elif typed:
                form[item.id] = ["Una respuesta"]
            else:
                form[item.id] = [options[0]]
        result = parse_step(flowchart, form, answers)
        assert result.issues == {}
        answers = result.answers
    assert seen[0] == "why" and "assess" in seen


def test_a_revisit_is_explained_on_the_step_it_leads_to(flowchart: Framework) -> None:
    answers = parse_step(flowchart, {"p1.why": ["x"], "p1.motives": ["values"], "p1.policy_support": ["unknown"]}, {}).answers
    answers = parse_step(
        flowchart, {"p1.what": ["x"], "p1.differentiation": ["y"], "p1.fills_need": ["unknown"]}, answers
    ).answers
    result = parse_step(flowchart, {"p1.decision_motive_clear": ["false"]}, answers)
    html = render_step(step_view(flowchart, result.answers, "fr", revisits=result.revisits))
    tree = assert_accessible_form(html, {i.id for i in flowchart.items})
    notice = next(e for e in tree.elements("div") if "notice--revisit" in e.attrs.get("class", ""))
    assert "Pourquoi : motivations" in notice.all_text()
    assert "Pas de motivation ou de proposition de valeur claire" in notice.all_text()


def test_a_step_with_problems_links_them(flowchart: Framework) -> None:
    result = parse_step(flowchart, {"p1.why": ["x"]}, {})
    view = step_view(flowchart, result.answers, "en", result.issues, submitted={"p1.why": ["x"]})
    tree = assert_accessible_form(render_step(view), {i.id for i in flowchart.items})
    summary = next(e for e in tree.elements() if e.attrs.get("class") == "error-summary")
    hrefs = [a.attrs["href"] for a in summary.walk() if a.tag == "a"]
    assert hrefs == ["#q2-1", "#q3"]


# --- the stylesheet -----------------------------------------------------------------------------


def test_the_stylesheet_is_self_contained_and_covers_focus_reflow_and_print() -> None:
    css = STATIC.joinpath("silk.css").read_text(encoding="utf-8")
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", css), "the stylesheet fetches nothing"
    assert ":focus-visible" in css and "@media print" in css and "overflow-wrap: break-word" in css
    # No fixed width wider than a 320 px screen (20rem) anywhere.
    rules = re.sub(r"@media[^{]*\{", "", css)
    for value, unit in re.findall(r"(?<![-\w])(?:min-)?width:\s*([\d.]+)(px|rem|em)", rules):
        assert float(value) * (16 if unit != "px" else 1) <= 320, (value, unit)


def test_every_template_compiles() -> None:
    env = environment()
    for name in ("question.html", "guided.html", "_item.html"):
        env.get_template(name)


def answers_with_statuses(framework: Framework) -> Mapping[str, Answer]:
    return {item.id: Answer(status=AnswerStatus.UNKNOWN) for item in framework.items}


def test_statuses_are_shown_checked(grid: Framework) -> None:
    tree = Tree(render_page(page_view(grid, 1, answers_with_statuses(grid), "en")))
    for item_id in pages(grid)[1].item_ids:
        checked = [e.attrs["value"] for e in controls_named(tree, item_id) if "checked" in e.attrs]
        assert checked == ["unknown"], item_id


def test_interface_messages_are_translated_and_the_checks_shown_as_worded(energy: Framework) -> None:
    french = {"Enter a number, like 12 or 3.5": "Saisissez un nombre, comme 12 ou 3,5", "Error:": "Erreur :"}
    form = {"why.motive": ["finance"], "why.members": ["partly", "agree"], "why.finance_detail": ["douze"]}
    answers, problems = parse_page(energy, 0, form, {"why.motive": Answer("finance")})
    html = render_page(
        page_view(energy, 0, answers, "fr", problems, submitted=form), environment(gettext=lambda m: french.get(m, m))
    )
    tree = Tree(html)
    summary = next(e for e in tree.elements() if e.attrs.get("class") == "error-summary")
    assert "Saisissez un nombre, comme 12 ou 3,5" in summary.all_text()
    assert "Give one answer only" in summary.all_text()  # no translation given: the msgid
    messages = [e.all_text() for e in tree.elements("p") if e.attrs.get("class") == "error-message"]
    assert "Erreur : Saisissez un nombre, comme 12 ou 3,5" in messages
    checked = render_page(page_view(energy, 0, {"why.motive": Answer("finance")}, "fr", {"why.finance_detail": ["50%"]}))
    assert "50%" in checked  # a check's message is never run through gettext's % formatting
