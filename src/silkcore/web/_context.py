"""What every route of one questionnaire app shares: its catalog, frameworks, records, limits.

One :class:`Web` per app (no global state: several apps can live in one process, each over
its own store); a route finds it as ``request.app.state.web``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from .._catalog import Catalog
from .._errors import UnknownComponentError
from .._framework import Framework
from .._framework_data import framework_hash, load_framework
from ..node._storage import NodeStore
from ._i18n import N_
from ._security import RateLimits, WebError, not_found, valid_token
from ._storage import Saved, WebRecords

__all__ = ["Web", "reached", "web_of"]

T = TypeVar("T")

#: Uploaded frameworks kept parsed between requests (by content hash); older ones are read again.
_UPLOADED_CACHE = 32


class Web:
    """One questionnaire app's shared state."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        store: NodeStore,
        frameworks: Sequence[Framework],
        allow_uploads: bool,
        limits: RateLimits,
        publisher: str,
        max_form_bytes: int,
        max_upload_bytes: int,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.records = WebRecords(store, publisher)
        self.given = {framework.id: framework for framework in frameworks}
        #: Finds a framework by id: the operator's given frameworks first, then the installed ones.
        self.resolve = catalog.framework_resolver(*frameworks)
        self.allow_uploads = allow_uploads
        self.limits = limits
        self.max_form_bytes = max_form_bytes
        self.max_upload_bytes = max_upload_bytes
        self._uploaded: OrderedDict[str, Framework] = OrderedDict()
        self._guard = threading.Lock()

    def frameworks(self) -> list[Framework]:
        """Every framework one may start: the installed ones and those given, by id."""
        found = {framework.id: framework for framework in self.catalog.frameworks()}
        found.update(self.given)
        return [found[key] for key in sorted(found)]

    def framework(self, framework_id: str) -> Framework:
        """A framework one may start, by id; 404 when there is none."""
        try:
            return self.resolve(framework_id)
        except UnknownComponentError:
            raise WebError(404, N_("There is no questionnaire of this name here.")) from None

    def framework_of(self, payload: Mapping[str, Any]) -> Framework:
        """The framework a saved questionnaire answers: its own document when it was uploaded,
        else the framework of that id (the installed one may have moved on since)."""
        described = payload["framework"]
        document = described.get("document")
        if document is None:
            return self.framework(described["id"])
        key = described["hash"]
        with self._guard:
            found = self._uploaded.get(key)
            if found is not None:
                self._uploaded.move_to_end(key)
                return found
        framework = load_framework(document, registry=self.catalog.schemas)
        with self._guard:
            self._uploaded[key] = framework
            while len(self._uploaded) > _UPLOADED_CACHE:
                self._uploaded.popitem(last=False)
        return framework

    @staticmethod
    def describe(framework: Framework, uploaded: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """How a saved questionnaire names its framework (with the document when uploaded)."""
        described: dict[str, Any] = {"id": framework.id, "version": framework.version, "hash": framework_hash(framework)}
        if uploaded is not None:
            described["document"] = dict(uploaded)
        return described

    @staticmethod
    async def run(function: Callable[..., T], *args: Any) -> T:
        """Run blocking work (the store, scoring, a report) in Starlette's thread pool."""
        return await run_in_threadpool(function, *args)


def web_of(request: Request) -> Web:
    """The questionnaire app a request reached."""
    web: Web = request.app.state.web
    return web


async def reached(request: Request, kind: str) -> tuple[Web, Saved, str]:
    """The app, the record of ``kind`` the URL's token reaches, and the token; a 404 for a
    malformed token, an unknown one and one of another kind alike."""
    web = web_of(request)
    token = str(request.path_params["token"])
    if not valid_token(token):
        raise not_found()
    saved = await web.run(web.records.find, token, kind)
    if saved is None:
        raise not_found()
    return web, saved, token
