"""What keeps one organisation's answers from another and the questionnaire from abuse.

* **Links are the keys.** Every draft, team and invitation is reached only through a link
  holding a token of 256 random bits (:func:`new_token`). The store never sees the token:
  the record's id is derived from its SHA-256 (:func:`record_id_for`), so neither someone
  reading the store nor the node's feed can rebuild a link. A token that is malformed,
  unknown, or of another kind (a coordinator's token on a respondent's URL) is one 404.
* **CSRF.** A form posted for a draft or team carries that record's own random secret; the
  forms that create something (start, join, upload) carry the value of a cookie set with
  the form (double submit). Both are compared with :func:`hmac.compare_digest`.
* **Headers** (:class:`SecurityHeaders`): a Content-Security-Policy of ``default-src 'self'``
  with no inline script, no framing, ``Referrer-Policy: no-referrer`` (so the token in a
  page's URL never travels to another site), ``nosniff``, and ``no-store`` on every page.
* **Rate limits** per client address on starting and on submitting (:class:`RateLimits`),
  with the node's token buckets (:class:`silkcore.node._ratelimit.Buckets`).
* **Sizes**: request bodies are read up to a limit (:func:`read_form`); fields, files and
  parts are bounded too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
import uuid
from collections.abc import Mapping

import attrs
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..node._ratelimit import Buckets, address_key
from ._i18n import N_

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "PAGE_POLICY",
    "RateLimits",
    "SecurityHeaders",
    "WebError",
    "check_csrf",
    "form_lists",
    "new_token",
    "read_form",
    "record_id_for",
    "valid_token",
]

#: The hidden field every form posts its CSRF token in, and the cookie of the forms that
#: create something.
CSRF_FIELD = "csrf_token"
CSRF_COOKIE = "silk_csrf"

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

#: The Content-Security-Policy of every page: only this origin, no inline script or style,
#: no plugins, no framing, forms only to this origin.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class WebError(Exception):
    """An answer other than the page asked for: a status, a message (an English msgid,
    translated when shown) and headers. The app renders it as an HTML error page."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def not_found() -> WebError:
    """The one answer for an unknown link and for a link that is not yours."""
    return WebError(404, N_("This page does not exist, or the link is not complete. Check the link you were given."))


def new_token() -> str:
    """A fresh secret for a link: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def valid_token(token: str) -> bool:
    """Whether ``token`` has the shape of one of :func:`new_token`'s."""
    return _TOKEN.fullmatch(token) is not None


def record_id_for(token: str, purpose: str) -> str:
    """The store's record id for the record ``token`` reaches as ``purpose``: a UUID
    (version 8, RFC 9562) made of the token's SHA-256, so the token cannot be read back."""
    digest = bytearray(hashlib.sha256(f"silkcore.web:{purpose}:{token}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x80  # version 8: custom, here a hash
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return f"urn:uuid:{uuid.UUID(bytes=bytes(digest))}"


def check_csrf(sent: str | None, expected: str | None) -> None:
    """Refuse (403) unless the form sent back the expected secret (constant-time compare)."""
    if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise WebError(
            403,
            N_(
                "This form has expired or did not come from this site. Go back, reload the page and send it again "
                "(this site needs its cookies to start a questionnaire)."
            ),
        )


class SecurityHeaders:
    """Adds the security headers to every answer (a route may set its own policy first)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # Relative to where the app is mounted: a prefix such as "/static/assessments" must not
        # make every page cacheable.
        path, root = scope["path"], scope.get("root_path", "")
        static = (path[len(root) :] if root and path.startswith(root) else path).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = {
                    b"content-security-policy": PAGE_POLICY.encode(),
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"no-referrer",
                    b"x-content-type-options": b"nosniff",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"cross-origin-resource-policy": b"same-origin",
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
                    # Pages hold answers and secret links: never kept by a browser or a cache.
                    b"cache-control": b"public, max-age=3600" if static else b"no-store",
                }
                headers += [(name, value) for name, value in wanted.items() if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


@attrs.frozen
class RateLimits:
    """Per-address token buckets for starting (a questionnaire, a team, joining one,
    uploading a framework) and for submitting (each page, finishing, closing). A rate of
    0 turns that limit off."""

    start_rate: float = 0.2
    start_burst: int = 20
    submit_rate: float = 2.0
    submit_burst: int = 120
    max_tracked: int = 10_000
    starts: Buckets = attrs.field(init=False)
    submits: Buckets = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        for name in ("start_rate", "submit_rate"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"{name} must be 0 or more")
        for name in ("start_burst", "submit_burst", "max_tracked"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        # No CPU budget here (rate 0): a page's work is bounded by its size limits instead.
        object.__setattr__(
            self, "starts", Buckets(self.start_rate, self.start_burst, 0, 1, max_entries=self.max_tracked, clock=time.monotonic)
        )
        object.__setattr__(
            self,
            "submits",
            Buckets(self.submit_rate, self.submit_burst, 0, 1, max_entries=self.max_tracked, clock=time.monotonic),
        )

    def _take(self, buckets: Buckets, request: Request) -> None:
        wait = buckets.take(address_key(request.scope.get("client")))
        if wait:
            seconds = max(1, int(wait + 0.999))
            raise WebError(
                429, N_("Too many requests from your address. Wait a moment, then try again."), {"Retry-After": str(seconds)}
            )

    def start(self, request: Request) -> None:
        """Take a start token for the request's address, or refuse (429 with Retry-After)."""
        self._take(self.starts, request)

    def submit(self, request: Request) -> None:
        """Take a submit token for the request's address, or refuse (429 with Retry-After)."""
        self._take(self.submits, request)


def _too_large() -> WebError:
    return WebError(413, N_("What was sent is larger than this questionnaire accepts."))


async def read_form(request: Request, limit: int, *, max_fields: int = 2000, files: int = 0) -> FormData:
    """The posted form, its body read up to ``limit`` bytes (413 beyond it, by its declared
    length or while it streams), with at most ``max_fields`` fields and ``files`` files."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise _too_large()
    chunks: list[bytes] = []
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _too_large()
            chunks.append(chunk)
    except ClientDisconnect:
        raise WebError(400, N_("The form did not arrive in full. Send it again.")) from None
    body = b"".join(chunks)
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    # A request of its own over the body read here: Starlette's parsers then never read more.
    bounded = Request(request.scope, replay)
    try:
        return await bounded.form(max_files=files, max_fields=max_fields, max_part_size=limit)
    except Exception as exc:  # the multipart parser's refusals (too many fields, a bad boundary)
        if isinstance(exc, WebError):
            raise
        raise WebError(400, N_("The form could not be read. Send it again from the page.")) from None


def form_lists(form: FormData) -> dict[str, list[str]]:
    """Every text value posted under each name (files left out), as the forms module reads a page."""
    return {name: [v for v in form.getlist(name) if isinstance(v, str)] for name in form}
