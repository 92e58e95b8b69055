"""The hooks a silkcore plugin can implement.

A plugin is a module (or object) with functions decorated by :data:`hookimpl`, published
through an entry point in the ``silkcore`` group::

    [project.entry-points.silkcore]
    event_readiness = "silk_event_readiness"

Every ``silk_register_*`` hook receives a ``register`` callback: call it once per component.
The host checks what you register, sorts it by id and refuses a duplicate id instead of
letting one plugin silently override another. Hooks are called once per catalog build,
through pluggy (so ``specname=``, ``tryfirst``/``trylast``, wrappers and ``pm.trace`` work),
one plugin at a time. If a hook raises, the plugin is reported as failed and contributes
nothing; other plugins are unaffected. A scorer or an analysis for a framework another
plugin registered is refused unless that plugin opened the framework (``register(framework,
open_to=[...])``) or the user did (``SILKCORE_OPEN_FRAMEWORKS``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:
    import click

    from ._framework import Framework
    from ._model import IndicatorDefinition, Measurement
    from ._protocols import Analysis, Exporter, Importer
    from ._scoring import Scorer
    from .report import ReportSection

__all__ = [
    "NAME",
    "RegisterAnalysis",
    "RegisterExporter",
    "RegisterFramework",
    "RegisterImporter",
    "RegisterIndicator",
    "RegisterReportSection",
    "RegisterSchema",
    "RegisterScorer",
    "hookimpl",
    "hookspec",
]

#: The marker name, the plugin manager's project name and the entry-point group.
NAME = "silkcore"
hookspec = pluggy.HookspecMarker(NAME)
hookimpl = pluggy.HookimplMarker(NAME)

ComputeFn = Callable[["Sequence[Measurement]"], "Decimal | None"]


class RegisterFramework(Protocol):
    """The callback of ``silk_register_frameworks``: takes a Framework, the Path of a framework
    file or (with ``id``) a function of no argument returning one, and optionally the plugins
    (entry-point names, or ``"*"`` for any) allowed to register scorers and analyses for it.

    With ``id`` the framework is built on first use, once: commands that do not need it never
    read it. A framework that turns out not to have that id, or not to be sound, fails your
    plugin as an eager one would."""

    def __call__(
        self,
        framework: Framework | Path | Callable[[], Framework],
        /,
        *,
        open_to: str | Iterable[str] = (),
        id: str | None = None,
    ) -> None: ...


class RegisterIndicator(Protocol):
    """The callback of ``silk_register_indicators``: takes a definition and an optional compute function."""

    def __call__(self, definition: IndicatorDefinition, /, compute: ComputeFn | None = None) -> None: ...


class RegisterScorer(Protocol):
    """The callback of ``silk_register_scorers``."""

    def __call__(self, scorer: Scorer, /) -> None: ...


class RegisterAnalysis(Protocol):
    """The callback of ``silk_register_analyses``."""

    def __call__(self, analysis: Analysis, /) -> None: ...


class RegisterExporter(Protocol):
    """The callback of ``silk_register_exporters``."""

    def __call__(self, exporter: Exporter, /) -> None: ...


class RegisterImporter(Protocol):
    """The callback of ``silk_register_importers``."""

    def __call__(self, importer: Importer, /) -> None: ...


class RegisterSchema(Protocol):
    """The callback of ``silk_register_schemas``: takes a JSON Schema mapping."""

    def __call__(self, schema: Mapping[str, Any], /) -> None: ...


@hookspec
def silk_register_frameworks(register: RegisterFramework) -> None:
    """Register assessment frameworks.

    :param register: call ``register(framework)`` with a :class:`~silkcore.Framework`, or
        ``register(path)`` with the :class:`~pathlib.Path` of a YAML/JSON framework file,
        which the host loads and validates (errors are reported against your plugin). The
        framework is then yours: another plugin's scorer or analysis for it is refused, unless
        you pass ``open_to=["their-plugin"]`` (entry-point names; ``"*"`` for any plugin).
    """


@hookspec
def silk_register_indicators(register: RegisterIndicator) -> None:
    """Register indicator definitions.

    :param register: call ``register(definition, compute=fn)``; ``fn`` is optional and takes
        the organisation's measurements, returning a ``Decimal``; when it cannot compute (a
        missing input, a zero denominator) it raises ``silkcore.NotComputable(reason)`` (or
        returns None, reported without a reason). Indicators without ``compute`` are measured
        directly.
    """


@hookspec
def silk_register_scorers(register: RegisterScorer) -> None:
    """Register scorers: objects with a ``framework_id`` and a ``score(framework, response_sets)``
    method returning a :class:`~silkcore.ScoreCard`. Frameworks without one use the generic scorer.

    A scorer for a framework another plugin registered is refused (your plugin fails, both
    plugins named) unless that plugin opened the framework to yours, or the user chose your
    scorer with ``SILKCORE_OPEN_FRAMEWORKS=framework_id=your-plugin``. While a command runs,
    an exception from ``score`` (other than a :class:`~silkcore.SilkError` raised on purpose)
    or a result that is not a score card of that framework is reported against your plugin.

    :param register: call ``register(scorer)`` once per scorer.
    """


@hookspec
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """Register analyses over an organisation's documents (for example a flow matrix).

    An analysis that sets ``framework_id`` belongs to that framework: the ownership rule of
    scorers applies to it.

    :param register: call ``register(analysis)`` with an object that has ``id`` and ``run(documents)``.
    """


@hookspec
def silk_register_exporters(register: RegisterExporter) -> None:
    """Register output formats for ``silk export``.

    :param register: call ``register(exporter)`` with an object that has ``id``,
        ``media_type`` and ``export(documents) -> bytes``.
    """


@hookspec
def silk_register_importers(register: RegisterImporter) -> None:
    """Register input formats for ``silk import``.

    :param register: call ``register(importer)`` with an object that has ``id`` and
        ``import_(data, source) -> list of documents``; the host validates each document.
    """


@hookspec
def silk_register_schemas(register: RegisterSchema) -> None:
    """Register extra JSON Schemas (Draft 2020-12) your plugin's documents need.

    :param register: call ``register(schema)``. The ``$id`` must end in a versioned name
        (``yourprefix_kind-v1.0.0``) outside silkcore's reserved ``silkcore_`` names; every
        ``$ref`` must resolve inside the local registry - nothing is ever fetched.
    """


class RegisterReportSection(Protocol):
    """The callback of ``silk_register_report_sections``."""

    def __call__(self, section: ReportSection, /) -> None: ...


@hookspec
def silk_register_report_sections(register: RegisterReportSection) -> None:
    """Add sections to the HTML and Markdown reports (``silk demo``, ``silk report``).

    :param register: call ``register(section)`` with an object that has ``id``, ``order``
        (lower comes first; core score cards use 10, history 90) and
        ``render(context) -> SectionContent | None``. Build HTML with
        :func:`silkcore.report.fragment` (autoescaped) and charts with the chart functions
        of :mod:`silkcore.report`. A section that raises is left out of the page (a notice
        takes its place) and reported against your plugin.

    **Languages.** A report is written in the language its reader chose
    (``silk report --language en|fr|es``); ``context.language`` says which (``"en"`` by
    default). Write your section in it:

    - ``context.gettext(message)`` and ``context.ngettext(singular, plural, n)`` give an
      English interface string in that language from silkcore's gettext catalogs (which hold
      the built-in sections' strings); a string the catalogs do not hold comes back as it is.
      Use ``%(name)s`` placeholders and fill them after translating. A plugin with
      translations of its own picks them by ``context.language``;
    - ``context.text(texts, framework.default_language)`` gives a framework's multilingual
      text (a title, an item text) in that language, falling back to the framework's
      default language, then to the first one it has;
    - :func:`silkcore.report.radar_chart` and :func:`silkcore.report.bar_chart` take
      ``language=context.language`` for their own legend and axis words.

    Adding the language changed nothing for a section written before it: ``render(context)``
    is called as always, and a section that ignores ``context.language`` is shown as it
    writes itself.
    """


@hookspec
def silk_add_cli_commands(cli: click.Group) -> None:
    """Add subcommands to the ``silk`` command.

    A plugin may not replace a command that exists (its commands are then removed and it is
    reported as failed). An exception from a command of yours that is neither a
    :class:`~silkcore.SilkError` nor click's own is reported against your plugin (exit 4).

    :param cli: the root :class:`click.Group`; call ``cli.add_command(command)``.
    """
