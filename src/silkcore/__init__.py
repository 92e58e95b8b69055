"""silkcore: assess how Social and Solidarity Economy organisations go international.

The public API is what ``__all__`` lists here, plus the public subpackages
``silkcore.report`` (for report section authors), ``silkcore.testing`` (for plugin tests)
and ``silkcore.node`` (the exchange node as an ASGI app). Every other module is private by
name (``silkcore._x``) and may change in any release. Plugins, the built-in ones included,
import only these. Embedding an assessment takes a few lines::

    import silkcore

    catalog = silkcore.get_catalog()                      # the installed frameworks and plugins
    framework = catalog.resolve_framework("silk.evaluation-grid")   # an id, or a framework file
    answers = silkcore.load_document("examples/demo/response_sets/evaluation-grid-board.json")
    problems = silkcore.validate(silkcore.to_document(answers))     # [] when sound
    card = silkcore.assess(framework, [answers])           # several respondents consolidate
    print(card.overall, [(c.id, c.score) for c in card.categories])
    print(silkcore.dump_document(card))                    # the score card as exchanged

Every function refuses bad input with a :class:`SilkError` subclass carrying
:class:`Issue` objects (JSON Pointer, file, line, column), never another exception.
"""

from __future__ import annotations

from types import FunctionType
from typing import TYPE_CHECKING, Any

