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
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..conftest import GUARD
from ..node.conftest import stop_process

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

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

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
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
        self.url = self._wait_for_url()
        self.origin = origin_of(self.url)

    def _wait_for_url(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log.read_text(errors="replace")
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
            if found and "Application startup complete" in text:
                return found.group(1)
            if self.process.poll() is not None:
                raise RuntimeError(f"the node exited: {text}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the node did not start: {self.log.read_text(errors='replace')}")

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
    elsewhere fails its test even though the request never leaves the machine."""

    origin: str
    allowed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if origin_of(url) == self.origin:
            self.allowed.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")


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


def control_names(page: Page, names: Iterable[str]) -> list[str]:
    """Which of ``names`` have a form control on the page, in page order."""
    wanted = set(names)
    found: list[str] = page.eval_on_selector_all(
        "input[name], select[name], textarea[name]", "els => [...new Set(els.map(e => e.name))]"
    )
    return [name for name in found if name in wanted]
