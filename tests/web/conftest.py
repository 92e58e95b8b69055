"""Fixtures of the browser tests: a real node serving the questionnaire, one Chromium per test
module, contexts at 1280 and 390 px (and one with JavaScript off) whose requests may not leave
the node's origin, an axe-core runner and a screenshot folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import silkcore

from ..conftest import EXAMPLES
from ._browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, TIMEOUT_MS, Axe, RequestRecorder, Screenshots, WebNode

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ViewportSize

#: The questionnaire's per-address limits on starting and submitting, off for a browser run
#: (a few respondents from one address in seconds); their own tests are the app's.
WEB_LIMITS_OFF = ["--ui-start-rate", "0", "--ui-submit-rate", "0"]

#: Where the screenshots go: $SILKCORE_SCREENSHOTS (to keep them, e.g. as CI artefacts) or a
#: folder of the run's temporary directory, printed at the end of the run.
SCREENSHOTS_ENV = "SILKCORE_SCREENSHOTS"

_screenshot_folders: list[Path] = []


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium; the browser tests are skipped only where it is not installed."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (the Makefile's `browser` target installs it where it can)")
    return CHROMIUM


@pytest.fixture(scope="module")
def web_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebNode]:
    """``silk serve`` with a store of its own for one test module."""
    base = tmp_path_factory.mktemp("web-node")
    node = WebNode(base / "history.sqlite", base / "node.log", WEB_LIMITS_OFF)
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    """One Chromium for a test module (contexts keep the tests apart)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Contexts:
    """Makes the browser contexts of one test: ``contexts.new(viewport=PHONE, javascript=False)``.
    Every context's requests go through a :class:`RequestRecorder`; any request beyond the
    node's origin is aborted, and fails the test at its end."""

    def __init__(self, browser: Browser, origin: str) -> None:
        self.browser = browser
        self.origin = origin
        self.made: list[tuple[BrowserContext, RequestRecorder]] = []

    def new(self, *, viewport: ViewportSize = DESKTOP, javascript: bool = True, **options: Any) -> BrowserContext:
        """A new context (a browser profile of its own: cookies, storage)."""
        # A fixed locale: the questionnaire may pick its language from Accept-Language, and
        # the tests choose French explicitly with ?lang=fr.
        options.setdefault("locale", "en-GB")
        context = self.browser.new_context(viewport=viewport, java_script_enabled=javascript, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        recorder = RequestRecorder(self.origin)
        recorder.attach(context)
        self.made.append((context, recorder))
        return context

    def recorder(self, context: BrowserContext) -> RequestRecorder:
        """The recorder of a context made here."""
        return next(recorder for made, recorder in self.made if made is context)

    def external(self) -> list[str]:
        """Every request beyond the node's origin any context made here attempted."""
        return sorted({url for _, recorder in self.made for url in recorder.external})

    def refused(self) -> list[str]:
        """What the pages' Content-Security-Policy refused, uncaught script errors, and
        subresources answered with an error."""
        return [message for _, recorder in self.made for message in recorder.refused]

    def close(self) -> None:
        for context, _ in self.made:
            try:
                context.close()
            except Exception:  # already closed by the test (a respondent closing the browser)
                pass


@pytest.fixture
def contexts(browser: Browser, web_node: WebNode) -> Iterator[Contexts]:
    """The contexts of one test, closed after it; the test fails if any page of them asked
    for anything beyond the node's origin, broke its own Content-Security-Policy, threw or
    missed one of its own stylesheets or images."""
    made = Contexts(browser, web_node.origin)
    yield made
    made.close()
    if made.external():
        pytest.fail(f"pages requested URLs beyond the node's origin {web_node.origin}: {made.external()}")
    if made.refused():
        pytest.fail(f"the pages' policy refused something, a script failed or a subresource is missing: {made.refused()}")


@pytest.fixture
def desktop(contexts: Contexts) -> BrowserContext:
    """A context 1280 px wide."""
    return contexts.new(viewport=DESKTOP)


@pytest.fixture
def phone(contexts: Contexts) -> BrowserContext:
    """A context 390 px wide (a phone in portrait)."""
    return contexts.new(viewport=PHONE)


@pytest.fixture
def no_js(contexts: Contexts) -> BrowserContext:
    """A context with JavaScript turned off."""
    return contexts.new(viewport=DESKTOP, javascript=False)


@pytest.fixture(scope="session")
def axe(node_tools: Path) -> Axe:
    """The axe-core runner, from tests/js's npm packages (installed by ``node_tools``)."""
    script = node_tools / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        pytest.skip(f"axe-core is not installed in {node_tools} (npm install there failed?)")
    return Axe(script)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Screenshots:
    """The run's screenshot folder."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    _screenshot_folders.append(folder)
    return Screenshots(folder)


@pytest.fixture
def shoot(screenshots: Screenshots, record_property: Callable[[str, object], None]) -> Callable[..., list[Path]]:
    """``shoot(page, name)``: screenshots at 1280 and 390 px, attached to the test's report
    (its ``user_properties``, which JUnit XML output carries)."""

    def take(page: Any, name: str) -> list[Path]:
        paths = screenshots.shoot(page, name)
        for path in paths:
            record_property("screenshot", str(path))
        return paths

    return take


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say where the screenshots are, once, at the end of the run."""
    for folder in _screenshot_folders:
        count = len(list(folder.glob("*.png"))) if folder.exists() else 0
        terminalreporter.write_line(f"web questionnaire screenshots ({count}): {folder}")


# -- the frameworks the form and template tests answer (built once a module) -----------------


@pytest.fixture(scope="module")
def catalog() -> silkcore.Catalog:
    """The installed plugins' catalog."""
    return silkcore.build_catalog()


@pytest.fixture(scope="module")
def grid(catalog: silkcore.Catalog) -> silkcore.Framework:
    """Tool 2, the evaluation grid (78 items, texts in en, fr and es)."""
    return catalog.framework("silk.evaluation-grid")


@pytest.fixture(scope="module")
def flowchart(catalog: silkcore.Catalog) -> silkcore.Framework:
    """Tool 1, the flow chart: a guided framework with a decision graph."""
    return catalog.framework("silk.flowchart")


@pytest.fixture(scope="module")
def energy() -> silkcore.Framework:
    """The example network's framework file: numbers, units and conditional items."""
    return silkcore.load_framework(EXAMPLES / "frameworks" / "community-energy-readiness.yaml")