from ._errors import (
    DataError,
    DuplicateRegistrationError,
    Issue,
    PartialImportError,
    PluginError,
    PluginLoadError,
    SchemaValidationError,
    ScoringError,
    SilkError,
    StoreError,
    UnknownComponentError,
    terminal_text,
)
from ._hookspecs import (
    RegisterAnalysis,
    RegisterExporter,
    RegisterFramework,
    RegisterImporter,
    RegisterIndicator,
    RegisterReportSection,
    RegisterSchema,
    RegisterScorer,
    hookimpl,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ._assessment import (
        AnswerStatus,
        CategoryScore,
        Finding,
        FindingKind,
        Respondent,
        Response,
        ResponseSet,
        ScoreCard,
        TraceEntry,
        TraceStatus,
    )
    from ._case import Case, CaseFigure, CaseFlow, CaseStrategy, Cell, Fact, Jurisdiction, Policy
    from ._catalog import Catalog, FrameworkFinder, IndicatorEntry, build_catalog, get_catalog
    from ._documents import dump_document, load_document, read_documents, to_document
    from ._extras import EXTRAS, MissingExtraError, extra_installed, require_extra
    from ._flows import DIRECTIONS as FLOW_DIRECTIONS
    from ._flows import KINDS as FLOW_KINDS
    from ._flows import FlowAnalysis, analyse_flows
    from ._framework import (
        Aggregation,
        AnswerScale,
        ApplicabilityRule,
        Category,
        Change,
        ChangeOp,
        Condition,
        Framework,
        FrameworkChanges,
        Item,
        ItemKind,
        NotApplicablePolicy,
        Option,
        OptionMap,
        ScoringPolicy,
        UnknownPolicy,
    )
    from ._framework_data import framework_document, framework_hash, load_framework
    from ._framework_diff import DiffEntry, FrameworkDiff, diff_frameworks
    from ._graph_render import to_dot, to_mermaid
    from ._guide import Guide, GuideOutcome, text_of
    from ._history_versions import compare_versions
    from ._jsonio import Limits, parse_csv_rows, parse_json, parse_yaml
    from ._keys import SigningKey, load_signing_key, new_signing_key, save_signing_key
    from ._lazy_command import lazy_command
    from ._measures import (
        PRIORITY_WEIGHTS,
        IndicatorStanding,
        NotComputable,
        PriorityWeight,
        growth_rate,
        latest,
        rank,
        ratio,
        standing,
    )
    from ._migrate import Migration, migrate, migrate_response_set
    from ._model import (
        Approach,
        Direction,
        Envelope,
        Evidence,
        EvidenceKind,
        Flow,
        FlowKind,
        FlowStatus,
        Identifier,
        IndicatorDefinition,
        IndicatorDirection,
        IntangibleType,
        MeasureKind,
        Measurement,
        Money,
        Organisation,
        OrgRef,
        Period,
        Provenance,
        ProvenanceMethod,
        Publisher,
        Quantity,
        Sharing,
        SharingLevel,
        SseFamily,
        Strategy,
        StrategyStatus,
    )
    from ._outputs import atomic_output, check_output, write_output
    from ._plugin_data import PLUGIN_DATA_LIMITS, compile_plugin_data, read_plugin_data
    from ._progress import progress
    from ._proof import sign_envelope, verify_envelope
    from ._protocols import Analysis, Exporter, Importer
    from ._scoring import GenericScorer, Scorer
    from ._sharing import prepare_for, refusal, verify_received
    from ._versions import upgrade

__all__ = [
    "Aggregation", "Analysis", "AnswerScale", "AnswerStatus", "ApplicabilityRule", "Approach", "Case", "CaseFigure",
    "CaseFlow", "CaseStrategy", "Catalog", "Category", "CategoryScore", "Cell", "Fact", "Jurisdiction", "Policy",
    "Condition", "DataError", "Direction", "DuplicateRegistrationError", "Envelope",
    "Evidence", "EvidenceKind", "Exporter", "Finding", "FindingKind", "Flow", "FlowKind", "FlowStatus",
    "Framework", "GenericScorer", "Identifier", "Importer", "IndicatorDefinition", "IndicatorDirection",
    "IndicatorEntry", "IndicatorStanding", "IntangibleType", "Issue", "Item", "ItemKind", "Limits", "MeasureKind", "Measurement",
    "Money",
    "NotApplicablePolicy", "NotComputable", "Option", "PartialImportError", "OrgRef", "Organisation", "Period",
    "PluginError", "PluginLoadError",
    "Provenance", "ProvenanceMethod", "Publisher", "Quantity", "RegisterAnalysis", "RegisterExporter",
    "RegisterFramework", "RegisterImporter", "RegisterIndicator", "RegisterReportSection", "RegisterSchema",
    "RegisterScorer",
    "Respondent", "Response", "ResponseSet",
    "SchemaValidationError", "ScoreCard", "Scorer", "ScoringError", "ScoringPolicy", "Sharing", "SharingLevel",
    "SilkError", "SseFamily", "StoreError", "Strategy", "StrategyStatus", "TraceEntry", "TraceStatus",
    "UnknownComponentError", "UnknownPolicy", "__version__", "assess", "atomic_output", "build_catalog",
    "check_output", "dump_document",
    "framework_document", "framework_hash", "get_catalog", "hookimpl", "load_document", "load_framework",
    "parse_csv_rows", "parse_json", "parse_yaml", "terminal_text", "validate", "write_output",
    "read_plugin_data", "compile_plugin_data", "PLUGIN_DATA_LIMITS",
    # documents, flows, sharing, the guide, indicators: what plugins and embedders build on
    "read_documents", "to_document", "FLOW_DIRECTIONS", "FLOW_KINDS", "FlowAnalysis", "analyse_flows",
    "to_dot", "to_mermaid", "Guide", "GuideOutcome", "text_of", "growth_rate", "latest", "rank", "ratio",
    "PRIORITY_WEIGHTS", "PriorityWeight", "EXTRAS", "MissingExtraError", "extra_installed", "require_extra",
    "standing", "progress", "prepare_for", "refusal", "verify_received", "upgrade",
    # a plugin's `silk` command, imported only when it is run
    "lazy_command",
    # signed envelopes (W3C Data Integrity, eddsa-jcs-2022) and the did:key signing keys
    "SigningKey", "load_signing_key", "new_signing_key", "save_signing_key", "sign_envelope", "verify_envelope",
    # versions of a framework: declared changes, what changed, answers and histories carried across
    "Change", "ChangeOp", "FrameworkChanges", "OptionMap", "DiffEntry", "FrameworkDiff", "diff_frameworks",
    "Migration", "migrate", "migrate_response_set", "compare_versions", "FrameworkFinder",
    # loaded on first use (the store, batch and Dask pull in more)
    "AssessmentRecord", "BatchCounts", "BatchError", "Store", "history", "run_batch", "score_bag",
]  # fmt: skip

#: Public names loaded on first use (PEP 562): name -> (private module, name there). Importing
#: silkcore costs only its errors and hook markers; the ``silk`` command, a plugin and an
#: embedder pay for what they touch.
_LAZY: dict[str, tuple[str, str]] = {
    "Aggregation": ("_framework", "Aggregation"),
    "Analysis": ("_protocols", "Analysis"),
    "AnswerScale": ("_framework", "AnswerScale"),
    "AnswerStatus": ("_assessment", "AnswerStatus"),
    "ApplicabilityRule": ("_framework", "ApplicabilityRule"),
    "Approach": ("_model", "Approach"),
    "Case": ("_case", "Case"),
    "CaseFigure": ("_case", "CaseFigure"),
    "CaseFlow": ("_case", "CaseFlow"),
    "CaseStrategy": ("_case", "CaseStrategy"),
    "Catalog": ("_catalog", "Catalog"),
    "Category": ("_framework", "Category"),
    "CategoryScore": ("_assessment", "CategoryScore"),
    "Cell": ("_case", "Cell"),
    "Condition": ("_framework", "Condition"),
    "Direction": ("_model", "Direction"),
    "EXTRAS": ("_extras", "EXTRAS"),
    "Envelope": ("_model", "Envelope"),
    "Evidence": ("_model", "Evidence"),
    "EvidenceKind": ("_model", "EvidenceKind"),
    "Exporter": ("_protocols", "Exporter"),
    "FLOW_DIRECTIONS": ("_flows", "DIRECTIONS"),
    "FLOW_KINDS": ("_flows", "KINDS"),
    "Fact": ("_case", "Fact"),
    "Finding": ("_assessment", "Finding"),
    "FindingKind": ("_assessment", "FindingKind"),
    "Flow": ("_model", "Flow"),
    "FlowAnalysis": ("_flows", "FlowAnalysis"),
    "FlowKind": ("_model", "FlowKind"),
    "FlowStatus": ("_model", "FlowStatus"),
    "Framework": ("_framework", "Framework"),
    "GenericScorer": ("_scoring", "GenericScorer"),
    "Guide": ("_guide", "Guide"),
    "GuideOutcome": ("_guide", "GuideOutcome"),
    "Identifier": ("_model", "Identifier"),
    "Importer": ("_protocols", "Importer"),
    "IndicatorDefinition": ("_model", "IndicatorDefinition"),
    "IndicatorDirection": ("_model", "IndicatorDirection"),
    "IndicatorEntry": ("_catalog", "IndicatorEntry"),
    "IndicatorStanding": ("_measures", "IndicatorStanding"),
    "IntangibleType": ("_model", "IntangibleType"),
    "Item": ("_framework", "Item"),
    "ItemKind": ("_framework", "ItemKind"),
    "Jurisdiction": ("_case", "Jurisdiction"),
    "Limits": ("_jsonio", "Limits"),
    "MeasureKind": ("_model", "MeasureKind"),
    "Measurement": ("_model", "Measurement"),
    "MissingExtraError": ("_extras", "MissingExtraError"),
    "Money": ("_model", "Money"),
    "NotApplicablePolicy": ("_framework", "NotApplicablePolicy"),
    "NotComputable": ("_measures", "NotComputable"),
    "Option": ("_framework", "Option"),
    "OrgRef": ("_model", "OrgRef"),
    "Organisation": ("_model", "Organisation"),
    "PRIORITY_WEIGHTS": ("_measures", "PRIORITY_WEIGHTS"),
    "Period": ("_model", "Period"),
    "Policy": ("_case", "Policy"),
    "PriorityWeight": ("_measures", "PriorityWeight"),
    "Provenance": ("_model", "Provenance"),
    "ProvenanceMethod": ("_model", "ProvenanceMethod"),
    "Publisher": ("_model", "Publisher"),
    "Quantity": ("_model", "Quantity"),
    "Respondent": ("_assessment", "Respondent"),
    "Response": ("_assessment", "Response"),
    "ResponseSet": ("_assessment", "ResponseSet"),
    "ScoreCard": ("_assessment", "ScoreCard"),
    "Scorer": ("_scoring", "Scorer"),
    "ScoringPolicy": ("_framework", "ScoringPolicy"),
    "Sharing": ("_model", "Sharing"),
    "SharingLevel": ("_model", "SharingLevel"),
    "SigningKey": ("_keys", "SigningKey"),
    "SseFamily": ("_model", "SseFamily"),
    "Strategy": ("_model", "Strategy"),
    "StrategyStatus": ("_model", "StrategyStatus"),
    "TraceEntry": ("_assessment", "TraceEntry"),
    "TraceStatus": ("_assessment", "TraceStatus"),
    "UnknownPolicy": ("_framework", "UnknownPolicy"),
    "analyse_flows": ("_flows", "analyse_flows"),
    "atomic_output": ("_outputs", "atomic_output"),
    "build_catalog": ("_catalog", "build_catalog"),
    "check_output": ("_outputs", "check_output"),
    "dump_document": ("_documents", "dump_document"),
    "extra_installed": ("_extras", "extra_installed"),
    "framework_document": ("_framework_data", "framework_document"),
    "framework_hash": ("_framework_data", "framework_hash"),
    "get_catalog": ("_catalog", "get_catalog"),
    "growth_rate": ("_measures", "growth_rate"),
    "latest": ("_measures", "latest"),
    "load_document": ("_documents", "load_document"),
    "load_framework": ("_framework_data", "load_framework"),
    "load_signing_key": ("_keys", "load_signing_key"),
    "new_signing_key": ("_keys", "new_signing_key"),
    "parse_csv_rows": ("_jsonio", "parse_csv_rows"),
    "parse_json": ("_jsonio", "parse_json"),
    "parse_yaml": ("_jsonio", "parse_yaml"),
    "read_plugin_data": ("_plugin_data", "read_plugin_data"),
    "compile_plugin_data": ("_plugin_data", "compile_plugin_data"),
    "PLUGIN_DATA_LIMITS": ("_plugin_data", "PLUGIN_DATA_LIMITS"),
    "prepare_for": ("_sharing", "prepare_for"),
    "progress": ("_progress", "progress"),
    "rank": ("_measures", "rank"),
    "ratio": ("_measures", "ratio"),
    "read_documents": ("_documents", "read_documents"),
    "refusal": ("_sharing", "refusal"),
    "require_extra": ("_extras", "require_extra"),
    "save_signing_key": ("_keys", "save_signing_key"),
    "sign_envelope": ("_proof", "sign_envelope"),
    "standing": ("_measures", "standing"),
    "text_of": ("_guide", "text_of"),
    "to_document": ("_documents", "to_document"),
    "to_dot": ("_graph_render", "to_dot"),
    "to_mermaid": ("_graph_render", "to_mermaid"),
    "upgrade": ("_versions", "upgrade"),
    "verify_envelope": ("_proof", "verify_envelope"),
    "verify_received": ("_sharing", "verify_received"),
    "write_output": ("_outputs", "write_output"),
    "lazy_command": ("_lazy_command", "lazy_command"),
    "Change": ("_framework", "Change"),
    "ChangeOp": ("_framework", "ChangeOp"),
    "FrameworkChanges": ("_framework", "FrameworkChanges"),
    "OptionMap": ("_framework", "OptionMap"),
    "DiffEntry": ("_framework_diff", "DiffEntry"),
    "FrameworkDiff": ("_framework_diff", "FrameworkDiff"),
    "diff_frameworks": ("_framework_diff", "diff_frameworks"),
    "Migration": ("_migrate", "Migration"),
    "migrate": ("_migrate", "migrate"),
    "migrate_response_set": ("_migrate", "migrate_response_set"),
    "compare_versions": ("_history_versions", "compare_versions"),
    "FrameworkFinder": ("_catalog", "FrameworkFinder"),
    "AssessmentRecord": ("_store", "AssessmentRecord"),
    "Store": ("_store", "Store"),
    "history": ("_store", "history"),
    "BatchCounts": ("_batch", "BatchCounts"),
    "BatchError": ("_batch", "BatchError"),
    "run_batch": ("_batch", "run_batch"),
    "score_bag": ("_dask_adapter", "score_bag"),
}


def validate(document: Any, *, catalog: Catalog | None = None, framework: Framework | str | Path | None = None) -> list[Issue]:
    """Every issue with a parsed document (a mapping naming its ``schema``): its schema in the
    local registry (with the schemas installed plugins register), then the checks a schema
    cannot make - a response set is checked against the framework it names (or against
    ``framework``: an object, a registered id or a file path), as ``silk validate`` does.
    Empty means valid."""
    from ._convert import json_data_issues
    from ._documents import validate as _validate

    problems = json_data_issues(document)  # Python data, not read by the strict reader
    if problems:
        return problems
    catalog = catalog or _default_catalog()
    given = () if framework is None else (catalog.resolve_framework(framework),)
    return _validate(document, registry=catalog.schemas, frameworks=catalog.framework_resolver(*given))


def assess(
    framework: Framework | str | Path,
    response_sets: ResponseSet | Sequence[ResponseSet],
    *,
    catalog: Catalog | None = None,
) -> ScoreCard:
    """Score response sets against a framework (an object, a registered id, or a file path),
    with the framework's registered scorer or the generic one."""
    from ._assessment import ResponseSet

    catalog = catalog or _default_catalog()
    chosen = catalog.resolve_framework(framework)
    sets = [response_sets] if isinstance(response_sets, ResponseSet) else response_sets
    if not isinstance(sets, list | tuple) or not all(isinstance(s, ResponseSet) for s in sets):
        raise SchemaValidationError([Issue("", "expected a ResponseSet or a list of them (read documents with load_document)")])
    return catalog.scorer(chosen.id).score(chosen, list(sets))


def _default_catalog() -> Catalog:
    from ._catalog import get_catalog

    return get_catalog()


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("silkcore")
    if name in _LAZY:
        from importlib import import_module

        module, attribute = _LAZY[name]
        value = _publicly_named(getattr(import_module("." + module, __name__), attribute))
        globals()[name] = value
        return value
    raise AttributeError(f"module 'silkcore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _publicly_named(value: Any) -> Any:
    """Public functions and errors say ``silkcore.X`` (in help(), reprs and tracebacks), not
    the private module they live in; pickling finds them there too. Entity classes keep
    their module: their annotations are resolved in its namespace (cattrs, typing)."""
    is_error = isinstance(value, type) and issubclass(value, BaseException)
    if (is_error or isinstance(value, FunctionType)) and value.__module__.startswith("silkcore._"):
        value.__module__ = __name__
    return value


for _name in __all__:
    if _name in globals():
        _publicly_named(globals()[_name])
del _name
