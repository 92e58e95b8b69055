"""The web questionnaire in a real browser (Debian's Chromium through Playwright): the issue's
"Must show" - two respondents complete the evaluation grid and the downloaded score card is
the one ``silk assess`` computes, resume in a new browser, French, axe-core on every page
type, no external request, no horizontal scroll at 390 px, and the flow without JavaScript."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest
import yaml

from ..conftest import EXAMPLES, ROOT, run_silk
from ._browser import (
    ITEM_ID,
    PHONE,
    Answer,
    Axe,
    RequestRecorder,
    WebNode,
    alternate_documents,
    answer_pages,
    control_names,
    fill_item,
    follow,
    has_horizontal_scroll,
    read_item,
    resume_link,
    same_answer,
    start,
    start_link,
    submit_form,
)
from .conftest import Contexts

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

Shoot = Callable[[Any, str], list[Path]]

# --- The harness itself: it must catch what it is there to catch ---------------------------

BAD_PAGE = """<!doctype html><html lang="en"><head><title>bad</title></head><body><main>
<h1>A page the harness must reject</h1>
<img src="https://cdn.example.org/logo.png" alt="logo">
<form><input type="text" name="A.01"></form>
<div style="width: 2000px">too wide</div>
</main></body></html>"""


POLICED_PAGE = """<!doctype html><html lang="en"><head><title>policed</title>
<meta http-equiv="Content-Security-Policy" content="img-src 'self'"></head><body><main>
<img src="https://tracker.example.net/pixel.gif" alt=""></main></body></html>"""


def test_the_harness_catches_external_requests_violations_and_overflow(browser: Browser, axe: Axe, tmp_path: Path) -> None:
    """The recorder aborts and records a request beyond the page's origin and notes one the
    page's own policy refused; axe-core reports an unlabelled control as blocking; the
    reflow check sees a page wider than 390 px."""
    page_file = tmp_path / "bad.html"
    page_file.write_text(BAD_PAGE, encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    recorder = RequestRecorder("file://")
    recorder.attach(context)
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert recorder.external == ["https://cdn.example.org/logo.png"]
        assert recorder.allowed == [page_file.as_uri()]
        assert "label" in {v["id"] for v in axe.scan(page)}
        with pytest.raises(AssertionError, match="label"):
            axe.check(page, "bad")
        assert has_horizontal_scroll(page)
        # A request the page's own policy refuses never reaches the route: the console says so.
        policed = tmp_path / "policed.html"
        policed.write_text(POLICED_PAGE, encoding="utf-8")
        page.goto(policed.as_uri())
        page.wait_for_load_state("load")
        assert recorder.external == ["https://cdn.example.org/logo.png"]
        assert any("tracker.example.net" in message for message in recorder.refused), recorder.refused
    finally:
        context.close()


# --- The questionnaire ------------------------------------------------------------------------

FRAMEWORK = "silk.evaluation-grid"
#: A guided framework: its walk is answered step by step (a page type of its own).
GUIDED = "silk.flowchart"
GRID = yaml.safe_load((ROOT / "plugins" / "silk_evaluation_grid" / "evaluation_grid.yaml").read_text(encoding="utf-8"))
ITEMS = [item["id"] for item in GRID["items"]]
DEMO_SETS = EXAMPLES / "demo" / "response_sets"


def plan_of(role: str) -> dict[str, Answer]:
    """A respondent's answers to all 78 items: the demo's (some "not applicable"), as the
    responses of a silkcore response set."""
    document = json.loads((DEMO_SETS / f"evaluation-grid-{role}.json").read_text(encoding="utf-8"))
    plan: dict[str, Answer] = {r["item_id"]: {k: r[k] for k in ("value", "status") if k in r} for r in document["responses"]}
    assert sorted(plan) == sorted(ITEMS)
    return plan


BOARD, WORKERS = plan_of("board"), plan_of("workers")


def test_the_plans_answer_every_item_with_some_not_applicable() -> None:
    for plan in (BOARD, WORKERS):
        assert len(plan) == 78
        assert sum(answer.get("status") == "not_applicable" for answer in plan.values()) >= 3


def split_response_sets(body: bytes) -> list[bytes]:
    """The response sets of the ``response-sets`` download (JSON Lines), each as the bytes it
    was sent in."""
    lines = [line for line in body.split(b"\n") if line.strip()]
    assert lines and all(line.startswith(b"{") for line in lines), body[:200]
    return lines


def response_sets_of(body: bytes) -> list[dict[str, Any]]:
    """The response sets of the ``response-sets`` download, parsed."""
    return [json.loads(line) for line in split_response_sets(body)]


def check_answers(document: Mapping[str, Any], plan: Mapping[str, Answer]) -> None:
    """The response set holds exactly the planned answers, item by item."""
    got = {r["item_id"]: {k: r[k] for k in ("value", "status") if k in r} for r in document["responses"]}
    assert sorted(got) == sorted(plan)
    wrong = {item: (plan[item], got[item]) for item in plan if got[item] != plan[item]}
    assert not wrong, f"answers changed on the way: {wrong}"


def check_card_is_silk_assess(documents: Mapping[str, bytes], plans: Sequence[Mapping[str, Answer]], folder: Path) -> None:
    """The downloaded documents validate, hold the planned answers, and the score card is byte
    for byte what ``silk assess --json`` prints for the downloaded response sets."""
    assert {"scorecard", "response-sets"} <= set(documents), sorted(documents)
    sent = split_response_sets(documents["response-sets"])
    assert len(sent) == len(plans)
    by_role = {plan_role(plan): plan for plan in plans}
    paths = []
    for number, raw in enumerate(sent, start=1):
        document = json.loads(raw)
        check_answers(document, by_role[document["respondent"]["role"]])
        path = folder / f"response-set-{number}.json"
        path.write_bytes(raw + b"\n")  # as downloaded: silk assess reads what the browser got
        paths.append(str(path))
    card = folder / "scorecard.json"
    card.write_bytes(documents["scorecard"])
    validated = run_silk("validate", str(card), *paths)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assessed = run_silk("assess", "--framework", FRAMEWORK, *paths, "--json")
    assert assessed.returncode == 0, assessed.stderr
    assert documents["scorecard"] == assessed.stdout.encode("utf-8")


def plan_role(plan: Mapping[str, Answer]) -> str:
    """The demo role a plan was read from."""
    return "board" if plan is BOARD else "workers"


class Visit:
    """Looks at a page as every page type is looked at: axe-core (a scan needs the page's
    scripts on), screenshots at 1280 and 390 px, and at 390 px the page must not scroll
    sideways (WCAG 1.4.10). The page itself is narrowed, so that a page answering a post (a
    validation error) is seen as it was shown."""

    def __init__(self, axe: Axe, shoot: Shoot) -> None:
        self.axe, self.shoot = axe, shoot

    def __call__(self, page: Page, label: str, *, scan: bool = True) -> None:
        if scan:
            self.axe.check(page, label)
        self.shoot(page, label)
        original = page.viewport_size
        page.set_viewport_size(PHONE)
        try:
            assert not has_horizontal_scroll(page), f"the {label} page scrolls sideways at 390 px: {page.url}"
        finally:
            if original is not None:
                page.set_viewport_size(original)


@pytest.fixture
def visit(axe: Axe, shoot: Shoot) -> Visit:
    """The :class:`Visit` of a test."""
    return Visit(axe, shoot)


def invitation_link(page: Page) -> str:
    """The team's invitation link on the coordinator's page: a link, or a field to copy it from."""
    link = page.locator('main a[href*="/join/"]')
    if link.count():
        href = link.first.get_attribute("href")
    else:
        href = page.locator('main input[value*="/join/"]').first.get_attribute("value")
    assert href, f"no invitation link on the coordinator's page {page.url}"
    return urljoin(page.url, href)


def join(page: Page, name: str, role: str) -> None:
    """On the team's invitation page, a respondent joins; the first question page follows."""
    page.locator('[name="respondent_name"]').fill(name)
    page.locator('[name="role"]').select_option(role)
    assert submit_form(page, "role") == 200, page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_team_of_two_completes_the_grid_and_the_card_is_what_silk_assess_prints(
    contexts: Contexts, web_node: WebNode, visit: Visit, tmp_path: Path, javascript: bool
) -> None:
    """A coordinator starts a team assessment and shares the invitation link; two respondents,
    each in a browser of their own, answer all 78 items (some not applicable) and finish; the
    coordinator sees both finished and closes. The results page's alternate documents are
    the response sets and the score card ``silk assess`` computes from them, byte for byte.
    Without JavaScript the same flow must work (server-rendered forms only)."""
    suffix = "" if javascript else "-nojs"
    coordinator = contexts.new(javascript=javascript).new_page()
    start(coordinator, web_node, FRAMEWORK, "Tejidos Solidarios S. Coop.", coordinator="Ana Coordinator")
    team_page = coordinator.url
    invitation = invitation_link(coordinator)
    visit(coordinator, f"team-coordinator{suffix}", scan=javascript)

    for name, role, plan in (("Board respondent", "board", BOARD), ("Worker respondent", "workers", WORKERS)):
        respondent = contexts.new(javascript=javascript).new_page()
        respondent.goto(invitation)
        if role == "board":
            visit(respondent, f"team-join{suffix}", scan=javascript)
        join(respondent, name, role)
        if role == "board":
            visit(respondent, f"question{suffix}", scan=javascript)
        answered = answer_pages(respondent, plan)
        assert len(answered) == len(GRID["categories"]), answered
        assert not [n for n in control_names(respondent) if ITEM_ID.fullmatch(n)]
        if role == "board":
            visit(respondent, f"team-waiting{suffix}", scan=javascript)
        respondent.context.close()

    coordinator.goto(team_page)
    main = coordinator.locator("main").inner_text()
    assert "Board respondent" in main and "Worker respondent" in main
    assert follow(coordinator, coordinator.locator('form[action*="/close"] button[type="submit"]').first) == 200
    visit(coordinator, f"results-team{suffix}", scan=javascript)
    check_card_is_silk_assess(alternate_documents(coordinator), [BOARD, WORKERS], tmp_path)


