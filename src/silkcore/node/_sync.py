"""``silk sync``: pull what another node shows us into our store, and remember where we stopped.

The other node's feed (``GET /feed``) lists what it lets *this* caller see; each record is
fetched (``GET /documents/{id}?version=N``), checked as if a peer had posted it - the one
document check, expiry and content hash, and any proof, which must verify - and stored with
``received_from`` set to the node it came from. Its sharing terms travel with it, so the
receiving node serves it no wider than it was given (a ``network`` record does not become
public). Private records never appear in a feed, so they never move.

A record whose publisher is the node itself or is proven by a signature is stored as proven;
any other is kept as the node vouches for it, marked unproven, and does not count for profiles
and histories (:mod:`silkcore.node._provenance`). A tombstone withdraws our copy when it came
from that node or that publisher. The cursor is saved after each page, so an interrupted sync
resumes where it stopped and a second run pulls nothing new.

Only ``http``/``https`` URLs are fetched, with a timeout, a size limit on every answer and the
strict JSON reader; nothing is followed but the node's own feed and records. The token must keep
the peers file's rule (:func:`~silkcore.node._auth.is_bearer_token`), checked before any request,
and no message ever quotes it.
"""

from __future__ import annotations

import datetime as dt
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection
from typing import Any

import attrs

from .._documents import FrameworkResolver, check
from .._errors import DataError, Issue, SilkError
from .._jsonio import body_limits, loads
from .._model import Envelope
from .._schemas import SchemaRegistry
from .._sharing import verify_received
from .._store import RecordConflict, Store
from ._auth import TOKEN_RULE, is_bearer_token
from ._provenance import publisher_proven
from ._subject import subject_of

__all__ = ["SyncError", "SyncReport", "checked_node_url", "sync"]

#: The largest answer accepted from the other node, in bytes.
MAX_ANSWER = 8 * 1024 * 1024
PAGE = 200
TIMEOUT = 30.0


class SyncError(SilkError):
    """The other node could not be read (unreachable, refused the token, or answered
    something that is not its protocol). Check the URL and token; nothing was lost: the
    cursor still points after the last page stored."""


@attrs.define
class SyncReport:
    """What one run did, record by record."""

    source: str
    stored: int = 0
    versions: int = 0
    unchanged: int = 0
    unproven: int = 0
    withdrawn: int = 0
    refused: list[tuple[str, str]] = attrs.field(factory=list)

    def document(self) -> dict[str, Any]:
        """The report as ``silk sync --json`` prints it."""
        return {
            "source": self.source,
            "stored": self.stored,
            "new_versions": self.versions,
            "unchanged": self.unchanged,
            "unproven_publishers": self.unproven,
            "withdrawn": self.withdrawn,
            "refused": [{"record_id": r, "reason": why} for r, why in self.refused],
        }


Fetch = Callable[[str], bytes]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A node answers its own feed and records; a redirect elsewhere is an error, not a hop."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


#: No proxies from the environment and no redirects: the only host contacted is the node's.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def http_fetcher(token: str, timeout: float = TIMEOUT) -> Fetch:
    """GET a URL with the bearer token; the body, or :class:`SyncError`.

    :raises SyncError: at once, before any request, when ``token`` is not a bearer token a
        node could accept - a line break in it would otherwise reach http.client, whose error
        quotes the header, token included.
    """
    if not is_bearer_token(token):
        raise SyncError(_token_problem(token))

    def fetch(url: str) -> bytes:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SyncError(f"only http and https nodes can be synced from, not {url!r}")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})  # noqa: S310 - scheme checked above
        # Every failure becomes one line, and none quotes the token: the other node could echo it
        # (in a reason phrase, a status line http.client quotes whole), and these lines end up in
        # logs and cron mail.
        try:
            with _OPENER.open(request, timeout=timeout) as answer:
                body: bytes = answer.read(MAX_ANSWER + 1)
        except urllib.error.HTTPError as exc:
            raise SyncError(_one_line(f"{url}: the node answered {exc.code} {exc.reason}", token)) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SyncError(_one_line(f"cannot reach {url}: {reason}", token)) from None
        except (http.client.HTTPException, ValueError) as exc:  # an answer that is not HTTP, a request http.client refused
            raise SyncError(_one_line(f"cannot read {url}: {exc}", token)) from None
        if len(body) > MAX_ANSWER:
            raise SyncError(f"{url}: the answer is larger than {MAX_ANSWER} bytes")
        return body

    return fetch


def _token_problem(token: str) -> str:
    """Why ``token`` cannot be sent, in words that never quote it."""
    problem = f"the token is not {TOKEN_RULE}"
    if token != token.strip():
        return f"{problem}: it starts or ends with a space or a line break (a token file with Windows line ends?)"
    return problem


def _one_line(message: str, token: str) -> str:
    """``message`` with the token blanked out wherever it appears, and any line break or run of
    spaces (a status line ends with one) made a single space."""
    return " ".join(message.replace(token, "[token]").split())


