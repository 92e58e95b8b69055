"""Running silkcore's batch scoring on a Dask cluster.

The same per-line work as ``silk batch`` (:class:`silkcore._batch.LineProcessor`), spread over
the partitions of a ``dask.bag`` of JSON Lines. Each worker builds its catalog once (the
installed plugins must be installed on the workers too). Results come back as one JSON
line per input line, in input order, written with ``to_textfiles`` or computed in memory.

When to use which: ``silk batch --workers N`` on one machine up to a few cores; Dask when
the input is spread over many files or machines, or already lives in a Dask pipeline.
Requires the ``dask`` extra: ``pip install "silkcore[dask]"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ._batch import _processor
from ._extras import require_extra
from ._jsonio import dumps_line

__all__ = ["score_bag", "results_bag"]


def _partition(lines: Iterable[tuple[int, str]], task: str, framework_id: str | None, source: str) -> list[str]:
    out = []
    process = _processor(task, framework_id, source)
    for number, line in lines:
        raw = line.rstrip("\r\n").encode("utf-8")
        if raw.strip():
            out.append(dumps_line(process(number, raw))[:-1])  # to_textfiles adds the newline
    return out


def results_bag(bag: Any, task: str = "validate", framework_id: str | None = None, source: str = "<dask>") -> Any:
    """A bag of result lines (JSON text) from a bag of ``(line_number, line)`` pairs."""
    return bag.map_partitions(_partition, task, framework_id, source)


def score_bag(
    paths: str | Sequence[str], task: str = "validate", framework_id: str | None = None, blocksize: str | int = "16MiB"
) -> Any:
    """Read JSON Lines files into a bag (numbering lines across files in order) and process them.

    Line numbers count from 1 across all ``paths`` taken in order, as if concatenated.
    """
    require_extra("dask", "score_bag")
    import dask.bag as db

    lines = db.read_text(paths, blocksize=None if isinstance(paths, str) and blocksize == 0 else blocksize, linedelimiter="\n")
    numbered = _number(lines)
    return results_bag(numbered, task, framework_id, str(paths))


def _attach(part: Iterable[str], start: int) -> list[tuple[int, str]]:
    return [(start + index + 1, line) for index, line in enumerate(part)]


def _number(lines: Any) -> Any:
    """Pair every line with its global line number (partition sizes are counted first)."""
    import dask.bag as db
    from dask.base import compute
    from dask.delayed import delayed

    parts = lines.to_delayed()
    counts = compute(*[delayed(len)(part) for part in parts])
    offsets = [sum(counts[:i]) for i in range(len(counts))]
    return db.from_delayed([delayed(_attach)(part, offset) for part, offset in zip(parts, offsets, strict=True)])
