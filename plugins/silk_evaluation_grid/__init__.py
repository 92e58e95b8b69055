"""SILK Tool 2: the internationalisation evaluation grid (framework ``silk.evaluation-grid``).

The 78 questions live in ``evaluation_grid.yaml``, encoded from the SILK report with a
source line for each; this module only tells silkcore where the file is. It is installed
through the ``silkcore`` entry point like any third-party plugin.
"""

from __future__ import annotations

from pathlib import Path

from silkcore import RegisterFramework, hookimpl

FRAMEWORK_FILE = Path(__file__).with_name("evaluation_grid.yaml")


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """Register the evaluation grid from its data file."""
    register(FRAMEWORK_FILE)
