"""The Tool 3 catalogue: indicator definitions, their computations, and the framework view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from silkcore import (
    AnswerScale,
    Category,
    Framework,
    IndicatorDefinition,
    IndicatorDirection,
    Item,
    ItemKind,
    MeasureKind,
    Measurement,
    NotComputable,
    Option,
    ScoringPolicy,
    growth_rate,
    latest,
    ratio,
    read_plugin_data,
)

CATALOGUE_FILE = Path(__file__).with_name("indicators.yaml")
FRAMEWORK_ID = "silk.indicators"

# French and Spanish texts here, as in indicators.yaml, are machine-assisted drafts awaiting
# review by a native speaker; the English text remains the reference.
RATING = AnswerScale(
    "rating",
    (
        Option("very_weak", 0.0, {"en": "Very weak", "fr": "Très faible", "es": "Muy débil"}),
        Option("weak", 0.25, {"en": "Weak", "fr": "Faible", "es": "Débil"}),
        Option("fair", 0.5, {"en": "Fair", "fr": "Moyen", "es": "Regular"}),
        Option("good", 0.75, {"en": "Good", "fr": "Bon", "es": "Bueno"}),
        Option("very_good", 1.0, {"en": "Very good", "fr": "Très bon", "es": "Muy bueno"}),
    ),
    {"en": "Rated judgement", "fr": "Appréciation notée", "es": "Valoración puntuada"},
)


@cache
def catalogue() -> dict[str, Any]:
    """The catalogue file, parsed once (it is the plugin's own packaged data)."""
    data: dict[str, Any] = read_plugin_data(CATALOGUE_FILE)
    return data


# Marks on an indicator's direction in the text and HTML views: the report prints no
# direction, so each is either read from the printed label (inferred) or the project's choice.
DIRECTION_MARKS = {"inferred": "~", "project": "*"}


def direction_legend(_: Callable[[str], str] = str) -> str:
    """What the direction marks mean; ``_`` translates it (a report's ``context.gettext``)."""
    return _(
        "~ direction inferred from the report's printed label; * direction chosen by this project"
        " (the report gives none). `--json` gives each direction_reason."
    )


DIRECTION_LEGEND = direction_legend()


def direction_marked(indicator_id: str) -> tuple[str, str]:
    """The indicator's direction with its basis mark (``higher_is_better*``), and the reason."""
    entry = next(e for e in catalogue()["indicators"] if e["indicator_id"] == indicator_id)
    return entry["direction"] + DIRECTION_MARKS.get(entry["direction_basis"], ""), entry["direction_reason"]


def compute_function(spec: dict[str, Any]) -> Any:
    """A compute function for a computation spec of the catalogue (None for judgements)."""
    method = spec["method"]
    if method == "value":
        return lambda ms: latest(ms, spec["input"]).value
    if method == "growth_rate":

        def growth(ms: Sequence[Measurement]) -> Decimal:
            current = latest(ms, spec["input"])
            previous = latest(ms, spec["input"], before=current)
            return growth_rate(previous.value, current.value)  # type: ignore[arg-type]

        return growth
    if method == "ratio":
        return lambda ms: ratio(
            latest(ms, spec["numerator"]).value, latest(ms, spec["denominator"]).value, percent=spec.get("percent", False)
        )
    if method == "judgement":
        return None
    raise NotComputable(f"unknown computation method {method!r}")


def _inputs(spec: dict[str, Any]) -> tuple[str, ...]:
    return tuple(spec[k] for k in ("input", "numerator", "denominator") if k in spec)


def definitions() -> list[tuple[IndicatorDefinition, Any]]:
    """Every indicator as a definition with its compute function."""
    found = []
    for entry in catalogue()["indicators"]:
        spec = entry["computation"]
        definition = IndicatorDefinition(
            indicator_id=entry["indicator_id"],
            title=entry["title"],
            unit=entry["unit"],
            direction=IndicatorDirection(entry["direction"]),
            measure=MeasureKind(entry["measure"]),
            source=entry["source"],
            description=entry.get("description"),
            phase=entry["phase"],
            framework_id=FRAMEWORK_ID,
            computed=spec["method"] in ("growth_rate", "ratio"),
            inputs=_inputs(spec),
            note=entry.get("note"),
        )
        found.append((definition, compute_function(spec)))
    return found


def tool2_items(indicator_id: str) -> tuple[str, ...]:
    """The Tool 2 questions an indicator relates to."""
    for entry in catalogue()["indicators"]:
        if entry["indicator_id"] == indicator_id:
            return tuple(entry.get("tool2_items", ()))
    return ()


def phase_of(indicator_id: str) -> str | None:
    """The phase an indicator belongs to."""
    for entry in catalogue()["indicators"]:
        if entry["indicator_id"] == indicator_id:
            return str(entry["phase"])
    return None


def framework() -> Framework:
    """The catalogue as a framework: one category per phase, one item per indicator.

    Quantitative indicators are answered with their figure and are not scored (their
    standing is computed from measurements); qualitative ones take a rated judgement.
    """
    data = catalogue()
    categories = tuple(Category(p["id"], p["title"], source=p["source"]) for p in data["phases"])
    items = []
    for entry in data["indicators"]:
        common: dict[str, Any] = {
            "id": entry["indicator_id"],
            "category": entry["phase"],
            "text": {"en": entry["label"], **entry.get("label_translations", {})},
            "source": entry["source"],
            "help": entry.get("description"),
            "note": entry.get("note"),
            "unit": entry["unit"],
        }
        if entry["measure"] == "qualitative":
            items.append(Item(kind=ItemKind.SCALE, scale="rating", reverse=entry["direction"] == "lower_is_better", **common))
        else:
            items.append(Item(kind=ItemKind.NUMBER, scored=False, **common))
    return Framework(
        id=FRAMEWORK_ID,
        version=data["version"],
        title={
            "en": "SILK indicators to follow, by phase (Tool 3)",
            "fr": "Indicateurs SILK à suivre, par phase (outil 3)",
            "es": "Indicadores SILK que seguir, por fase (herramienta 3)",
        },
        description={
            "en": "The indicators the SILK report suggests following in each phase of an internationalisation.",
            "fr": "Les indicateurs que le rapport SILK propose de suivre à chaque phase d'une internationalisation.",
            "es": "Los indicadores que el informe SILK propone seguir en cada fase de una internacionalización.",
        },
        default_language="en",
        source=data["source"],
        notes=tuple(data.get("notes", ())),
        scales=(RATING,),
        categories=categories,
        items=tuple(items),
        scoring=ScoringPolicy(),
    )
