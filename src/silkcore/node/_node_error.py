"""The node's HTTP error, apart from the HTTP framework: the peers file and ``silk sync`` raise
and read it on installs without the [serve] extra (:mod:`._http` turns it into a response)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .._errors import Issue

__all__ = ["NodeError"]


class NodeError(Exception):
    """An HTTP error with its JSON body; raised by endpoints, answered by :func:`._http.guarded`."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        issues: Iterable[Issue] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.issues = tuple(issues)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})
