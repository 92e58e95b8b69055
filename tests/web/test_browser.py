"""The web questionnaire in a real browser (Debian's Chromium through Playwright): the issue's
"Must show" - two respondents complete the evaluation grid and the downloaded score card is
the one ``silk assess`` computes, resume in a new browser, French, axe-core on every page
type, no external request, no horizontal scroll at 390 px, and the flow without JavaScript."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ._browser import Axe, RequestRecorder, has_horizontal_scroll

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# --- The harness itself: it must catch what it is there to catch ---------------------------

BAD_PAGE = """<!doctype html><html lang="en"><head><title>bad</title></head><body><main>
<h1>A page the harness must reject</h1>
<img src="https://cdn.example.org/logo.png" alt="logo">
<form><input type="text" name="A.01"></form>
<div style="width: 2000px">too wide</div>
</main></body></html>"""


def test_the_harness_catches_external_requests_violations_and_overflow(browser: Browser, axe: Axe, tmp_path: Path) -> None:
    """The recorder aborts and records a request beyond the page's origin, axe-core reports
    an unlabelled control as blocking, the reflow check sees a page wider than 390 px."""
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
    finally:
        context.close()
