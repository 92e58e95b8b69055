"""The plugin ``acme_grid_scorer`` of docs/plugins/hooks.md ("Who owns a framework"): a scorer
for ``silk.evaluation-grid``, a framework another plugin owns, so it is refused unless the
owner or the user (``SILKCORE_OPEN_FRAMEWORKS``) opens the framework to it."""

import silkcore
from silkcore import hookimpl


class AcmeGridScorer:
    framework_id = "silk.evaluation-grid"

    def score(self, framework, response_sets):
        return silkcore.GenericScorer(self.framework_id).score(framework, response_sets)


@hookimpl
def silk_register_scorers(register):
    register(AcmeGridScorer())
