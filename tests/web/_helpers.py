"""Helpers of the web questionnaire's in-process tests: an app over a store, the CSRF token
of a page, starting a questionnaire, and answering it page by page the way a browser
posts a form (from a response set document's answers)."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from silkcore import Framework
from silkcore.web import create_app
from silkcore.web._controls import option_tokens
from silkcore.web._forms import pages

from ..conftest import EXAMPLES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette prefers httpx2 for its test client; httpx works the same
    from starlette.testclient import TestClient

GRID = "silk.evaluation-grid"
FLOWCHART = "silk.flowchart"
BOARD = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json").read_text())
WORKERS = json.loads((EXAMPLES / "demo" / "response_sets" / "evaluation-grid-workers.json").read_text())
FLOWCHART_ANSWERS = json.loads((EXAMPLES / "demo" / "response_sets" / "flowchart-management.json").read_text())
#: Rates off unless a test turns them on: the limits have tests of their own.
NO_LIMITS = {"start_rate": 0.0, "submit_rate": 0.0}

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TOKEN = re.compile(r"/(?:r|t|join)/([A-Za-z0-9_-]{43})")


@contextmanager
def web_client(store: Path | str, **options: Any) -> Iterator[TestClient]:
    """The questionnaire in process over ``store`` (rates off unless given)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        app = create_app(store, **{**NO_LIMITS, **options})
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def token_of(location: str) -> str:
    """The secret token in a link."""
    found = _TOKEN.search(location)
    assert found, location
    return found.group(1)


def start(client: TestClient, framework_id: str = GRID, prefix: str = "", team: bool = False, **fields: Any) -> str:
    """Start a questionnaire (or, with ``team``, a team assessment); the secret token."""
    path = f"{prefix}/{'team' if team else 'start'}/{framework_id}"
    form = client.get(path)
    assert form.status_code == 200, form.text
    data = {"org_name": "Tejidos Solidarios (fictional)", "role": "management", **fields, "csrf_token": csrf_of(form.text)}
    posted = client.post(path, data=data, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    return token_of(posted.headers["location"])


def form_values(framework: Framework, item_ids: list[str], responses: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """What a browser posts for ``item_ids`` answered as ``responses`` (by item id)."""
    data: dict[str, Any] = {}
    for item_id in item_ids:
        response = responses.get(item_id)
        if response is None:
            continue
        if "status" in response:
            data[item_id] = response["status"]
            continue
        item = framework.item(item_id)
        tokens = {json.dumps(v) if not isinstance(v, str) else v: t for t, v in option_tokens(framework, item).items()}
        value = response["value"]
        values = value if isinstance(value, list) else [value]
        if tokens:
            data[item_id] = [tokens[json.dumps(v) if not isinstance(v, str) else v] for v in values]
        else:
            data[item_id] = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    return data


def shown_items(html: str) -> list[str]:
    """The item ids a page's controls are named by (in page order)."""
    names = re.findall(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"', html)
    return list(dict.fromkeys(n for n in names if n not in ("csrf_token", "_action")))


def answer_pages(
    client: TestClient,
    token: str,
    framework: Framework,
    document: Mapping[str, Any],
    prefix: str = "",
    stop_after: int | None = None,
) -> Any:
    """Answer a category framework page by page as ``document`` does (the items each page
    shows), finishing on the last page; the answer to the last post (or, with
    ``stop_after``, to the post of that many pages)."""
    responses = {r["item_id"]: r for r in document["responses"]}
    total = len(pages(framework))
    last: Any = None
    for page in pages(framework):
        if stop_after is not None and page.index >= stop_after:
            break
        path = f"{prefix}/r/{token}/p/{page.index + 1}"
        shown = client.get(path)
        assert shown.status_code == 200, shown.text
        data = {**form_values(framework, shown_items(shown.text), responses), "csrf_token": csrf_of(shown.text)}
        data["_action"] = "finish" if page.index == total - 1 else "continue"
        last = client.post(path, data=data, follow_redirects=False)
        assert last.status_code == 303, last.text
    return last


def walk_steps(client: TestClient, token: str, framework: Framework, document: Mapping[str, Any], prefix: str = "") -> Any:
    """Answer a guided framework step by step as ``document`` does ("don't know" where it is
    silent), then finish; the answer to the finishing post."""
    responses = {r["item_id"]: r for r in document["responses"]}
    path = f"{prefix}/r/{token}/step"
    for _ in range(200):
        shown = client.get(path)
        assert shown.status_code == 200, shown.text
        if 'value="finish"' in shown.text:
            return client.post(path, data={"csrf_token": csrf_of(shown.text), "_action": "finish"}, follow_redirects=False)
        names = shown_items(shown.text)
        data = {**form_values(framework, names, responses), "csrf_token": csrf_of(shown.text), "_action": "continue"}
        for name in names:  # the walk waits for every item of its step
            data.setdefault(name, "unknown")
        posted = client.post(path, data=data, follow_redirects=False)
        assert posted.status_code in (200, 303), posted.text
    raise AssertionError("the walk did not end")


def assessed(framework_id: str, paths: list[Path]) -> str:
    """What ``silk assess --json`` prints for these response set files."""
    from ..conftest import run_silk

    result = run_silk("assess", "--framework", framework_id, *map(str, paths), "--json")
    assert result.returncode == 0, result.stderr
    return result.stdout


__all__ = [
    "BOARD",
    "FLOWCHART",
    "FLOWCHART_ANSWERS",
    "GRID",
    "WORKERS",
    "answer_pages",
    "assessed",
    "csrf_of",
    "form_values",
    "shown_items",
    "start",
    "token_of",
    "walk_steps",
    "web_client",
]
