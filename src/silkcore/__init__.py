"""silkcore: assess how Social and Solidarity Economy organisations go international.

The public API is what ``__all__`` lists; everything else is an implementation detail.
Plugin authors import only from ``silkcore`` and ``silkcore.testing``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .assessment import (
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
from .case import Case, CaseFigure, CaseFlow, CaseStrategy, Cell, Fact, Jurisdiction, Policy
from .catalog import Catalog, IndicatorEntry, build_catalog, get_catalog
from .documents import dump_document, load_document
from .errors import (
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
from .framework import (
    Aggregation,
    AnswerScale,
    ApplicabilityRule,
    Category,
    Condition,
    Framework,
    Item,
    ItemKind,
    NotApplicablePolicy,
    Option,
    ScoringPolicy,
    UnknownPolicy,
)
from .framework_data import framework_document, framework_hash, load_framework
from .hookspecs import (
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
from .jsonio import Limits, parse_csv_rows, parse_json
from .measures import IndicatorStanding, NotComputable
from .model import (
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
from .outputs import atomic_output, check_output, write_output
from .protocols import Analysis, Exporter, Importer
from .scoring import GenericScorer, Scorer

if TYPE_CHECKING:
    from collections.abc import Sequence

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
    "parse_csv_rows", "parse_json", "terminal_text", "validate", "write_output",
]  # fmt: skip


def validate(document: Any, *, catalog: Catalog | None = None, framework: Framework | str | Path | None = None) -> list[Issue]:
    """Every issue with a parsed document (a mapping naming its ``schema``): its schema in the
    local registry (with the schemas installed plugins register), then the checks a schema
    cannot make - a response set is checked against the framework it names (or against
    ``framework``: an object, a registered id or a file path), as ``silk validate`` does.
    Empty means valid."""
    from .convert import json_data_issues
    from .documents import validate as _validate

    problems = json_data_issues(document)  # Python data, not read by the strict reader
    if problems:
        return problems
    catalog = catalog or get_catalog()
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
    catalog = catalog or get_catalog()
    chosen = catalog.resolve_framework(framework)
    sets = [response_sets] if isinstance(response_sets, ResponseSet) else response_sets
    if not isinstance(sets, list | tuple) or not all(isinstance(s, ResponseSet) for s in sets):
        raise SchemaValidationError([Issue("", "expected a ResponseSet or a list of them (read documents with load_document)")])
    return catalog.scorer(chosen.id).score(chosen, list(sets))


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("silkcore")
    raise AttributeError(name)
