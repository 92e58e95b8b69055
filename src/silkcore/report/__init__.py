"""Reports a manager or a board can read: one self-contained HTML file (and Markdown).

The core draws the parts every framework has (score cards, history); plugins add their own
sections through ``silk_register_report_sections``. A section's HTML is built with
:func:`fragment`, which autoescapes every value, so text from other platforms can never
become markup; charts are inline SVG from :func:`bar_chart`, :func:`line_chart`,
:func:`heatmap`, :func:`category_grid`, :func:`diverging_bars` and :func:`radar_chart`
(colours from :data:`OKABE_ITO`). A section's
Markdown passes every text it did not write itself (names, titles, messages) through
:func:`markdown_text`, so it cannot become markup there either.

A report is written in one language (``silk report --language fr``: English, French or
Spanish); every section gets it as :attr:`ReportContext.language`, with
:meth:`ReportContext.gettext` and :meth:`ReportContext.ngettext` for interface strings and
:meth:`ReportContext.text` for a framework's multilingual texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from .._extras import require_extra
from .._i18n import DEFAULT_LANGUAGE, pick_text
from .._i18n import gettext as _gettext
from .._i18n import ngettext as _ngettext
from ._charts import OKABE_ITO, bar_chart, category_grid, diverging_bars, heatmap, line_chart, radar_chart, wrap_label
from ._markdown import markdown_text

__all__ = [
    "OKABE_ITO",
    "ReportContext",
    "ReportSection",
    "SectionContent",
    "bar_chart",
    "category_grid",
    "diverging_bars",
    "fragment",
    "heatmap",
    "line_chart",
    "markdown_text",
    "radar_chart",
    "score_all",
    "wrap_label",
    "write_organisation_report",
]

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup


@cache
def _environment() -> jinja2.Environment:
    # jinja2 comes with the [report] extra: importing this module must not need it, since
    # plugins import their report sections when they load, on installs without reports.
    require_extra("report", "an HTML report")
    import jinja2

    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def fragment(template: str, **values: Any) -> Markup:
    """Render an HTML fragment with autoescaping (use ``|safe`` only on SVG from ``charts``)."""
    from markupsafe import Markup

    return Markup(_environment().from_string(template).render(**values))  # noqa: S704 - autoescaped above


@attrs.frozen
class ReportContext:
    """What a section can draw on: the organisation, every document about it, score cards,
    stored history rows, the catalog (frameworks, analyses), and the report's language.

    ``language`` is the language the reader chose (``silk report --language fr``): ``"en"``,
    ``"fr"`` or ``"es"``; ``"en"`` when none was chosen, so code that builds a context with
    the five older fields keeps working. Write a section in that language:

    - interface strings (headings, table headers, legends, chart titles and axis labels,
      notices) through :meth:`gettext` and :meth:`ngettext`. They look the English text up
      in silkcore's gettext catalogs, which hold the built-in sections' strings; any other
      text comes back unchanged, in English. A third-party plugin with translations of its
      own picks them by :attr:`language` (its own gettext catalog, a dict...);
    - a framework's texts (titles, item texts, which are ``{"en": ..., "fr": ...}`` maps)
      through :meth:`text`, which falls back to the framework's default language.

    A section written before languages existed (``render(context)`` using none of this)
    still works: it is simply shown as it writes itself, in English.
    """

    organisation: Any
    documents: Sequence[Any]
    score_cards: Sequence[Any]
    history: Sequence[dict[str, Any]]
    catalog: Any
    language: str = DEFAULT_LANGUAGE

    def of_type(self, cls: type) -> list[Any]:
        """The documents of one entity class."""
        return [d for d in self.documents if isinstance(d, cls)]

    def gettext(self, message: str) -> str:
        """``message`` (an English interface string) in the report's language, from silkcore's
        catalogs; ``message`` itself when the catalogs do not hold it or the language is
        English. Placeholders are Python's ``%(name)s``, filled after translating::

            _ = context.gettext
            title = _("Indicators against targets (Tool 3)")
            line = _("%(count)s flows with %(partners)s partners") % {"count": 3, "partners": 2}
        """
        return _gettext(self.language, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form of an interface string for ``n``, in the report's
        language (the language's own plural rules): ``context.ngettext("%(count)s flow",
        "%(count)s flows", n) % {"count": n}``."""
        return _ngettext(self.language, singular, plural, n)

    def text(self, texts: Mapping[str, str] | None, default_language: str | None = None) -> str:
        """A multilingual text (``{"en": ..., "fr": ...}``, as frameworks carry titles and
        item texts) in the report's language: the exact tag, else the same primary language
        (``fr`` for ``fr-CA``), else ``default_language`` (pass the framework's
        ``default_language``), else the first language given; ``""`` for no text."""
        return pick_text(texts, self.language, default_language)


@attrs.frozen
class SectionContent:
    """A rendered section: HTML (autoescaped fragment), Markdown, and how many charts it holds.

    ``title`` is plain text (the report escapes it for each format); ``markdown`` is Markdown
    in which text from documents went through :func:`markdown_text`. Raw HTML is not allowed
    in it: the report writes any ``<`` in it as ``&lt;``."""

    title: str
    html: Markup
    markdown: str
    charts: int = 0


@runtime_checkable
class ReportSection(Protocol):
    """A section a plugin adds to reports."""

    @property
    def id(self) -> str:
        """A stable id, e.g. ``silk.flows``."""
        ...

    @property
    def order(self) -> int:
        """Where it goes: lower first (core sections use 10 and 90)."""
        ...

    def render(self, context: ReportContext) -> SectionContent | None:
        """The section for this context, or None when it has nothing to show; written in
        ``context.language`` (see :class:`ReportContext`)."""
        ...


def __getattr__(name: str) -> Any:
    # Writing a whole report needs the catalog, which needs this module: loaded on first use.
    if name in ("score_all", "write_organisation_report"):
        from . import _assemble

        return getattr(_assemble, name)
    raise AttributeError(f"module 'silkcore.report' has no attribute {name!r}")
