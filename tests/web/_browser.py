"""The browser harness of the web questionnaire's tests: a real ``silk serve`` in a subprocess,
Debian's Chromium driven by Playwright, a recorder that refuses every request leaving the
node's origin, an axe-core scan and screenshots at 1280 and 390 px.

Nothing here knows the app's CSS: pages are driven through the issue's contract (each item's
control is named by the item id; "not applicable" and "don't know" are controls of the same
name with the values ``not_applicable`` and ``unknown``) and through visible button texts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ..conftest import GUARD
from ..node.conftest import stop_process, wait_for_listening

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, Request, Route, ViewportSize
    from playwright.sync_api import Response as PlaywrightResponse

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: Chromium's own background traffic (updates, sync, field trials) off: the browser makes only
#: the requests the pages ask for, which the recorder then sees. The resolver rule is a second
#: fence behind the recorder: a name other than the loopback address cannot even be resolved.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=OptimizationHints,MediaRouter,Translate",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
WIDTHS = (DESKTOP, PHONE)

#: A hang guard for every Playwright wait, not a speed requirement.
TIMEOUT_MS = 60_000

#: The tag sets of WCAG 2.0 and 2.1, levels A and AA, as axe-core names them.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def origin_of(url: str) -> str:
    """``scheme://host:port`` of a URL (``file://`` for local files)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class WebNode:
    """``silk serve`` (the node with the questionnaire under ``/ui/``) in a subprocess on a free
    loopback port, its store a file of the test's own, outbound connections cut by the guard."""

    def __init__(self, store: Path, log: Path, extra: Sequence[str] = ()) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))
        # A browser run makes many requests from one address in a few seconds: the node's
        # rates and CPU budget are off here (their own tests are in tests/node/test_limits.py).
        rates_off = ["--rate-limit", "0", "--anonymous-rate-limit", "0", "--cpu-budget", "0"]
        command = [sys.executable, "-m", "silkcore", "serve", "--port", "0", "--store", str(store), *rates_off, *extra]
        self.log = log
        with log.open("wb") as handle:
            self.process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)
        self.url = wait_for_listening(self.process, log)
        self.origin = origin_of(self.url)

    def ui(self, path: str = "") -> str:
        """The absolute URL of ``path`` under the questionnaire's mount point ``/ui/``."""
        return f"{self.url}/ui/{path.lstrip('/')}"

    def stop(self) -> None:
        """Stop the subprocess (by its own pid)."""
        stop_process(self.process)


