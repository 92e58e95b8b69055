"""Regenerate the field-collection examples from the framework and the Kobo export.

    python examples/field/regenerate.py

writes, next to this file:

* ``evaluation-grid.xlsx`` - the Tool 2 XLSForm (what ``silk export --format xlsform
  silk.evaluation-grid -o evaluation-grid.xlsx`` writes);
* ``evaluation-grid-response-sets.jsonl`` - the submissions of
  ``kobo-evaluation-grid-submissions.json.txt`` that map (what ``silk import --format kobo-json``
  prints; the fourth submission is refused, see the README);
* ``evaluation-grid-scorecard-tissage-solidaire.json`` - the score card of the two
  Tissage Solidaire respondents (what ``silk assess`` prints with ``--json``).

``tests/plugins/field/test_examples.py`` checks that the files are up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

import silkcore
from silk_field.importers import import_submissions
from silk_field.xlsform import XlsformExporter

HERE = Path(__file__).resolve().parent
FORM = HERE / "evaluation-grid.xlsx"
EXPORT = HERE / "kobo-evaluation-grid-submissions.json.txt"
RESPONSE_SETS = HERE / "evaluation-grid-response-sets.jsonl"
SCORECARD = HERE / "evaluation-grid-scorecard-tissage-solidaire.json"
SUBJECT = "urn:silk:org:example:tissage-solidaire"


def build(catalog: silkcore.Catalog | None = None) -> dict[Path, bytes]:
    """The content of every generated example, by path."""
    catalog = catalog or silkcore.get_catalog()
    framework = catalog.framework("silk.evaluation-grid")
    report = import_submissions(EXPORT.read_bytes(), "kobo-json", source=EXPORT.name, catalog=catalog)
    lines = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in report.documents)
    sets = [silkcore.load_document(d, registry=catalog.schemas) for d in report.documents if d["subject"]["org_id"] == SUBJECT]
    card = silkcore.assess(framework, sets, catalog=catalog)
    return {
        FORM: XlsformExporter().export([framework]),
        RESPONSE_SETS: lines.encode("utf-8"),
        SCORECARD: (silkcore.dump_document(card) + "\n").encode("utf-8"),
    }


def main() -> None:
    """Write the examples."""
    for path, content in build().items():
        path.write_bytes(content)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
