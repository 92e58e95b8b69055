"""SILK Tool 4: the flow chart applied to the report's cases (``silk.cases``).

The eight Tool 4 cases (every table cell with its source line; empty cells stay unknown),
the report's policy cases and the organisations it cites as examples of each approach, all
as ``silkcore_case`` documents; a documented similarity that ranks them against an
organisation; and ``silk cases``. The modules doing the work are imported when a hook or an
analysis needs them, so loading the plugin costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from silkcore import RegisterAnalysis, hookimpl, lazy_command

if TYPE_CHECKING:
    import click

    from .library import all_cases, case, cases_using

__all__ = ["all_cases", "case", "cases_using"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class SimilarCases:
    """Analysis ``silk.cases.similar``: the cases most like the organisation in the documents."""

    id = "silk.cases.similar"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """Ranked matches with their reasons."""
        from .library import all_cases
        from .similarity import profile_from, rank_cases

        matches = rank_cases(profile_from(documents), all_cases(), 5)
        return {
            "matches": [{"case_id": m.case_id, "name": m.name, "similarity": m.score, "why": list(m.reasons)} for m in matches]
        }


@hookimpl
def silk_register_report_sections(register):  # type: ignore[no-untyped-def]
    """This plugin's report section."""
    from .report import CasesSection

    register(CasesSection())


class CaseLibrary:
    """Analysis ``silk.cases.library``: every case with the approaches it used and - given an
    organisation's documents - how similar it is to that organisation. Other plugins (the impact
    grid) read the cases through this, via the catalog, never by importing this plugin."""

    id = "silk.cases.library"

    def run(self, documents: Sequence[Any]) -> dict[str, Any]:
        """``{"cases": [{"case_id", "name", "approaches", "similarity"?}]}``."""
        from .library import all_cases
        from .similarity import profile_from, similarity

        profile = profile_from(documents) if documents else None
        rows = []
        for c in all_cases():
            row: dict[str, Any] = {"case_id": c.case_id, "name": c.name, "approaches": sorted(a.value for a in c.approaches())}
            if profile is not None:
                row["similarity"] = similarity(profile, c).score
            rows.append(row)
        return {"cases": rows}


@hookimpl
def silk_register_analyses(register: RegisterAnalysis) -> None:
    """Similar cases, and the case library other plugins read."""
    register(SimilarCases())
    register(CaseLibrary())


@hookimpl
def silk_add_cli_commands(cli: click.Group) -> None:
    """``silk cases``, imported when it is run."""
    summary = "SILK Tool 4: the report's cases as data, and which are like yours."
    cli.add_command(lazy_command("cases", "silk_cases.cli:cases_command", summary))
