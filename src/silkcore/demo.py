"""``silk demo``: every installed framework on the bundled example organisation.

The bundle (``examples/demo/`` in the repository, ``silkcore/demo/`` in the wheel) holds a
fictional but realistic SSE organisation and its response sets. The core knows no tool by
name: it scores whatever response set in the bundle answers an installed framework.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import attrs

from .assessment import ResponseSet, ScoreCard
from .catalog import Catalog
from .documents import dump_document, load_document
from .model import Organisation
from .render import render_scorecard

__all__ = ["DemoOutcome", "demo_bundle", "run_demo"]


@attrs.frozen
class DemoOutcome:
    """What the demo produced."""

    organisation: Organisation
    score_cards: tuple[ScoreCard, ...]
    written: tuple[Path, ...]
    summary: str


def demo_bundle() -> Path:
    """The folder holding the demo organisation and its response sets."""
    packaged = resources.files("silkcore") / "demo"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "examples" / "demo"


def run_demo(catalog: Catalog, output_dir: Path) -> DemoOutcome:
    """Score every bundled response set whose framework is installed; write the score cards."""
    bundle = demo_bundle()
    organisation = load_document(bundle / "organisation.json", registry=catalog.schemas)
    assert isinstance(organisation, Organisation)
    by_framework: dict[str, list[ResponseSet]] = {}
    for path in sorted((bundle / "response_sets").glob("*.json")):
        response_set = load_document(path, registry=catalog.schemas)
        assert isinstance(response_set, ResponseSet)
        by_framework.setdefault(response_set.framework_id, []).append(response_set)
    output_dir.mkdir(parents=True, exist_ok=True)
    cards: list[ScoreCard] = []
    written: list[Path] = []
    parts = [f"silk demo - {organisation.name} ({organisation.sse_family.value}, {organisation.country})", ""]
    skipped = []
    for framework in catalog.frameworks():
        sets = by_framework.get(framework.id)
        if not sets:
            skipped.append(framework.id)
            continue
        card = catalog.scorer(framework.id).score(framework, sets)
        cards.append(card)
        target = output_dir / f"scorecard-{framework.id}.json"
        target.write_text(dump_document(card) + "\n", encoding="utf-8")
        written.append(target)
        parts += [render_scorecard(card, framework), ""]
    if not cards:
        parts.append("No installed framework has demo answers; install a SILK tool plugin (see `silk plugins`).")
    if skipped:
        parts.append(f"Frameworks without demo answers: {', '.join(skipped)}")
    if written:
        parts.append(f"Score cards written to {output_dir}/")
    return DemoOutcome(organisation, tuple(cards), tuple(written), "\n".join(parts))