def test_a_respondent_closes_the_browser_halfway_and_resumes_in_another(
    contexts: Contexts, web_node: WebNode, tmp_path: Path
) -> None:
    """Three of the six categories answered, the browser context is closed; the resume link,
    opened in a new context (no cookie in common), comes back where the respondent stopped
    with every earlier answer pre-filled, and finishing keeps them all."""
    first = contexts.new().new_page()
    start(first, web_node, FRAMEWORK, "Resuming cooperative", role="board")
    done = answer_pages(first, BOARD, pages=3)
    stopped_at = first.url
    link = resume_link(first, web_node)
    first.context.close()

    second = contexts.new().new_page()
    second.goto(link)
    assert second.url == stopped_at, "the resume link did not come back where the respondent stopped"
    for url in done:
        second.goto(url)
        shown = [name for name in control_names(second) if name in BOARD]
        assert shown, url
        lost = {
            name: (BOARD[name], read_item(second, name))
            for name in shown
            if not same_answer(BOARD[name], read_item(second, name))
        }
        assert not lost, f"answers not kept on {url}: {lost}"
    second.goto(link)
    answer_pages(second, BOARD)
    documents = alternate_documents(second)
    [document] = response_sets_of(documents["response-sets"])
    check_answers(document, BOARD)


def test_in_french_item_texts_and_the_interface_are_french(contexts: Contexts, web_node: WebNode, visit: Visit) -> None:
    """``?lang=fr``: the page's language, the framework's French texts (title, category, item,
    option) and the interface's own strings from the French catalog."""
    from silkcore.web._i18n import gettext

    page = contexts.new().new_page()
    page.goto(web_node.ui("?lang=fr"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert GRID["title"]["fr"] in page.locator("main").inner_text()
    visit(page, "home-fr")
    start(page, web_node, FRAMEWORK, "Coopérative francophone", role="management", lang="fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    main = page.locator("main").inner_text()
    first_item = GRID["items"][0]
    assert first_item["text"]["fr"] in main and first_item["text"]["en"] not in main
    assert GRID["categories"][0]["title"]["fr"] in main
    assert first_item["options"][0]["label"]["fr"] in main
    button = page.locator('button[name="_action"]').first.inner_text().strip()
    french = gettext("fr", "Save and continue")
    assert french != "Save and continue" and button == french
    assert gettext("fr", "Not applicable") in main or page.get_by_text(gettext("fr", "Not applicable")).count() > 0
    visit(page, "question-fr")


def test_every_page_type_passes_axe_makes_no_external_request_and_reflows_at_390(
    contexts: Contexts, web_node: WebNode, visit: Visit
) -> None:
    """axe-core (WCAG 2.0/2.1 A and AA) finds nothing serious or critical on the start page,
    the start form, a question page, a page showing a validation error, the check of the
    answers, the results, a guided walk's step and an error page; none of them asks for
    anything beyond the node; none scrolls sideways at 390 px."""
    context = contexts.new()
    page = context.new_page()
    page.goto(web_node.ui())
    visit(page, "home")
    follow(page, start_link(page, FRAMEWORK).first)
    visit(page, "start")
    page.locator('[name="org_name"]').fill("Accessible cooperative")
    page.locator('[name="role"]').select_option("members")
    submit_form(page, "org_name")
    visit(page, "question")

    # A number out of range on the page that asks for one: the page comes back with the
    # error, beside the field and linked to it.
    answer_pages(page, BOARD, pages=1)
    percentage = next(item["id"] for item in GRID["items"] if item["kind"] == "percentage")
    assert percentage in control_names(page)
    for name in control_names(page):
        if name in BOARD:
            fill_item(page, name, BOARD[name])
    fill_item(page, percentage, {"value": 150})
    assert follow(page, page.locator('button[name="_action"]').first) == 422
    field = page.locator(f'[name="{percentage}"]').first
    assert field.get_attribute("aria-invalid") == "true"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert any(page.locator(f'[id="{i}"]').inner_text().strip() for i in described), "the error is not linked to its field"
    visit(page, "error")

    fill_item(page, percentage, BOARD[percentage])
    answer_pages(page, BOARD, pages=1)
    questions = page.url
    follow(page, page.get_by_role("link", name="Check your answers"))
    visit(page, "review")
    page.goto(questions)
    answer_pages(page, BOARD)
    visit(page, "results")
    assert {"scorecard", "response-sets"} <= set(alternate_documents(page))

    guided = context.new_page()
    start(guided, web_node, GUIDED, "Guided cooperative", role="management")
    visit(guided, "guided-step")
    missing = guided.goto(web_node.ui("r/no-such-link"))
    assert missing is not None and missing.status == 404
    visit(guided, "not-found")

    assert contexts.external() == []
    seen = contexts.recorder(context).allowed
    assert any(url.endswith(".css") for url in seen), "the recorder saw no stylesheet: is it routing?"
