# fragment: test_event_readiness.py in your plugin's repository (examples/docs/ ships it)
import datetime as dt
from decimal import Decimal

import silk_event_readiness as plugin
from hypothesis import given

import silkcore
from silkcore.testing import catalog_with, entities


def test_plugin_registers_its_framework_and_indicator():
    catalog = catalog_with(plugin)
    assert catalog.failed_plugins() == []
    assert [f.id for f in catalog.frameworks()] == ["network.event-readiness"]
    org, period = silkcore.OrgRef("urn:silk:org:test"), silkcore.Period(dt.date(2025, 1, 1))
    observed = silkcore.FlowStatus.OBSERVED
    measurements = [
        silkcore.Measurement("event.partnerships_started", org, period, observed, value=Decimal("3")),
        silkcore.Measurement("event.participation_cost", org, period, observed, value=Decimal("1500")),
    ]
    assert catalog.indicator("event.partnership_yield").compute(measurements) == Decimal("2")


@given(entities(silkcore.Measurement))
def test_compute_never_crashes(measurement):
    result = plugin.partnership_yield([measurement])
    assert result is None or isinstance(result, Decimal)


@given(entities(silkcore.ResponseSet))
def test_documents_round_trip(response_set):
    assert silkcore.load_document(silkcore.dump_document(response_set).encode()) == response_set
