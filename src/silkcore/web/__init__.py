"""The web questionnaire: any installed framework answered in a browser, alone or as a team.

>>> from silkcore.web import create_app
>>> app = create_app("history.sqlite")  # doctest: +SKIP

:func:`create_app` returns an ASGI application (Starlette and Jinja2, server-rendered,
working with JavaScript off) that ``silk serve`` mounts under ``/ui/`` and a platform can
mount under a prefix of its own (Starlette's ``Mount``, FastAPI's ``app.mount``): every
link it writes is relative to its mount point.

What other tools may rely on: ``GET /`` lists the frameworks with a link to start each;
each item's control is named by the item id (``not_applicable`` and ``unknown`` are values
of that name); a finished assessment's page has ``<link rel="alternate"
type="application/json">`` elements titled ``scorecard`` and ``response-sets``, both plain
silkcore documents (the score card as ``silk assess --json`` prints it, the response sets
in JSON Lines).

Answers are kept as drafts in the store (private records, reached only through the secret
link each respondent gets); a finished assessment is recorded in the history like
``silk assess --store``. The interface speaks English, French and Spanish (``?lang=`` or
the browser's ``Accept-Language``). See ``docs/questionnaire.md``.
"""

from __future__ import annotations

from ._app import create_app

__all__ = ["create_app"]
