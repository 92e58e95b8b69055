"""Start-up time of the ``silk`` command against ``python -c "import jsonschema"``, in one run.

Run: ``.venv/bin/python benchmarks/bench_startup.py [N]`` (default 15). Each of the commands
below runs N times as a real subprocess with the venv's Python, interleaved (one of each per
round, so a busy moment of a shared machine hits them all alike); the table gives each
command's median wall time and its ratio to the median of the reference in the same run:

* ``python -c "import jsonschema"`` - the reference;
* ``silk --help``;
* ``silk validate examples/documents/organisation-sol-del-valle.json``;
* ``silk frameworks``;
* ``silk frameworks`` again, its plugins' data files read from their YAML instead of their
  compiled forms (run as ``silk`` runs, with the reader version the forms record changed, so
  none is current: see :mod:`silkcore._plugin_data`): what the compiled forms save.

:func:`rows` returns the same figures as data, for ``make bench``. Not run by ``make test``:
speed is recorded, never asserted.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
ONE_DOCUMENT = "examples/documents/organisation-sol-del-valle.json"

#: ``silk frameworks`` as the console script runs it, every compiled form out of date.
_NO_COMPILED_FORMS = (
    "import sys; import silkcore._plugin_data as data; data.READER_VERSION = -1; "
    "from silkcore._cli import main; sys.exit(main(['frameworks']))"
)
#: label -> argv after the venv's ``python``; the first is the reference.
COMMANDS: dict[str, list[str]] = {
    'python -c "import jsonschema"': ["-c", "import jsonschema"],
    "silk --help": ["-m", "silkcore", "--help"],
    f"silk validate {Path(ONE_DOCUMENT).name}": ["-m", "silkcore", "validate", ONE_DOCUMENT],
    "silk frameworks": ["-m", "silkcore", "frameworks"],
    "silk frameworks, data read from YAML": ["-c", _NO_COMPILED_FORMS],
}


@dataclass(frozen=True)
class Row:
    """One command's figures: median and spread of its wall times, ratio to the reference."""

    command: str
    median_s: float
    min_s: float
    max_s: float
    ratio: float


def _silk_argv(args: list[str]) -> list[str]:
    # the venv's ``silk`` console script when present (what a user runs), else ``python -m silkcore``
    script = PYTHON.parent / "silk"
    if args[:2] == ["-m", "silkcore"] and script.exists():
        return [str(script), *args[2:]]
    return [str(PYTHON), *args]


def _time_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def command_env() -> dict[str, str]:
    """The environment the measured commands run in: as a user's installed silkcore, whose
    modules have their bytecode cached (as jsonschema's, the reference, has in site-packages).
    An inherited ``PYTHONDONTWRITEBYTECODE`` would leave the editable checkout's modules to be
    compiled again at every start, and import timing would slow every run."""
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def rows(runs: int = 15) -> list[Row]:
    """Run every command ``runs`` times, interleaved; one :class:`Row` each, the reference first."""
    env = command_env()
    argvs = {label: _silk_argv(args) for label, args in COMMANDS.items()}
    for argv in argvs.values():  # warm the page cache and the bytecode caches once, untimed
        _time_once(argv, env)
    times: dict[str, list[float]] = {label: [] for label in argvs}
    for _ in range(runs):
        for label, argv in argvs.items():
            times[label].append(_time_once(argv, env))
    reference = statistics.median(next(iter(times.values())))
    return [
        Row(label, statistics.median(values), min(values), max(values), statistics.median(values) / reference)
        for label, values in times.items()
    ]


def table(result: list[Row]) -> str:
    """``result`` as a Markdown table."""
    lines = ["| command | median s | min-max s | x import jsonschema |", "|---|---:|---:|---:|"]
    for row in result:
        lines.append(f"| `{row.command}` | {row.median_s:.3f} | {row.min_s:.3f}-{row.max_s:.3f} | {row.ratio:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    runs = int(argv[0]) if argv else 15
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"start-up, {runs} interleaved runs each, load average {load:.1f} at start")
    print()
    print(table(rows(runs)))


if __name__ == "__main__":
    main(sys.argv[1:])
