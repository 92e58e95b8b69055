"""An importer's or exporter's refusal names the file it was given, as every other error does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import EXAMPLES, run_silk


def test_an_altered_envelope_is_refused_naming_its_file(tmp_path: Path) -> None:
    exported = run_silk(
        "export", "--format", "envelope", "--audience", "network", str(EXAMPLES / "node" / "organisation-envelope.json"),
        "-o", "out.json", cwd=tmp_path,
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    envelope = json.loads((tmp_path / "out.json").read_text())
    envelope["payload"]["name"] += " (altered)"
    (tmp_path / "altered.json").write_text(json.dumps(envelope))
    result = run_silk("import", "--format", "envelope", "altered.json", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "error: altered.json: at /provenance/content_hash: the payload does not match its content hash: "
        "it was altered after export\n"
    )


def test_an_expired_envelope_and_a_bare_document_name_their_files(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "docs" / "expired.json", tmp_path / "expired.json")
    imported = run_silk("import", "--format", "envelope", "expired.json", cwd=tmp_path)
    assert imported.returncode == 1 and imported.stderr.startswith("error: expired.json: at /sharing/expires_at: ")
    bare = EXAMPLES / "demo" / "organisation.json"
    exported = run_silk("export", "--format", "envelope", "--audience", "network", str(bare), cwd=tmp_path)
    assert exported.returncode == 1 and exported.stderr.startswith(f"error: {bare}: at (document root): ")
