"""The web questionnaire in process (Starlette's test client, no browser): start, pages,
finish and results; the resume link; teams; downloads that ``silk validate`` passes and that
``silk assess`` scores to the very bytes served; CSRF, rate limits, other organisations'
links, headers and sizes; languages; mounted under a platform's prefix and in ``silk serve``."""

from __future__ import annotations

import html
import json
import re
import secrets
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

import silkcore
from silkcore._documents import validate
from silkcore._store import open_store
from silkcore.web import create_app
from silkcore.web._security import PAGE_POLICY, record_id_for
from silkcore.web._storage import PAYLOAD_SCHEMA

from ..conftest import EXAMPLES, run_silk
from ._helpers import (
    BOARD,
    FLOWCHART,
    FLOWCHART_ANSWERS,
    GRID,
    WORKERS,
    TestClient,
    answer_pages,
    assessed,
    csrf_of,
    shown_items,
    start,
    token_of,
    walk_steps,
    web_client,
)

CATALOG = silkcore.get_catalog()
GRID_FRAMEWORK = CATALOG.framework(GRID)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """The questionnaire's store: an SQLite file, or a database of the throwaway PostgreSQL."""
    if request.param == "sqlite":
        return tmp_path / "web.sqlite"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The questionnaire over an SQLite file, rates off."""
    with web_client(tmp_path / "web.sqlite") as test_client:
        yield test_client


def links(html: str) -> dict[str, str]:
    """The page's ``<link rel="alternate" type="application/json">`` elements, by title."""
    found = {}
    for tag in re.findall(r"<link [^>]*>", html):
        attributes = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        if attributes.get("rel") == "alternate" and attributes.get("type") == "application/json":
            found[attributes["title"]] = attributes["href"]
    return found


