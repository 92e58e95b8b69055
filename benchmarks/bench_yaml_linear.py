"""YAML numbers: is ``load_yaml`` linear in the size of the input?

Run: ``.venv/bin/python benchmarks/bench_yaml_linear.py [--runs 7] [--small 120000] [--factor 10]``.

PyYAML converts sexagesimal integers (``1:59:59``) with big-integer arithmetic whose cost
grows with the square of the number of parts: one 1.2 MB scalar took 70 s, and hex, octal or
binary scalars of thousands of digits ended in a ``ValueError``. silkcore counts the digits
first (issue 15, item 4). For two sizes, ``small`` characters and ``factor`` times that, this
times (median CPU time of ``--runs`` runs, the two sizes alternating):

* ``many numbers``: a valid document, a list of mappings holding sexagesimal, hexadecimal,
  octal, binary and decimal integers and sexagesimal floats, all in range;
* ``one huge sexagesimal``: one scalar ``1:59:59:...`` of the whole size (refused);
* ``one huge hexadecimal``: one scalar ``0xfff...`` of the whole size (refused);
* ``many huge numbers``: many out-of-range hex and sexagesimal scalars of 1,000 characters
  each (each refused, the report capped at 100 issues);

and prints the ratio large/small of each. The bar: at most 15x the time for 10x the size.
Not run by ``make test``: speed is recorded, not asserted.
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import yaml  # noqa: E402

from silkcore._errors import DataError  # noqa: E402
from silkcore._jsonio import load_yaml  # noqa: E402

_ENTRY = "- s: 1:30:45\n  x: 0x7fffffff\n  o: 0777\n  b: 0b1011\n  d: 1_000_000\n  f: 1:30.5\n  t: 190:20:30\n"


def many_numbers(size: int) -> str:
    """A valid YAML list of about ``size`` characters, every scalar a number in range."""
    return _ENTRY * max(1, size // len(_ENTRY))


def one_sexagesimal(size: int) -> str:
    return "a: 1" + ":59" * max(1, (size - 4) // 3) + "\n"


def one_hexadecimal(size: int) -> str:
    return "a: 0x" + "f" * max(1, size - 6) + "\n"


def many_huge(size: int) -> str:
    line_hex = "- 0x" + "f" * 996 + "\n"
    line_sex = "- 1" + ":59" * 332 + "\n"
    pairs = max(1, size // (len(line_hex) + len(line_sex)))
    return (line_hex + line_sex) * pairs


CASES: dict[str, Callable[[int], str]] = {
    "many numbers (valid)": many_numbers,
    "one huge sexagesimal": one_sexagesimal,
    "one huge hexadecimal": one_hexadecimal,
    "many huge numbers": many_huge,
}


def load(text: str) -> str:
    """``ok`` or the first issue's message (shortened)."""
    try:
        load_yaml(text)
    except DataError as exc:
        return f"refused: {exc.errors[0].message[:60]}"
    return "ok"


def cpu_seconds(action: Callable[[], object]) -> float:
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        action()
        return time.process_time() - start
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--small", type=int, default=120_000, help="size of the smaller input, in characters")
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, PyYAML {yaml.__version__} "
        f"({'libyaml' if getattr(yaml, '__with_libyaml__', False) else 'pure Python'}), {platform.machine()}"
    )
    print(f"{'case':<24} {'small':>9} {'large':>10} {'t small':>9} {'t large':>9} {'ratio':>6}  outcome")
    worst = 0.0
    for name, build in CASES.items():
        small, large = build(args.small), build(args.small * args.factor)
        outcome = load(small)
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.runs):
            times["small"].append(cpu_seconds(lambda text=small: load(text)))
            times["large"].append(cpu_seconds(lambda text=large: load(text)))
        t_small, t_large = statistics.median(times["small"]), statistics.median(times["large"])
        ratio = t_large / t_small if t_small else float("inf")
        worst = max(worst, ratio)
        print(f"{name:<24} {len(small):>9,} {len(large):>10,} {t_small:>8.4f}s {t_large:>8.4f}s {ratio:>6.1f}  {outcome}")
    verdict = "within" if worst <= 15 else "OVER"
    print(f"worst ratio {worst:.1f} for {args.factor}x the size: {verdict} the bar of 15")


if __name__ == "__main__":
    main()
