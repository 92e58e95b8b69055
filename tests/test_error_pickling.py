"""Errors cross process boundaries whole: a batch worker's SilkError reaches the parent with
its class, message and issues (pickled as ProcessPoolExecutor and Dask do)."""

from __future__ import annotations

import pickle

import pytest

from silkcore import (
    DataError,
    DuplicateRegistrationError,
    Issue,
    PartialImportError,
    PluginLoadError,
    ScoringError,
    SilkError,
    StoreError,
    UnknownComponentError,
)

ISSUE = Issue("/responses/0/item_id", "unknown item 'A.4'", "sets.jsonl", 3, 7)


@pytest.mark.parametrize(
    "error",
    [
        DataError([ISSUE]),
        PartialImportError([{"schema": "x"}], [ISSUE]),
        ScoringError("urn:x: at /responses/0/item_id: unknown item", [ISSUE]),
        UnknownComponentError("framework", "network.x", ["silk.flowchart"]),
        PluginLoadError("cannot import", plugin_name="acme", distribution="acme-silk"),
        DuplicateRegistrationError("framework", "x", "first", "second"),
        StoreError("the store is locked"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_error_survives_pickling(error: SilkError) -> None:
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error)
    assert str(again) == str(error) and again.__dict__ == error.__dict__