def save(tmp_path: Path, name: str, body: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


def split_lines(tmp_path: Path, jsonl: bytes, stem: str) -> list[Path]:
    """Each line of a JSON Lines download as a document of its own (what ``silk assess`` reads)."""
    return [save(tmp_path, f"{stem}-{n}.json", line + b"\n") for n, line in enumerate(jsonl.splitlines(), start=1)]


# -- the contract ------------------------------------------------------------------------------


def test_home_lists_every_installed_framework_with_a_link_to_start_it(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for framework in CATALOG.frameworks():
        assert f'href="/start/{framework.id}"' in page.text
        assert client.get(f"/start/{framework.id}").status_code == 200


def test_a_respondent_answers_every_page_and_the_downloads_are_what_silk_assess_prints(store: Path | str, tmp_path: Path) -> None:
    with web_client(store) as client:
        token = start(client, GRID, country="ES", sse_family="cooperative", approaches=["import_export", "franchising"])
        finished = answer_pages(client, token, GRID_FRAMEWORK, BOARD)
        assert finished.headers["location"] == f"/r/{token}/results"
        page = client.get(f"/r/{token}/results")
        assert page.status_code == 200
        documents = links(page.text)
        assert set(documents) == {"scorecard", "response-sets"}
        card = client.get(documents["scorecard"])
        sets = client.get(documents["response-sets"])
        one = client.get(f"/r/{token}/response-sets/1.json")
        report = client.get(f"/r/{token}/report.html")
    # Both documents are plain silkcore documents: silk validate passes them...
    jsonl = save(tmp_path, "response-sets.jsonl", sets.content)
    card_file = save(tmp_path, "scorecard.json", card.content)
    checked = run_silk("validate", str(jsonl), str(card_file))
    assert checked.returncode == 0, checked.stderr
    # ... and the score card is, byte for byte, what silk assess prints for the response sets.
    assert assessed(GRID, split_lines(tmp_path, sets.content, "set")) == card.text
    assert one.content == sets.content  # one respondent: the one line is the document
    # Every answer given is in the response set, and the card is the one recorded in the history.
    downloaded = json.loads(sets.content)
    assert [(r["item_id"], r.get("value", r.get("status"))) for r in downloaded["responses"]] == [
        (r["item_id"], r.get("value", r.get("status"))) for r in BOARD["responses"]
    ]
    org_id = downloaded["subject"]["org_id"]
    assert org_id.startswith("urn:uuid:")  # none was given: one was made
    with open_store(store) as kept:
        [recorded] = kept.assessments(org_id)
    assert recorded.scorecard == json.loads(card.content)
    # The results show the card, its trace on demand, cases and strategy options, and the report is served.
    assert "<details" in page.text and "Organisations like yours" in page.text and "Strategy options" in page.text
    assert (
        report.status_code == 200
        and "<html" in report.text
        and report.headers["content-security-policy"].startswith("default-src 'none'")
    )


def test_the_results_show_findings_with_item_texts_and_the_trace_of_every_score(client: TestClient) -> None:
    token = start(client, GRID)
    answer_pages(client, token, GRID_FRAMEWORK, BOARD)
    page = client.get(f"/r/{token}/results").text
    card = client.get(f"/r/{token}/scorecard.json").json()
    for finding in card["findings"]:
        if finding.get("item_id"):
            assert GRID_FRAMEWORK.item(finding["item_id"]).text["en"] in page
    assert page.count("<details") == len(card["categories"])
    assert page.count("<summary>") == len(card["categories"])


def test_a_guided_framework_is_walked_step_by_step_and_scored(client: TestClient, tmp_path: Path) -> None:
    token = start(client, FLOWCHART)
    assert client.get(f"/r/{token}", follow_redirects=False).headers["location"] == f"/r/{token}/step"
    done = walk_steps(client, token, CATALOG.framework(FLOWCHART), FLOWCHART_ANSWERS)
    assert done.status_code == 303 and done.headers["location"] == f"/r/{token}/results"
    page = client.get(f"/r/{token}/results")
    assert page.status_code == 200 and set(links(page.text)) == {"scorecard", "response-sets"}
    card = client.get(f"/r/{token}/scorecard.json").text
    sets = client.get(f"/r/{token}/response-sets.jsonl").content
    assert assessed(FLOWCHART, split_lines(tmp_path, sets, "walk")) == card


# -- save and resume ---------------------------------------------------------------------------


def test_every_page_is_saved_as_a_new_version_of_a_private_record_whose_id_hides_the_token(tmp_path: Path) -> None:
    store = tmp_path / "web.sqlite"
    with web_client(store) as client:
        token = start(client, GRID)
        answer_pages(client, token, GRID_FRAMEWORK, BOARD, stop_after=3)
    record_id = record_id_for(token, "respondent")
    with open_store(store) as kept:
        versions = [kept.record(record_id, version) for version in (1, 2, 3, 4)]
        assert kept.record(record_id, 5) is None
    assert all(v is not None and v.sharing_level == "private" for v in versions)
    stamps = [v.generated_at for v in versions if v is not None]
    assert stamps == sorted(stamps) and len(set(stamps)) == 4
    latest = versions[-1]
    assert latest is not None and latest.payload_schema == PAYLOAD_SCHEMA
    assert validate(latest.envelope, registry=CATALOG.schemas) == []
    assert len(latest.envelope["payload"]["responses"]) > 0
    # The token is nowhere in the store: neither in a record nor in the database's bytes.
    assert token not in json.dumps(latest.envelope)
    assert token.encode() not in store.read_bytes()


def test_the_resume_link_brings_a_respondent_back_where_they_stopped_on_another_device(tmp_path: Path) -> None:
    store = tmp_path / "web.sqlite"
    with web_client(store) as first:
        token = start(first, GRID)
        answer_pages(first, token, GRID_FRAMEWORK, BOARD, stop_after=2)
        page = first.get(f"/r/{token}/p/3")
        assert f"http://testserver/r/{token}" in page.text  # the link to keep is on every page
    with web_client(store) as second:  # another browser: no cookie, nothing but the link
        back = second.get(f"/r/{token}", follow_redirects=False)
        assert back.headers["location"] == f"/r/{token}/p/3"
        earlier = second.get(f"/r/{token}/p/1").text
        assert re.search(r'name="A\.01" value="reciprocal" checked', earlier)
        done = answer_pages(second, token, GRID_FRAMEWORK, BOARD)
        assert done.headers["location"] == f"/r/{token}/results"
        sets = second.get(f"/r/{token}/response-sets.jsonl").json()
    assert len(sets["responses"]) == len(BOARD["responses"])


def test_a_refused_answer_is_shown_beside_its_field_and_the_page_is_still_saved(client: TestClient) -> None:
    token = start(client, GRID)
    answer_pages(client, token, GRID_FRAMEWORK, BOARD, stop_after=1)
    page = client.get(f"/r/{token}/p/2")
    data = {"csrf_token": csrf_of(page.text), "_action": "continue", "B.01": "yes", "B.08": "lots", "B.11": "-3"}
    refused = client.post(f"/r/{token}/p/2", data=data)
    assert refused.status_code == 422
    assert "There is a problem" in refused.text and "Enter a number" in refused.text
    assert re.search(r'class="error-message" id="q\d+-error"', refused.text)
    assert 'aria-invalid="true"' in refused.text
    resumed = client.get(f"/r/{token}", follow_redirects=False)
    assert resumed.headers["location"] == f"/r/{token}/p/2"  # it stays where the problem is


def test_the_review_lists_every_answer_and_refuses_to_finish_answers_the_check_refuses(tmp_path: Path) -> None:
    store = tmp_path / "web.sqlite"
    with web_client(store) as client:
        token = start(client, GRID)
        answer_pages(client, token, GRID_FRAMEWORK, BOARD, stop_after=2)
        review = client.get(f"/r/{token}/review")
        assert review.status_code == 200 and "There is a problem" not in review.text
        # Every item is listed (the grid has no conditional item), answered or not.
        assert review.text.count('class="summary-list__row"') == len(GRID_FRAMEWORK.items)
        # A draft holding an answer the check refuses (written before a framework changed, say)
        # is not finished: the review says what is wrong, with a link to its page.
        record_id = record_id_for(token, "respondent")
        with open_store(store) as kept:
            latest = kept.record(record_id)
            assert latest is not None
            envelope = json.loads(json.dumps(latest.envelope))
            envelope["payload"]["responses"].append({"item_id": "B.08", "value": 150})
            envelope["provenance"]["generated_at"] = "2999-01-01T00:00:00.000000Z"
            kept.put_record(envelope, received_from="urn:silkcore:web", received_at=latest.received_at,
                            subject=None, publisher_verified=True)  # fmt: skip
        finished = client.post(f"/r/{token}/finish", data={"csrf_token": csrf_of(review.text)})
        assert finished.status_code == 422 and "There is a problem" in finished.text
        assert f'href="/r/{token}/p/2"' in finished.text
        assert client.get(f"/r/{token}/results", follow_redirects=False).status_code == 303  # not finished


# -- teams -------------------------------------------------------------------------------------


def join(client: TestClient, invitation: str, **fields: str) -> str:
    form = client.get(invitation)
    assert form.status_code == 200, form.text
    posted = client.post(invitation, data={"csrf_token": csrf_of(form.text), **fields}, follow_redirects=False)
    assert posted.status_code == 303, posted.text
    return token_of(posted.headers["location"])


def invitation_of(page: str) -> str:
    found = re.search(r'id="invitation-link">http://testserver(/join/[A-Za-z0-9_-]{43})<', page)
    assert found, page
    return found.group(1)


def test_a_team_answers_on_their_own_and_the_coordinator_closes_one_consolidated_card(store: Path | str, tmp_path: Path) -> None:
    with web_client(store) as coordinator, web_client(store) as ana, web_client(store) as ben:
        team = start(coordinator, GRID, team=True, coordinator_name="Carmen", country="ES")
        invitation = invitation_of(coordinator.get(f"/t/{team}").text)
        first = join(ana, invitation, respondent_name="Ana", role="board")
        second = join(ben, invitation, role="workers")
        early = coordinator.post(f"/t/{team}/close", data={"csrf_token": csrf_of(coordinator.get(f"/t/{team}").text)})
        assert early.status_code == 422  # nobody has finished
        assert answer_pages(ana, first, GRID_FRAMEWORK, BOARD).headers["location"] == f"/r/{first}/results"
        assert "Thank you" in ana.get(f"/r/{first}/results").text  # waiting for the coordinator
        answer_pages(ben, second, GRID_FRAMEWORK, WORKERS)
        overview = coordinator.get(f"/t/{team}").text
        assert overview.count("<td>Finished</td>") == 2 and "Ana" in overview
        closed = coordinator.post(f"/t/{team}/close", data={"csrf_token": csrf_of(overview)}, follow_redirects=False)
        assert closed.headers["location"] == f"/t/{team}/results"
        results = coordinator.get(f"/t/{team}/results").text
        card = coordinator.get(f"/t/{team}/scorecard.json")
        sets = coordinator.get(f"/t/{team}/response-sets.jsonl")
        # Every respondent's link now shows the team's results and serves the same documents.
        assert "Results for" in ana.get(f"/r/{first}/results").text
        assert ben.get(f"/r/{second}/scorecard.json").content == card.content
        # Nobody joins or answers after closing.
        assert ana.get(invitation).status_code == 409
        assert ana.get(f"/r/{first}/p/1", follow_redirects=False).status_code == 303  # finished: to the results
    document = card.json()
    assert document["respondents"] == 2
    assert [json.loads(line)["respondent"]["role"] for line in sets.content.splitlines()] == ["board", "workers"]
    assert assessed(GRID, split_lines(tmp_path, sets.content, "team")) == card.text
    disagreements = [f for f in document["findings"] if f["kind"] == "disagreement"]
    assert disagreements and "Respondents disagree" in results and "Spread" in results


def test_a_respondent_who_had_not_finished_when_the_team_closed_cannot_answer(client: TestClient) -> None:
    team = start(client, GRID, team=True)
    invitation = invitation_of(client.get(f"/t/{team}").text)
    done = join(client, invitation, role="board")
    late = join(client, invitation, role="members")
    answer_pages(client, done, GRID_FRAMEWORK, BOARD)
    client.post(f"/t/{team}/close", data={"csrf_token": csrf_of(client.get(f"/t/{team}").text)})
    assert client.get(f"/r/{late}/p/1").status_code == 409
    assert client.get(f"/t/{team}/scorecard.json").json()["respondents"] == 1


# -- security ----------------------------------------------------------------------------------


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    token = start(client, GRID)
    page = client.get(f"/r/{token}/p/1")
    assert client.post(f"/r/{token}/p/1", data={"A.01": "inward"}).status_code == 403
    assert client.post(f"/r/{token}/p/1", data={"A.01": "inward", "csrf_token": "x" * 43}).status_code == 403
    assert client.post(f"/r/{token}/finish", data={}).status_code == 403
    # A start form needs the cookie set with it: a form posted from elsewhere has none.
    form = client.get(f"/start/{GRID}")
    client.cookies.clear()
    refused = client.post(f"/start/{GRID}", data={"csrf_token": csrf_of(form.text), "org_name": "X", "role": "board"})
    assert refused.status_code == 403 and "<html" in refused.text
    # The page's own token is accepted.
    assert client.post(f"/r/{token}/p/1", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False).status_code == 303


def test_starts_and_submits_are_rate_limited_per_address(tmp_path: Path) -> None:
    with web_client(tmp_path / "web.sqlite", start_rate=0.001, start_burst=2, submit_rate=0.001, submit_burst=3) as client:
        token = start(client, GRID)
        start(client, GRID)
        form = client.get(f"/start/{GRID}")
        third = client.post(f"/start/{GRID}", data={"csrf_token": csrf_of(form.text), "org_name": "X", "role": "board"})
        assert third.status_code == 429 and int(third.headers["retry-after"]) >= 1
        page = client.get(f"/r/{token}/p/1")
        posts = [client.post(f"/r/{token}/p/1", data={"csrf_token": csrf_of(page.text)}) for _ in range(4)]
        assert [p.status_code for p in posts[:3]] == [200, 200, 200] and posts[3].status_code == 429
        assert client.get(f"/r/{token}/p/1").status_code == 200  # reading is not limited here


def test_no_link_but_its_own_reaches_a_draft_a_team_or_results(client: TestClient) -> None:
    token = start(client, GRID)
    answer_pages(client, token, GRID_FRAMEWORK, BOARD)
    team = start(client, GRID, team=True)
    other = secrets.token_urlsafe(32)
    for path in (
        f"/r/{other}",
        f"/r/{other}/p/1",
        f"/r/{other}/results",
        f"/r/{other}/scorecard.json",
        f"/t/{other}",
        f"/join/{other}",
        f"/r/{team}",  # a coordinator's token is not a respondent's
        f"/t/{token}",  # nor the other way round
        f"/t/{token}/scorecard.json",
        f"/join/{token}",
        f"/r/{token[:-1]}",  # nothing close to a token is one
        "/r/..%2F..%2Fetc/results",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "<html" in answer.text and "Traceback" not in answer.text


def test_every_page_has_the_security_headers_and_no_inline_script_or_style(client: TestClient) -> None:
    token = start(client, GRID)
    team = start(client, GRID, team=True)
    pages = ["/", f"/start/{GRID}", f"/team/{GRID}", f"/r/{token}/p/1", f"/r/{token}/review", f"/t/{team}", "/nowhere"]
    for path in pages:
        page = client.get(path)
        headers = page.headers
        assert headers["content-security-policy"] == PAGE_POLICY
        assert "frame-ancestors 'none'" in PAGE_POLICY and "script-src 'self'" in PAGE_POLICY
        assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"
        assert "<script" not in page.text and " style=" not in page.text and "<style" not in page.text, path
        assert not re.search(r'(href|src|action)="(https?:)?//', page.text.replace("http://testserver/", "")), path
    static = client.get("/static/silk.css")
    assert static.status_code == 200 and "max-age" in static.headers["cache-control"]


def test_bodies_are_bounded(tmp_path: Path) -> None:
    with web_client(tmp_path / "web.sqlite", max_form_bytes=4096) as client:
        token = start(client, GRID)
        page = client.get(f"/r/{token}/p/1")
        big = client.post(f"/r/{token}/p/1", data={"csrf_token": csrf_of(page.text), "A.01": "x" * 5000})
        assert big.status_code == 413 and "<html" in big.text
        fields = {f"f{n}": "1" for n in range(3000)}
        many = client.post(f"/start/{GRID}", data={"csrf_token": "x", **fields})
        assert many.status_code in (400, 413)


def test_uploads_are_off_unless_allowed_and_checked_by_the_one_check(tmp_path: Path) -> None:
    with web_client(tmp_path / "off.sqlite") as closed:
        assert closed.get("/upload").status_code == 404
    energy = EXAMPLES / "frameworks" / "community-energy-readiness.yaml"
    with web_client(tmp_path / "on.sqlite", allow_uploads=True) as client:
        assert 'href="/upload"' in client.get("/").text
        form = client.get("/upload")
        fields = {"csrf_token": csrf_of(form.text), "org_name": "Energy coop", "role": "members"}
        bad = client.post("/upload", data=fields, files={"framework_file": ("bad.yaml", b"id: x\nversion: nope\n")})
        assert bad.status_code == 422 and "The file is not a framework silkcore can use" in bad.text
        assert re.search(r"<li>/[^<]*: ", bad.text)  # the one check's issues, with their pointers
        good = client.post("/upload", data=fields, files={"framework_file": (energy.name, energy.read_bytes())},
                           follow_redirects=False)  # fmt: skip
        assert good.status_code == 303
        token = token_of(good.headers["location"])
        first = client.get(f"/r/{token}", follow_redirects=True)
        assert first.status_code == 200 and shown_items(first.text)
        # a version declaring its changes from an earlier one is asked like any other
        evolved = EXAMPLES / "frameworks" / "community-energy-readiness-1.1.yaml"
        fields["csrf_token"] = csrf_of(client.get("/upload").text)
        later = client.post("/upload", data=fields, files={"framework_file": (evolved.name, evolved.read_bytes())},
                            follow_redirects=False)  # fmt: skip
        assert later.status_code == 303, later.text
        page = client.get(f"/r/{token_of(later.headers['location'])}", follow_redirects=True)
        assert page.status_code == 200 and shown_items(page.text)
    with sqlite3.connect(tmp_path / "on.sqlite") as db:  # what was kept is a valid questionnaire state
        payloads = [json.loads(row[0])["payload"] for row in db.execute("SELECT envelope FROM records")]
    assert len(payloads) == 2 and all(silkcore.validate(payload) == [] for payload in payloads)


def test_errors_are_html_pages_without_a_traceback(client: TestClient) -> None:
    for path, status in (("/nowhere", 404), ("/start/no.such-framework", 404)):
        page = client.get(path)
        assert page.status_code == status and page.headers["content-type"].startswith("text/html")
        assert "Traceback" not in page.text
    wrong_method = client.put("/")
    assert wrong_method.status_code == 404 and "<html" in wrong_method.text


# -- languages ---------------------------------------------------------------------------------


def test_lang_switches_the_interface_and_the_items_to_french_and_is_remembered(client: TestClient) -> None:
    home = client.get("/?lang=fr")
    assert '<html lang="fr">' in home.text and "Choisissez un questionnaire" in home.text
    token = start(client, GRID)
    page = html.unescape(client.get(f"/r/{token}/p/1").text)  # no ?lang= now: the cookie remembers it
    assert '<html lang="fr">' in page and "Enregistrer et continuer" in page
    assert GRID_FRAMEWORK.item("A.01").text["fr"] in page
    assert html.unescape(client.get(f"/r/{token}/p/1?lang=es").text).count(GRID_FRAMEWORK.item("A.01").text["es"]) == 1


def test_accept_language_chooses_among_english_french_and_spanish(client: TestClient) -> None:
    assert '<html lang="es">' in client.get("/", headers={"Accept-Language": "de-DE, es;q=0.8, fr;q=0.5"}).text
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-CA"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "de"}).text


def test_a_resume_link_opened_elsewhere_keeps_the_language_the_questionnaire_was_started_in(tmp_path: Path) -> None:
    store = tmp_path / "web.sqlite"
    with web_client(store) as first:
        first.get("/?lang=es")
        token = start(first, GRID)
    with web_client(store) as second:
        assert '<html lang="es">' in second.get(f"/r/{token}/p/1").text


# -- embedding ---------------------------------------------------------------------------------


def test_a_platform_mounts_the_questionnaire_under_a_prefix_of_its_own(tmp_path: Path) -> None:
    async def home(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("platform")

    questionnaire = create_app(tmp_path / "web.sqlite", start_rate=0, submit_rate=0)
    platform = Starlette(routes=[Route("/", home), Mount("/platform/assess", app=questionnaire)])
    with TestClient(platform) as client:
        assert client.get("/").text == "platform"
        listing = client.get("/platform/assess/")
        assert 'href="/platform/assess/start/silk.evaluation-grid"' in listing.text
        assert 'href="/platform/assess/static/silk.css"' in listing.text
        token = start(client, GRID, prefix="/platform/assess")
        done = answer_pages(client, token, GRID_FRAMEWORK, BOARD, prefix="/platform/assess")
        assert done.headers["location"] == f"/platform/assess/r/{token}/results"
        page = client.get(done.headers["location"])
        urls = re.findall(r'(?:href|action|src)="([^"#?][^"]*)"', page.text)
        assert urls and all(u.startswith(("/platform/assess/", "http://testserver/platform/assess/")) for u in urls), urls
        assert links(page.text)["scorecard"] == f"/platform/assess/r/{token}/scorecard.json"
        assert client.get(links(page.text)["scorecard"]).status_code == 200


def test_silk_serve_mounts_the_questionnaire_under_ui_beside_the_node(tmp_path: Path) -> None:
    from silkcore.node import create_app as create_node

    node = create_node(tmp_path / "node.sqlite", ui=True, ui_options={"start_rate": 0, "submit_rate": 0})
    with TestClient(node) as client:
        assert client.get("/ui", follow_redirects=False).headers["location"] == "/ui/"
        assert 'href="/ui/start/silk.evaluation-grid"' in client.get("/ui/").text
        assert client.get("/frameworks").status_code == 200
        described = client.get("/openapi.json").json()["paths"]
        assert not any(path.startswith("/ui") for path in described)
        token = start(client, GRID, prefix="/ui")
        assert client.get(f"/ui/r/{token}", follow_redirects=False).headers["location"] == f"/ui/r/{token}/p/1"
    without = create_node(tmp_path / "node.sqlite")
    with TestClient(without) as client:
        assert client.get("/ui/").status_code == 404


def test_silk_serve_help_offers_no_ui() -> None:
    shown = run_silk("serve", "--help")
    assert "--no-ui" in shown.stdout and "--ui-start-rate" in shown.stdout


def test_the_cli_defaults_of_the_questionnaire_limits_are_create_apps() -> None:
    import inspect

    from silkcore._cli.serve import UI_OPTIONS

    defaults = {name: p.default for name, p in inspect.signature(create_app).parameters.items()}
    for _option, field, shown, *_ in UI_OPTIONS:
        assert float(shown) == defaults[field], field