def _json(fetch: Fetch, url: str) -> Any:
    try:
        # The environment's limits, as every other reader applies them; the size is the answer's own bound.
        return loads(fetch(url), source=url, limits=body_limits(MAX_ANSWER))
    except DataError as exc:  # not JSON, or JSON beyond the reader's limits: its own words say which
        issue = exc.errors[0]
        raise SyncError(f"{url}: the strict reader refused the answer at {issue.pointer or '/'}: {issue.message}") from None


def _page(answer: Any, url: str) -> tuple[list[dict[str, Any]], str, bool]:
    if (
        not isinstance(answer, dict)
        or not isinstance(answer.get("items"), list)
        or not isinstance(answer.get("next"), str)
        or not all(isinstance(i, dict) and isinstance(i.get("record_id"), str) for i in answer["items"])
    ):
        raise SyncError(f"{url}: not a feed page (expected items, next and more)")
    return answer["items"], answer["next"], bool(answer.get("more"))


def checked_node_url(node_url: str) -> str:
    """``node_url``, or a SyncError: for a URL that is not ``http``/``https`` or does not parse,
    and for one carrying a user or a password (the token authenticates; such a URL would be
    shown in messages and kept as ``received_from``), quoted without them. The command checks
    it before it opens the store."""
    scheme, _, rest = node_url.partition("://")
    _, at, host = rest.split("/", 1)[0].rpartition("@")
    if at:
        why = "a node URL carries no user or password (the token authenticates); give it without them"
        raise SyncError(f"{scheme}://{host}: {why}")
    try:
        parts = urllib.parse.urlsplit(node_url)
        parts.port  # noqa: B018 - read for its check: a port that is not a number raises here
    except ValueError as exc:
        raise SyncError(f"{node_url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"only http and https nodes can be synced from, not {node_url!r}")
    return node_url


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _receive(
    document: Any,
    source: str,
    registry: SchemaRegistry,
    frameworks: FrameworkResolver | None,
    keys_of: Callable[[str], Collection[str]],
) -> tuple[dict[str, Any], bool]:
    """The checked envelope and whether its publisher is proven; DataError when unsound."""
    entity, issues = check(document, registry=registry, frameworks=frameworks)
    if issues:
        raise DataError(issues)
    if not isinstance(entity, Envelope):
        raise DataError([Issue("/schema", "expected an envelope")])
    verify_received(entity, dt.datetime.now(dt.UTC))
    return document, publisher_proven(document, source, keys_of)


def _withdraw(store: Store, item: dict[str, Any], source: str, report: SyncReport) -> None:
    local = store.record(item["record_id"])
    if local is None or local.withdrawn_at is not None or local.publisher != item.get("publisher"):
        return
    if source in (local.received_from, local.publisher):  # only the node we had it from, or its publisher
        store.withdraw(local.record_id, at=_now())
        report.withdrawn += 1


def sync(
    node_url: str,
    store: Store,
    fetch: Fetch,
    registry: SchemaRegistry,
    *,
    source: str | None = None,
    frameworks: FrameworkResolver | None = None,
    keys_of: Callable[[str], Collection[str]] = lambda _publisher: (),
    page_size: int = PAGE,
) -> SyncReport:
    """Pull into ``store`` what the node at ``node_url`` shows us, from where the last run stopped.

    ``source`` is the node's id as ``received_from`` records it (default: its URL);
    ``keys_of`` gives the signing keys our peers file lists for a publisher.

    :raises SyncError: for a URL with a user or password in it (the token authenticates; such
        a URL would be shown in messages and kept as ``received_from``), said without it."""
    base = checked_node_url(node_url).rstrip("/")
    source = source or base
    report = SyncReport(source)
    cursor = store.cursor(source) or ""
    while True:
        url = f"{base}/feed?" + urllib.parse.urlencode({"after": cursor, "limit": page_size})
        items, cursor, more = _page(_json(fetch, url), url)
        for item in items:
            if item.get("withdrawn"):
                _withdraw(store, item, source, report)
                continue
            record_id, version = item["record_id"], item.get("version")
            url = f"{base}/documents/{urllib.parse.quote(record_id, safe='')}?version={int(version or 1)}"
            try:
                envelope, proven = _receive(_json(fetch, url), source, registry, frameworks, keys_of)
            except (DataError, SyncError) as exc:
                reason = exc.errors[0].message if isinstance(exc, DataError) else str(exc)
                report.refused.append((record_id, reason))
                continue
            try:
                outcome = store.put_record(
                    envelope,
                    received_from=source,
                    received_at=_now(),
                    subject=subject_of(envelope["payload"]),
                    publisher_verified=proven,
                )
            except RecordConflict as exc:
                report.refused.append((record_id, str(exc)))
                continue
            except DataError as exc:  # what the store cannot keep (a number beyond RFC 8785): this record only
                issue = exc.errors[0]
                report.refused.append((record_id, f"{issue.pointer or '/'}: {issue.message}"))
                continue
            if outcome.status == "created":
                report.stored += 1
            elif outcome.status == "new_version":
                report.versions += 1
            else:
                report.unchanged += 1
            report.unproven += outcome.status != "unchanged" and not proven
        store.set_cursor(source, cursor)
        if not more:
            return report
