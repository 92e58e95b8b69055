"""``silk demo``: every installed tool on the bundled example organisation.

The bundle (``examples/demo/`` in the repository, ``silkcore/demo/`` in the wheel) holds a
fictional but realistic SSE organisation: its organisation document, response sets for the
SILK frameworks, flows, strategies and measurements. The core knows no tool by name: it
scores whatever frameworks the bundle answers and lets every installed plugin add its
report section. Results go to the history store - ``history.sqlite`` in the output folder
unless another store is given, so the demo leaves nothing behind outside that folder - and
the report to ``-o``.

The output folder and the store are checked before any work (their parent folders must
exist: only the folder itself is created), and each file is written whole or not at all.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from ._assessment import ScoreCard
from ._catalog import Catalog
from ._documents import dump_document, read_documents
from ._errors import Issue
from ._i18n import DEFAULT_LANGUAGE
from ._model import Organisation
from ._outputs import OutputError, atomic_path, check_output, write_output
from ._render import render_scorecard
from ._store import Store, StoreURL, check_store_path, history
from .report._assemble import score_all, write_organisation_report

__all__ = ["STORE_NAME", "DemoOutcome", "demo_bundle", "load_bundle", "run_demo"]

#: The demo's own history store, inside its output folder, when no store is given.
STORE_NAME = "history.sqlite"


@attrs.frozen
class DemoOutcome:
    """What the demo produced."""

    organisation: Organisation
    score_cards: tuple[ScoreCard, ...]
    report: Path
    charts: int
    summary: str


def demo_bundle() -> Path:
    """The folder holding the demo organisation's documents."""
    packaged = resources.files("silkcore") / "demo"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "examples" / "demo"


def load_bundle(folder: Path, catalog: Catalog) -> list[Any]:
    """Every document in a folder (JSON files and JSON Lines), validated."""
    return read_documents(sorted(p for p in folder.rglob("*") if p.suffix in (".json", ".jsonl")), registry=catalog.schemas)


def _safe_file_name(name: str) -> str:
    """A file name made from ids that plugins chose: one path component, no way out of the folder."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name).lstrip(".")[:200]
    return cleaned if cleaned not in ("", ".", "..") else "unnamed"


def run_demo(
    catalog: Catalog, output_dir: Path, store_path: Path | StoreURL | None = None, *, language: str = DEFAULT_LANGUAGE
) -> DemoOutcome:
    """Score, store and report the demo organisation.

    ``store_path`` defaults to :data:`STORE_NAME` inside ``output_dir``: a demo run keeps
    its state with its results, never in the user's data directory. ``output_dir`` is
    created if missing, but its parent must exist, as must the folder of a store that is
    given (unless it is silkcore's own data directory): checked first, before any work, as
    :class:`~silkcore._outputs.OutputError` (exit 1) or :class:`~silkcore._errors.StoreError`
    (exit 5). The reports (HTML and Markdown) are written in ``language``."""
    bundle = demo_bundle()
    check_output(output_dir, inputs=(bundle,), directory=True)
    if store_path is None:
        store_path = output_dir / STORE_NAME
        # The folder is created below; until then only an existing one can be checked.
        if output_dir.is_dir():
            check_store_path(store_path)
    else:
        check_store_path(store_path)
        # Opened once now: a given store that is not one is refused before the output folder
        # is made (a failed demo leaves nothing behind).
        Store(store_path).close()
    documents = load_bundle(bundle, catalog)
    organisation = next(d for d in documents if isinstance(d, Organisation))
    try:
        output_dir.mkdir(exist_ok=True)
    except OSError as exc:  # it appeared, or its parent went, since the check
        check_output(output_dir, directory=True)
        raise OutputError([Issue("", f"cannot create the directory: {exc.strerror or exc}", str(output_dir))]) from None
    results = score_all(catalog, documents)
    with Store(store_path) as store:
        for sets, card in results:
            store.record_assessment(sets, card)
        rows = history(store.assessments(organisation.org_id))
    cards = [card for _, card in results]
    for card in cards:
        write_output(output_dir / _safe_file_name(f"scorecard-{card.framework_id}.json"), dump_document(card) + "\n")
    report = output_dir / "report.html"
    with atomic_path(report) as partial:
        sections = write_organisation_report(catalog, documents, cards, rows, partial, language=language)
    with atomic_path(output_dir / "report.md") as partial:
        write_organisation_report(catalog, documents, cards, rows, partial, language=language)
    parts = [f"silk demo - {organisation.name} ({organisation.sse_family.value}, {organisation.country})", ""]
    for card in cards:
        parts += [render_scorecard(card, catalog.framework(card.framework_id)), ""]
    charts = sum(s.charts for s in sections)
    stored = len([r for r in rows if r["framework_id"] in {c.framework_id for c in cards}])
    parts.append(f"Sections: {', '.join(s.title for s in sections)}")
    parts.append(f"Assessments of this organisation in the store {store_path}: {stored}")
    parts.append(f"Report ({charts} charts): {report}")
    return DemoOutcome(organisation, tuple(cards), report, charts, "\n".join(parts))
