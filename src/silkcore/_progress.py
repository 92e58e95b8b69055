"""A progress bar for long commands, shown on a terminal and silent when output is piped."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

__all__ = ["progress"]

T = TypeVar("T")


def progress(items: Iterable[T], label: str, length: int | None = None, *, minimum: int = 5) -> Iterator[T]:
    """Yield ``items``, drawing a bar on stderr when it is a terminal and there are at least
    ``minimum`` of them; pipes and logs get nothing extra."""
    sequence = list(items) if length is None else items
    total = len(sequence) if length is None else length  # type: ignore[arg-type]
    if total < minimum or not sys.stderr.isatty():
        yield from sequence
        return
    with click.progressbar(sequence, length=total, label=label, file=sys.stderr) as bar:
        yield from bar
