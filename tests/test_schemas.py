"""The packaged schemas: well-formed, locked once released, named per the design, local only."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from silkcore import hookimpl
from silkcore._documents import validate
from silkcore._jsonio import MAX_ISSUES
from silkcore._schemas import SCHEMA_BASE, SchemaRegistry, packaged_schemas
from silkcore.testing import catalog_with

from .conftest import EXAMPLES, SCHEMAS, example_files

KINDS = {
    "defs",
    "organisation",
    "flow",
    "strategy",
    "indicator",
    "measurement",
    "framework",
    "response_set",
    "scorecard",
    "envelope",
}


def test_every_schema_passes_the_2020_12_metaschema() -> None:
    schemas = packaged_schemas()
    assert {name.split("_", 1)[1].rsplit("-v", 1)[0] for name in schemas} >= KINDS
    for name, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", name
        assert schema["$id"] == SCHEMA_BASE + name
        jsonschema.Draft202012Validator.check_schema(schema)


def test_document_schemas_name_themselves_in_a_schema_const() -> None:
    for name, schema in packaged_schemas().items():
        if name.startswith("silkcore_defs-"):
            continue
        assert schema["properties"]["schema"] == {"const": name}
        assert schema["additionalProperties"] is False


def released_lock() -> dict[str, str]:
    lines = (SCHEMAS / "RELEASED.lock").read_text().splitlines()
    return {name: digest for digest, name in (line.split() for line in lines if line and not line.startswith("#"))}


def test_released_schemas_never_change() -> None:
    lock = released_lock()
    assert lock, "RELEASED.lock lists no schema"
    for name, digest in lock.items():
        actual = hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} was released and must not change; publish a new version instead"


def test_every_schema_file_is_released() -> None:
    assert set(released_lock()) == {p.name for p in SCHEMAS.glob("silkcore_*.json")}


def example_documents() -> list[Path]:
    return sorted(example_files(".json") + example_files(".yaml"))


@pytest.mark.parametrize("path", example_documents(), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_validates(path: Path) -> None:
    from silkcore._documents import parse_bytes

    doc = parse_bytes(path.read_bytes(), path.name)
    assert validate(doc) == []


def test_unknown_and_url_schema_names_are_errors() -> None:
    [issue] = validate({"schema": "https://evil.example/schema.json", "x": 1})
    assert issue.pointer == "/schema" and "local registry" in issue.message
    [issue] = validate({"schema": "silkcore_flow-v9.9.9"})
    assert issue.pointer == "/schema"
    [issue] = validate(["not", "an", "object"])
    assert issue.pointer == ""


def test_unknown_keys_are_reported_at_their_own_pointer() -> None:
    doc = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
    doc["provider"]["evil"] = 1
    [issue] = validate(doc)
    assert issue.pointer == "/provider/evil" and "unknown key 'evil'" in issue.message


def test_formats_are_asserted() -> None:
    doc = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
    doc["period"]["start"] = "2025-02-30"
    assert [i.pointer for i in validate(doc)] == ["/period/start"]
    assert [i.pointer for i in validate(doc, engine="python")] == ["/period/start"]


def test_flow_direction_contradicting_provider_is_an_error() -> None:
    doc = json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text())
    doc["direction"] = "outward"
    [issue] = validate(doc)
    assert issue.pointer == "/direction" and "contradicts" in issue.message


def test_envelope_payload_is_validated_against_its_schema() -> None:
    doc = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
    doc["payload"]["kind"] = "weapons"
    [issue] = validate(doc)
    assert issue.pointer == "/payload/kind"


class _Canary(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"type": "string"}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/x.json"
    finally:
        server.shutdown()


def plugin_schema(ref: str, schema_id: str = "https://example.org/schemas/acme_thing-v1.0.0") -> dict[str, object]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "type": "object",
        "properties": {"schema": {"const": "acme_thing-v1.0.0"}, "x": {"$ref": ref}},
    }


@pytest.mark.parametrize("ref_kind", ["remote", "file", "relative"])
def test_references_outside_the_registry_are_refused_without_any_access(canary: str, ref_kind: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"type": "string"}')
    ref = {"remote": canary, "file": secret.as_uri(), "relative": "../../secret.json"}[ref_kind]

    class Plugin:
        @hookimpl
        def silk_register_schemas(self, register):  # type: ignore[no-untyped-def]
            register(plugin_schema(ref))

    catalog = catalog_with(Plugin())
    [status] = catalog.plugin_statuses()
    assert status.status == "failed" and "acme_thing-v1.0.0" in (status.error or "")
    assert "acme_thing-v1.0.0" not in catalog.schemas.names()
    assert _Canary.hits == 0


def test_plugin_cannot_spoof_a_builtin_schema() -> None:
    spoof = plugin_schema("#", SCHEMA_BASE + "silkcore_flow-v1.0.0")

    class Spoofer:
        @hookimpl
        def silk_register_schemas(self, register):  # type: ignore[no-untyped-def]
            register(spoof)

    catalog = catalog_with(Spoofer())
    [status] = catalog.plugin_statuses()
    assert status.status == "failed" and "reserved" in (status.error or "")
    assert catalog.schemas.schema("silkcore_flow-v1.0.0") == packaged_schemas()["silkcore_flow-v1.0.0"]


def test_plugin_schema_is_usable_when_well_formed() -> None:
    class Acme:
        @hookimpl
        def silk_register_schemas(self, register):  # type: ignore[no-untyped-def]
            register(plugin_schema("https://w3id.org/silkcore/schemas/silkcore_defs-v1.0.0#/$defs/country_code"))

    registry = catalog_with(Acme()).schemas
    assert validate({"schema": "acme_thing-v1.0.0", "x": "FR"}, registry=registry) == []
    assert [i.pointer for i in validate({"schema": "acme_thing-v1.0.0", "x": "France"}, registry=registry)] == ["/x"]


def test_registry_builds_each_validator_once() -> None:
    registry = SchemaRegistry()
    assert registry.rs_validator("silkcore_flow-v1.0.0") is registry.rs_validator("silkcore_flow-v1.0.0")


def test_minor_version_keeps_old_documents_valid_and_upgrades() -> None:
    from silkcore._documents import parse_bytes
    from silkcore._versions import upgrade

    old = parse_bytes((EXAMPLES / "frameworks" / "community-energy-readiness.yaml").read_bytes(), "f.yaml")
    assert old["schema"] == "silkcore_framework-v1.0.0"
    registry = SchemaRegistry()
    assert {"silkcore_framework-v1.0.0", "silkcore_framework-v1.1.0", "silkcore_framework-v1.2.0"} <= set(registry.names())
    assert validate(old) == []
    middle = upgrade(old, "silkcore_framework-v1.1.0")
    assert middle["schema"] == "silkcore_framework-v1.1.0" and validate(middle) == []
    new = upgrade(old)
    assert new["schema"] == "silkcore_framework-v1.2.0" and validate(new) == []
    assert upgrade(new) == new and upgrade(middle) == new


def test_lock_catches_an_edited_released_file(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "repo"
    shutil.copytree(SCHEMAS, copy / "schemas")
    shutil.copytree(SCHEMAS.parent / "scripts", copy / "scripts")
    target = copy / "schemas" / "silkcore_flow-v1.0.0.json"
    target.write_text(target.read_text().replace('"title": "silkcore flow"', '"title": "silkcore flow (edited)"'))
    result = subprocess.run([sys.executable, str(copy / "scripts" / "release_schemas.py")], capture_output=True, text=True)
    assert result.returncode == 1 and "silkcore_flow-v1.0.0.json" in result.stderr


def test_defs_schema_is_not_a_document_kind() -> None:
    [issue] = validate({"schema": "silkcore_defs-v1.0.0", "anything": 1})
    assert "shared definitions" in issue.message


def test_redaction_tolerates_only_the_redacted_fields() -> None:
    doc = json.loads((EXAMPLES / "documents" / "envelope-network-flow.json").read_text())
    assert validate(doc) == []
    del doc["payload"]["flow_id"]
    assert [i.pointer for i in validate(doc)] == ["/payload"]


# --- a document with a great many errors ------------------------------------------------


def _many_bad_responses(count: int) -> dict[str, object]:
    """A response set whose ``count`` responses each break the schema (an item id that is a number)."""
    return {
        "schema": "silkcore_response_set-v1.0.0",
        "framework_id": "silk.evaluation-grid",
        "framework_version": "1.0.0",
        "subject": {"org_id": "urn:silk:org:demo:x"},
        "responses": [{"item_id": index, "value": "yes"} for index in range(count)],
    }


@pytest.mark.parametrize("explain", ["python", "rs"])
def test_a_document_with_many_errors_is_explained_in_bounded_work(explain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hundred issues are reported, then a line saying there are more - and the explainers
    stop there: 20,000 bad items cost no more errors made than 200 do (counted, not timed)."""
    import silkcore._schema_explain as python_explainer
    import silkcore._schemas as schemas

    made: list[int] = []
    counted = {"python": (python_explainer, "_python_issues"), "rs": (schemas, "_rs_issues")}[explain]
    original = getattr(*counted)

    def counting(errors: object) -> object:
        if explain == "rs":  # count what is drawn from jsonschema-rs's iterator

            def drawn(source: Iterator[object]) -> Iterator[object]:
                for error in source:
                    made.append(1)
                    yield error

            return original(drawn(errors))  # type: ignore[arg-type]
        made.append(1)
        return original(errors)

    monkeypatch.setattr(*counted, counting)
    registry = SchemaRegistry()
    for count in (200, 20_000):
        made.clear()
        issues = registry.validate(_many_bad_responses(count), explain=explain)
        assert len(issues) == MAX_ISSUES + 1
        assert issues[-1].message == f"further problems are not listed: the report stops at {MAX_ISSUES}"
        assert len(made) <= MAX_ISSUES + 2, len(made)
