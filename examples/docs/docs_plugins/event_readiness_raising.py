"""The example plugin of docs/writing-a-plugin.md as it would be with a scorer that raises
``KeyError('fit.1')`` ("While a command runs"): its framework and indicator, plus that scorer."""

from silk_event_readiness import silk_register_frameworks, silk_register_indicators

from silkcore import hookimpl

__all__ = ["silk_register_frameworks", "silk_register_indicators", "silk_register_scorers"]


class RaisingScorer:
    framework_id = "network.event-readiness"

    def score(self, framework, response_sets):
        raise KeyError("fit.1")


@hookimpl
def silk_register_scorers(register):
    register(RaisingScorer())
