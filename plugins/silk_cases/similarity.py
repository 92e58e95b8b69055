"""Which cases are like my organisation: a documented, explainable similarity.

The similarity of an organisation profile and a case is a weighted mean of up to five
components, each in 0..1:

=============  ======  =============================================================
component      weight  how
=============  ======  =============================================================
strategies     0.35    Jaccard index of the approaches used (e.g. import_export)
flows          0.25    Jaccard index of the (kind, direction) pairs of their flows
family         0.15    1 if the SSE family is the same (cooperative, association...)
sector         0.15    Jaccard index of the sector words (lower case, no stop words)
phase          0.10    1 - (distance between the phases reached) / 3
=============  ======  =============================================================

A component is left out when either side lacks the data, and the weights of the others
are rescaled, so a case is never penalised for what the report does not say; the result
carries which components were used and why it matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

from silkcore import Approach, Case, Direction, Flow, FlowKind, Organisation, SseFamily, Strategy

from .library import FLOW_MARKS, pair_basis

WEIGHTS = {"strategies": 0.35, "flows": 0.25, "family": 0.15, "sector": 0.15, "phase": 0.10}
PHASES = ("introspection", "prospection", "operationalisation", "performance_assessment")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "in",
        "on",
        "to",
        "with",
        "or",
        "by",
        "other",
        "others",
        "its",
        "their",
        "as",
        "at",
        "from",
        "into",
    ]
)


@attrs.frozen
class Profile:
    """What is compared: approaches, flows, family, sector words and phase reached."""

    approaches: frozenset[Approach] = frozenset()
    flows: frozenset[tuple[FlowKind, Direction]] = frozenset()
    family: SseFamily | None = None
    sector_words: frozenset[str] = frozenset()
    phase: str | None = None


@attrs.frozen
class Match:
    """A case's similarity to a profile, with the contribution of each component."""

    case_id: str
    name: str
    score: float
    components: dict[str, float]
    reasons: tuple[str, ...]
    # The shared flows with the basis of the case's classification (report, inferred, project);
    # in ``reasons`` an inferred one is marked ``~`` (library.FLOW_LEGEND).
    shared_flows: tuple[dict[str, str], ...] = ()


def words(text: str | None) -> frozenset[str]:
    """Lower-case words of a sector description, without stop words."""
    if not text:
        return frozenset()
    return frozenset(w for w in re.findall(r"[a-zà-ÿ]+", text.lower()) if w not in _STOP and len(w) > 2)


def profile_from(documents: Iterable[object], *, phase: str | None = None, sector: str | None = None) -> Profile:
    """Build a profile from an organisation, its strategies and its flows (focal = the organisation)."""
    organisation = next((d for d in documents if isinstance(d, Organisation)), None)
    docs = list(documents)
    approaches = {d.approach for d in docs if isinstance(d, Strategy)}
    flows: set[tuple[FlowKind, Direction]] = set()
    for flow in (d for d in docs if isinstance(d, Flow)):
        approaches.update(flow.strategies)
        focal = flow.focal_organisation or (organisation.org_id if organisation else None)
        direction = flow.direction or (flow.direction_for(focal) if focal else None)
        if direction is not None:
            flows.add((flow.kind, direction))
    sector_text = sector or (organisation.sector if organisation else None)
    if organisation and organisation.description and not sector:
        sector_text = " ".join(filter(None, [sector_text, organisation.description.get("en")]))
    return Profile(
        approaches=frozenset(approaches),
        flows=frozenset(flows),
        family=organisation.sse_family if organisation else None,
        sector_words=words(sector_text),
        phase=phase,
    )


def case_profile(case: Case) -> Profile:
    """The same profile read from a case."""
    sector = case.organisation.get("sector")
    return Profile(
        approaches=case.approaches(),
        flows=frozenset((f.kind, f.direction) for f in case.flows),
        family=case.sse_family,
        sector_words=words(sector.text if sector else None),
        phase=case.phase_reached,
    )


def _jaccard(a: frozenset[object], b: frozenset[object]) -> float:
    return len(a & b) / len(a | b)


def similarity(profile: Profile, case: Case) -> Match:
    """How alike ``profile`` and ``case`` are (0..1), and why."""
    other = case_profile(case)
    components: dict[str, float] = {}
    reasons: list[str] = []
    flow_rows: list[dict[str, str]] = []
    if profile.approaches and other.approaches:
        components["strategies"] = _jaccard(profile.approaches, other.approaches)  # type: ignore[arg-type]
        shared = sorted(a.value for a in profile.approaches & other.approaches)
        if shared:
            reasons.append("both use " + ", ".join(shared))
    if profile.flows and other.flows:
        components["flows"] = _jaccard(profile.flows, other.flows)  # type: ignore[arg-type]
        pairs = sorted(profile.flows & other.flows, key=lambda p: (p[0].value, p[1].value))
        flow_rows = [{"flow": f"{k.value} {d.value}", "basis": pair_basis(case, (k, d))} for k, d in pairs]
        if flow_rows:
            marked = (r["flow"] + FLOW_MARKS.get(r["basis"], "") for r in flow_rows)
            reasons.append("same flows: " + ", ".join(marked))
    if profile.family is not None and other.family is not None:
        components["family"] = 1.0 if profile.family == other.family else 0.0
        if profile.family == other.family:
            reasons.append(f"both are a {profile.family.value.replace('_', ' ')}")
    if profile.sector_words and other.sector_words:
        components["sector"] = _jaccard(profile.sector_words, other.sector_words)  # type: ignore[arg-type]
        shared_words = sorted(profile.sector_words & other.sector_words)
        if shared_words:
            reasons.append("sector words in common: " + ", ".join(shared_words))
    if profile.phase in PHASES and other.phase in PHASES:
        distance = abs(PHASES.index(profile.phase) - PHASES.index(other.phase))  # type: ignore[arg-type]
        components["phase"] = 1 - distance / 3
        if distance == 0:
            reasons.append(f"both reached {profile.phase}")
    total = sum(WEIGHTS[k] for k in components)
    score = sum(WEIGHTS[k] * v for k, v in components.items()) / total if total else 0.0
    rounded = {k: round(v, 6) for k, v in components.items()}
    return Match(case.case_id, case.name, round(score, 6), rounded, tuple(reasons), tuple(flow_rows))


def rank_cases(profile: Profile, cases: Iterable[Case], top: int | None = None) -> list[Match]:
    """Cases by decreasing similarity (ties by id), those sharing nothing left out."""
    matches = [similarity(profile, c) for c in cases]
    matches = [m for m in matches if m.score > 0]
    matches.sort(key=lambda m: (-m.score, m.case_id))
    return matches[:top] if top else matches
