"""Optional parts of silkcore and the packages each needs (the ``silkcore[...]`` extras).

The core install loads, validates, structures, scores, signs and exchanges documents. Reports
with charts, the node and the web questionnaire, XLSX field forms, PostgreSQL stores and Dask
are extras, so an embedding platform installs only what it uses. Code that needs an extra calls
:func:`require_extra` before importing its packages: a missing extra is one line naming what to
install (:class:`MissingExtraError`, exit 1 on the command line), never an ``ImportError``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping

import attrs

from ._errors import SilkError

__all__ = ["EXTRAS", "Extra", "MissingExtraError", "extra_installed", "missing_modules", "require_extra"]


@attrs.frozen
class Extra:
    """One extra: its name, the modules it brings (import names) and what uses it."""

    name: str
    modules: tuple[str, ...]
    used_by: str


#: Every optional part, by extra name. Kept in step with ``[project.optional-dependencies]``
#: (a test compares them), so the message names exactly what pip will install.
EXTRAS: Mapping[str, Extra] = {
    extra.name: extra
    for extra in (
        Extra("report", ("jinja2", "matplotlib", "babel"), "silk report, silk demo, silk policy brief, report sections"),
        Extra("serve", ("starlette", "uvicorn", "multipart", "jinja2", "babel"), "silk serve (the node and /ui/ questionnaire)"),
        Extra("field", ("openpyxl",), "silk export --format xlsform (XLSX forms)"),
        Extra("postgres", ("psycopg", "psycopg_pool"), "--store postgresql://..."),
        Extra("dask", ("dask", "distributed"), "silkcore.score_bag (Dask bags)"),
    )
}


class MissingExtraError(SilkError, ImportError):
    """Something needs an extra that is not installed; the message says what to install."""

    def __init__(self, extra: str, purpose: str, missing: tuple[str, ...]) -> None:
        super().__init__(
            f"{purpose} needs the '{extra}' extra, which is not installed (missing: {', '.join(missing)}): "
            f"pip install 'silkcore[{extra}]'"
        )
        self.extra = extra
        self.purpose = purpose
        self.missing = missing


def missing_modules(extra: str) -> tuple[str, ...]:
    """The modules of ``extra`` that cannot be imported here (found without importing them)."""
    modules = EXTRAS[extra].modules
    return tuple(module for module in modules if importlib.util.find_spec(module) is None)


def extra_installed(extra: str) -> bool:
    """Whether every module of ``extra`` can be imported."""
    return not missing_modules(extra)


def require_extra(extra: str, purpose: str) -> None:
    """Raise :class:`MissingExtraError` unless ``extra`` is installed.

    :param extra: an extra's name (a key of :data:`EXTRAS`).
    :param purpose: what needs it, as the user knows it (``"silk report"``).
    """
    missing = missing_modules(extra)
    if missing:
        raise MissingExtraError(extra, purpose, missing)
