"""SILK Tool 6: the policy brief (``silk.policy-brief``).

The six recommendations (with rationale and example case), the eleven policy lessons and
twelve strategy lessons, drivers, barriers and good practices, and the policies the report
analyses - all data with sources. A self-assessment framework checks a policy against
them; ``silk policy brief`` turns organisations' pooled evidence into a brief. The
self-assessment framework is registered with its id and built when a command first needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from silkcore import RegisterFramework, hookimpl, lazy_command

if TYPE_CHECKING:
    import click


@hookimpl
def silk_register_frameworks(register: RegisterFramework) -> None:
    """The policy self-assessment framework, built on first use."""
    from .self_assessment import FRAMEWORK_ID, framework

    register(framework, id=FRAMEWORK_ID)


@hookimpl
def silk_add_cli_commands(cli: click.Group) -> None:
    """``silk policy``, imported when it is run."""
    summary = "SILK Tool 6: policy recommendations, self-assessment and evidence briefs."
    cli.add_command(lazy_command("policy", "silk_policy_brief.cli:policy_command", summary))
