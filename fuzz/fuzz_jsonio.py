#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of silkcore's readers of untrusted bytes.

Oracle (see ``harness.py``): only ``silkcore.SilkError`` may escape ``jsonio.loads``,
``documents.load_document(bytes)`` and ``jsonio.iter_json_lines``; anything else is a crash.

    python fuzz/fuzz_jsonio.py -max_total_time=3600 fuzz/corpus

New interesting inputs are added to ``fuzz/corpus``; a crash is written to ``crash-<sha1>``
in the current directory. Turn each crash into a regression test in ``tests/adversarial/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["silkcore", "harness", "json", "yaml"]):
    from harness import check_one


def test_one_input(data: bytes) -> None:
    """atheris entry point: one input, every target."""
    check_one(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
