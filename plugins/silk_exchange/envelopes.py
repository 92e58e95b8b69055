"""Envelope export (sharing rules, redaction, hash) and import (expiry, hash check)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from silkcore import DataError, Envelope, Issue, dump_document, load_document, prepare_for, verify_received


class EnvelopeExporter:
    """Exporter ``envelope``: a record as it may leave for an audience (``--audience``, ``--peer``)."""

    id = "envelope"
    media_type = "application/json"

    def export(self, documents: Sequence[Any], **options: str) -> bytes:
        """Refuses whatever the sharing level forbids; applies redactions; records the hash."""
        audience = options.get("audience")
        if not audience:
            raise DataError([Issue("", "say who receives the record: --audience public|network|bilateral")])
        out = []
        for document in documents:
            if not isinstance(document, Envelope):
                raise DataError(
                    [Issue("", "only an envelope carries sharing terms; a bare document is treated as private and not exported")]
                )
            out.append(dump_document(prepare_for(document, audience, options.get("peer"))))
        return ("\n".join(out) + "\n").encode("utf-8")


class EnvelopeImporter:
    """Importer ``envelope``: keeps provenance, refuses expired or altered records."""

    id = "envelope"

    def import_(self, data: bytes, source: str) -> list[dict[str, Any]]:
        """The envelope, validated, unexpired and matching its content hash."""
        envelope = load_document(data, name=source)
        if not isinstance(envelope, Envelope):
            raise DataError([Issue("/schema", "expected an envelope (silkcore_envelope-v1.0.0)", source)])
        verify_received(envelope)
        import json

        document: dict[str, Any] = json.loads(dump_document(envelope))
        return [document]
