"""The HTML report: self-contained, offline, charts with text alternatives, untrusted text escaped."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ..conftest import EXAMPLES, run_silk


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = run_silk("demo", "-o", str(out), "--store", str(out / "h.sqlite"))
    assert result.returncode == 0, result.stderr
    assert "Report (" in result.stdout and "report.html" in result.stdout
    return out / "report.html"


def test_report_is_offline_with_at_least_four_inline_svg_charts(demo_report: Path) -> None:
    html = demo_report.read_text()
    assert html.count("<svg") >= 4
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert all('aria-label="' in svg[:300] for svg in html.split("<svg")[1:])


def test_report_has_a_section_per_tool(demo_report: Path) -> None:
    html = demo_report.read_text()
    for heading in ("evaluation grid", "Tool 1 flow chart", "Tool 3", "flows", "Tool 4", "Tool 5"):
        assert heading.lower() in html.lower(), heading
    markdown = demo_report.with_suffix(".md").read_text()
    assert markdown.startswith("# Internationalisation report")


def untrusted_bundle(tmp_path: Path) -> list[str]:
    organisation = json.loads((EXAMPLES / "demo" / "organisation.json").read_text())
    organisation["name"] = "<script>alert(1)</script>"
    path = tmp_path / "organisation.json"
    path.write_text(json.dumps(organisation))
    sets = sorted((EXAMPLES / "demo" / "response_sets").glob("*.json"))
    readiness = EXAMPLES / "plugin-event-readiness" / "silk_event_readiness" / "event_readiness.yaml"
    return [str(path), *map(str, sets), str(EXAMPLES / "demo" / "flows.jsonl"), "--framework", str(readiness)]


def test_untrusted_text_is_escaped(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = run_silk("report", *untrusted_bundle(tmp_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_scorecard_renders_in_notebooks() -> None:
    import silkcore

    sets = [silkcore.load_document(p) for p in sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))]
    card = silkcore.assess("silk.evaluation-grid", sets, catalog=silkcore.build_catalog())
    html = card._repr_html_()
    assert html.startswith("<table>") and "silk.evaluation-grid" in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (the Makefile's test set-up installs it where it can)"
)
def test_report_in_a_real_browser(demo_report: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    # The untrusted-name report, to see in the browser that nothing runs.
    hostile = tmp_path / "hostile.html"
    assert run_silk("report", *untrusted_bundle(tmp_path), "-o", str(hostile)).returncode == 0
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        for page_file in (demo_report, hostile):
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            console: list[str] = []
            requests: list[str] = []
            dialogs: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file://") else None)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            assert console == [], console
            assert requests == [], requests
            assert dialogs == [], "a script from the data ran"
            assert page.locator("svg").count() >= 4
            shot = tmp_path / f"{page_file.stem}.png"
            page.screenshot(path=str(shot), full_page=True)
            import matplotlib.image

            pixels = matplotlib.image.imread(str(shot))
            assert pixels.std() > 0.05, "the screenshot is blank"
        browser.close()


def test_progress_bar_on_a_terminal_and_quiet_when_piped(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    from ..conftest import GUARD, ROOT

    files = [str(p) for p in sorted((EXAMPLES / "network" / "response_sets").glob("*.json"))]
    piped = run_silk("validate", *files)
    assert piped.returncode == 0 and "validating" not in piped.stderr
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(GUARD))
    process = subprocess.Popen(
        [sys.executable, "-m", "silkcore", "validate", *files], stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env
    )
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(master)
    assert b"validating" in output and b"document(s) valid" in output