@dataclass
class RequestRecorder:
    """Routes every request of a browser context: those to ``origin`` go through, any other is
    aborted and recorded, so a page that would fetch a font, a script or a beacon from
    elsewhere fails its test even though the request never leaves the machine.

    A request the page's Content-Security-Policy refuses never reaches the route; the
    browser reports it on the console instead. Those reports, and uncaught script errors,
    are recorded too (``refused``): a page that tries to load something its own policy
    forbids is as broken as one that loads it. So is a stylesheet or image of its own that
    answers with an error."""

    origin: str
    allowed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.refused.append(f"uncaught: {error.error}"))
        context.on("response", self._response)
        context.on("requestfailed", self._failed)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if origin_of(url) == self.origin:
            self.allowed.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def _response(self, response: PlaywrightResponse) -> None:
        # A page may answer 404 or 422 (the tests ask for them); what it loads may not: a
        # stylesheet that is not there leaves the page unstyled and the tests none the wiser.
        if response.request.resource_type != "document" and response.status >= 400:
            self.refused.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def _failed(self, request: Request) -> None:
        # An error page sent for a stylesheet is refused by the browser (nosniff) rather than
        # answered: it fails instead. Requests the route aborted are already in ``external``.
        if origin_of(request.url) == self.origin and request.resource_type != "document":
            self.refused.append(f"failed ({request.failure}) {request.resource_type} {request.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.refused.append(message.text)


class Axe:
    """axe-core (the npm package in tests/js) run inside a page, with the WCAG 2.0 and 2.1 A
    and AA rules. The script is evaluated through the DevTools protocol rather than added as
    a ``<script>`` element: the app's Content-Security-Policy rightly refuses inline scripts,
    and the scan must not need that policy loosened."""

    def __init__(self, script: Path) -> None:
        self.source = script.read_text(encoding="utf-8")

    def scan(self, page: Page) -> list[dict[str, Any]]:
        """The violations axe-core finds in the page as it is now."""
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        result: dict[str, Any] = page.evaluate("options => window.axe.run(document, options)", options)
        violations: list[dict[str, Any]] = result["violations"]
        return violations

    def check(self, page: Page, label: str) -> list[dict[str, Any]]:
        """Scan the page and fail on any serious or critical violation; the lesser ones are
        printed (pytest shows them with ``-rA`` or when the test fails) and returned."""
        violations = self.scan(page)
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        for violation in violations:
            print(f"axe on {label} ({page.url}): {describe(violation)}")
        assert not blocking, f"axe-core on the {label} page ({page.url}):\n" + "\n".join(map(describe, blocking))
        return violations


def describe(violation: Mapping[str, Any]) -> str:
    """One readable line per axe-core violation: rule, impact, help and the first offending nodes."""
    targets = [" ".join(map(str, node.get("target", []))) for node in violation.get("nodes", [])[:5]]
    return f"{violation.get('id')} [{violation.get('impact')}] {violation.get('help')}: {targets}"


class Screenshots:
    """Full-page screenshots of every page type at both widths, in one folder per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: list[Path] = []
        folder.mkdir(parents=True, exist_ok=True)

    def shoot(self, page: Page, name: str) -> list[Path]:
        """Save ``<name>-1280.png`` and ``<name>-390.png`` and restore the page's viewport."""
        original = page.viewport_size
        paths = []
        for size in WIDTHS:
            page.set_viewport_size(size)
            path = self.folder / f"{name}-{size['width']}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        if original is not None:
            page.set_viewport_size(original)
        self.taken.extend(paths)
        return paths


def has_horizontal_scroll(page: Page) -> bool:
    """Whether the document is wider than the window (WCAG 1.4.10, reflow)."""
    return bool(page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth"))


def control_names(page: Page) -> list[str]:
    """The names of the page's form controls, in page order, each once."""
    found: list[str] = page.eval_on_selector_all(
        "input[name], select[name], textarea[name]", "els => [...new Set(els.map(e => e.name))]"
    )
    return found


#: A name that looks like an item id of the evaluation grid (``A.01``).
ITEM_ID = re.compile(r"[A-Z]\.\d\d")


# --- Answering through the contract -----------------------------------------------------------

#: A planned answer: ``{"value": ...}`` or ``{"status": "not_applicable" | "unknown"}``, the
#: shape of a response in a silkcore response set.
Answer = Mapping[str, Any]

_CONTROLS_JS = """els => els.map(e => ({
    tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(), value: e.value,
    checked: !!e.checked, selected: e.tagName === 'SELECT' ? [...e.selectedOptions].map(o => o.value) : []}))"""


def html_value(value: Any) -> str:
    """How a response value appears as a control's value: JSON's spelling of booleans, numbers
    without a trailing ``.0``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fill_item(page: Page, item_id: str, answer: Answer) -> None:
    """Answer one item through the controls named ``item_id``."""
    controls = page.locator(f'[name="{item_id}"]')
    described: list[dict[str, Any]] = controls.evaluate_all(_CONTROLS_JS)
    assert described, f"no control named {item_id!r} on {page.url}"
    status = answer.get("status")
    if status is not None:
        choice = page.locator(f'[name="{item_id}"][value="{status}"]')
        assert choice.count() == 1, f"{item_id}: no single control with value {status!r} on {page.url}"
        # Clear a typed value so that the page does not send a number beside "not applicable".
        for index, control in enumerate(described):
            if control["tag"] in ("input", "textarea") and control["type"] not in ("radio", "checkbox") and control["value"]:
                controls.nth(index).fill("")
        choice.check()
        return
    value = answer["value"]
    wanted = {html_value(v) for v in value} if isinstance(value, list) else {html_value(value)}
    for index, control in enumerate(described):
        element = controls.nth(index)
        if control["type"] in ("radio", "checkbox"):
            if control["value"] in wanted:
                element.check()
            elif control["type"] == "checkbox" and control["checked"]:
                element.uncheck()
        elif control["tag"] == "select":
            element.select_option(sorted(wanted))
        else:
            element.fill(html_value(value))
    if all(c["type"] in ("radio", "checkbox") for c in described):
        missing = wanted - {c["value"] for c in described}
        assert not missing, f"{item_id}: no control with value(s) {sorted(missing)} on {page.url}"


def read_item(page: Page, item_id: str) -> Answer | None:
    """What the controls named ``item_id`` hold now, as a planned answer (None: unanswered)."""
    described: list[dict[str, Any]] = page.locator(f'[name="{item_id}"]').evaluate_all(_CONTROLS_JS)
    chosen = [c["value"] for c in described if c["type"] in ("radio", "checkbox") and c["checked"]]
    chosen += [v for c in described if c["tag"] == "select" for v in c["selected"] if v]
    typed = [c["value"] for c in described if c["tag"] in ("input", "textarea") and c["type"] not in ("radio", "checkbox")]
    for status in ("not_applicable", "unknown"):
        if status in chosen:
            return {"status": status}
    multiple = any(c["type"] == "checkbox" for c in described if c["value"] not in ("not_applicable", "unknown"))
    if multiple:
        return {"value": chosen} if chosen else None
    if chosen:
        return {"value": chosen[0]}
    if any(typed):
        return {"value": next(t for t in typed if t)}
    return None


def same_answer(planned: Answer, shown: Answer | None) -> bool:
    """Whether the controls show the planned answer (values compared as the page spells them)."""
    if shown is None:
        return False
    if "status" in planned:
        return bool(shown.get("status") == planned["status"])
    value = planned["value"]
    if isinstance(value, list):
        return sorted(map(html_value, value)) == sorted(map(str, shown.get("value", [])))
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:  # a number typed back may be spelled otherwise ("23" for 23.0)
            return float(shown["value"]) == float(value)
        except (KeyError, TypeError, ValueError):
            return False
    return html_value(value) == str(shown.get("value"))


# --- The questionnaire's flow -----------------------------------------------------------------


def follow(page: Page, target: Locator) -> int:
    """Click a link or a submit button and wait for the page it leads to; its HTTP status."""
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    return 0 if response is None else response.status


def start_link(page: Page, framework_id: str, *, team: bool = False) -> Locator:
    """The home page's link that starts ``framework_id`` (alone, or as a team's coordinator)."""
    links = page.locator(f'main a[href*="/{framework_id}"]')
    return links.and_(page.locator('a[href*="/team/"]' if team else 'a:not([href*="/team/"])'))


def form_of(page: Page, field: str) -> Locator:
    """The form holding the control named ``field``."""
    return page.locator(f'form:has([name="{field}"])')


def submit_form(page: Page, field: str) -> int:
    """Submit the form holding the control named ``field`` with its submit button."""
    return follow(page, form_of(page, field).locator('button[type="submit"], input[type="submit"]').first)


def start(page: Page, node: WebNode, framework_id: str, organisation: str, *, role: str | None = None,
          coordinator: str | None = None, lang: str | None = None) -> None:  # fmt: skip
    """From ``GET /ui/`` to the first question page (alone, with ``role``) or to the
    coordinator's page (a team, with ``coordinator``)."""
    page.goto(node.ui(f"?lang={lang}" if lang else ""))
    team = coordinator is not None
    assert follow(page, start_link(page, framework_id, team=team).first) == 200, page.url
    page.locator('[name="org_name"]').fill(organisation)
    if team:
        page.locator('[name="coordinator_name"]').fill(coordinator or "")
    else:
        page.locator('[name="role"]').select_option(role or "other")
    status = submit_form(page, "org_name")
    assert status == 200, f"starting answered {status} at {page.url}: {page.locator('main').inner_text()[:500]}"


def answer_pages(page: Page, plan: Mapping[str, Answer], *, pages: int | None = None) -> list[str]:
    """Answer question pages as ``plan`` says, page after page, until a page has no item
    control (the results, the review or a waiting page) or ``pages`` pages are done; the URLs of
    the pages answered. A page that refuses its answers fails here, with its messages."""
    answered: list[str] = []
    while pages is None or len(answered) < pages:
        names = [name for name in control_names(page) if name in plan]
        if not names:
            break
        unplanned = {name for name in control_names(page) if ITEM_ID.fullmatch(name)} - set(plan)
        assert not unplanned, f"{page.url} asks items the plan does not answer: {sorted(unplanned)}"
        for name in names:
            fill_item(page, name, plan[name])
        answered.append(page.url)
        status = follow(page, page.locator('button[name="_action"]').first)
        assert status == 200, f"{answered[-1]} answered {status}: {page.locator('main').inner_text()[:1500]}"
    return answered


def alternate_documents(page: Page) -> dict[str, bytes]:
    """The bodies of the page's ``<link rel="alternate" type="application/json">`` documents,
    by ``title``, fetched with the context's cookies."""
    links = page.locator('link[rel="alternate"][type="application/json"]')
    found: dict[str, bytes] = {}
    for index in range(links.count()):
        link = links.nth(index)
        title, href = link.get_attribute("title"), link.get_attribute("href")
        assert title and href, f"an alternate link without title or href on {page.url}"
        response = page.request.get(urljoin(page.url, href))
        assert response.status == 200, f"{href} answered {response.status}"
        found[title] = response.body()
    return found


def resume_link(page: Page, node: WebNode) -> str:
    """The resume link the page shows: a link under the questionnaire whose text is its own
    absolute URL (for the respondent to copy)."""
    links: list[list[str]] = page.eval_on_selector_all("a[href]", "els => els.map(e => [e.href, e.textContent.trim()])")
    shown = [href for href, text in links if href == text and href.startswith(node.ui(""))]
    assert shown, f"no resume link on {page.url}"
    return shown[0]
