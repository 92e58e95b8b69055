"""A message about a huge value quotes its start and keeps its end, which says what is wrong."""

from __future__ import annotations

import silkcore

from .conftest import EXAMPLES


def test_a_too_long_text_is_reported_as_too_long() -> None:
    document = silkcore.to_document(silkcore.load_document(EXAMPLES / "demo" / "organisation.json"))
    document["name"] = "x" * 50_000
    [issue] = silkcore.validate(document)
    assert issue.pointer == "/name"
    assert issue.message.endswith("is too long") and "characters left out" in issue.message
    assert len(issue.message) <= 500
