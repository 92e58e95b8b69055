"""SILK Tool 2: the internationalisation evaluation grid (framework ``silk.evaluation-grid``).

The 78 questions live in ``evaluation_grid.yaml``, encoded from the SILK report with a
source line for each; this module only tells silkcore where the file is. It is installed
through the ``silkcore`` entry point like any third-party plugin. The framework is registered
with its id, so the file is read only when a command first needs the grid.
"""

from __future__ import annotations

from pathlib import Path

from silkcore import RegisterFramework, hookimpl

FRAMEWORK_FILE = Path(__file__).with_name("evaluation_grid.yaml")
FRAMEWORK_ID = "silk.evaluation-grid"


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """Register the evaluation grid from its data file (read on first use)."""
    register(FRAMEWORK_FILE, id=FRAMEWORK_ID)
