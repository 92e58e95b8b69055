"""The fuzz oracle, importable without atheris: only :class:`silkcore.SilkError` may escape.

``check_one(data)`` feeds the same bytes to the three readers of untrusted input:

* :func:`silkcore._jsonio.loads` (strict JSON),
* :func:`silkcore._documents.load_document` on raw bytes (JSON, or YAML when the bytes do not
  start with ``{`` or ``[``; then schema validation and typing),
* :func:`silkcore._jsonio.iter_json_lines` (JSON Lines, with a small line limit so the
  over-long-line path is exercised too).

Any other exception is a crash. ``fuzz/fuzz_jsonio.py`` runs it under atheris;
``tests/adversarial/test_fuzz_corpus.py`` replays ``fuzz/corpus`` through it in every test run.
"""

from __future__ import annotations

import contextlib
import io

from silkcore._documents import load_document
from silkcore._errors import DataError, SilkError
from silkcore._jsonio import Limits, iter_json_lines, loads

#: Small limits for the JSON Lines target, so short inputs reach the limit paths.
LINE_LIMITS = Limits(max_line_bytes=256, max_depth=16)


def check_one(data: bytes) -> None:
    """Run every target on ``data``; return normally or raise a non-silkcore exception (a crash)."""
    with contextlib.suppress(SilkError):
        loads(data, source="<fuzz>")
    with contextlib.suppress(SilkError):
        load_document(data)
    for number, item in iter_json_lines(io.BytesIO(data), source="<fuzz>", limits=LINE_LIMITS):
        if isinstance(item, DataError):
            for issue in item.errors:
                if issue.line != number:
                    raise AssertionError(f"issue on line {number} reports line {issue.line}: {issue}")
