"""SILK Tool 6: the policy brief (``silk.policy-brief``).

The six recommendations (with rationale and example case), the eleven policy lessons and
twelve strategy lessons, drivers, barriers and good practices, and the policies the report
analyses - all data with sources. A self-assessment framework checks a policy against
them; ``silk policy brief`` turns organisations' pooled evidence into a brief.
"""

from __future__ import annotations

from silkcore import RegisterFramework, hookimpl

from .cli import policy_command
from .self_assessment import framework


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """The policy self-assessment framework."""
    register(framework())


@hookimpl
def silk_add_cli_commands(cli):  # type: ignore[no-untyped-def]
    """``silk policy``."""
    cli.add_command(policy_command)
