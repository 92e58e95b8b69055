"""``silk keys``, ``silk sign`` and ``silk verify``, and the commands of docs/signing.md, run
for real: exit codes, located errors, never a traceback."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from silkcore import load_signing_key, new_signing_key, save_signing_key, sign_envelope

from .conftest import EXAMPLES, GUARD, ROOT, run_silk

ENVELOPE = EXAMPLES / "documents" / "envelope-network-flow.json"
FLOW = EXAMPLES / "documents" / "flow-cotton-import.json"


def assert_located(result: subprocess.CompletedProcess[str], where: str, pointer: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "network access attempted" not in result.stderr
    assert re.search(rf"^error: {re.escape(where)}(:\d+:\d+)?: at {re.escape(pointer)}: ", result.stderr, re.M), result.stderr


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "key.json"
    result = run_silk("keys", "new", "-o", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_keys_new_writes_a_private_key_file(key_file: Path) -> None:
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = load_signing_key(key_file)
    shown = run_silk("keys", "show", str(key_file))
    assert shown.stdout.splitlines() == [key.did, f"verification method: {key.verification_method}"]
    as_json = json.loads(run_silk("keys", "show", "--json", str(key_file)).stdout)
    assert as_json == {"key_file": str(key_file), "did": key.did, "verification_method": key.verification_method}


def test_keys_new_never_overwrites_unless_forced(key_file: Path, tmp_path: Path) -> None:
    before = key_file.read_bytes()
    assert_located(run_silk("keys", "new", "-o", str(key_file)), str(key_file), "(document root)")
    assert key_file.read_bytes() == before
    path = tmp_path / "key.json"
    path.write_text("not a key")
    result = run_silk("keys", "new", "--force", "--json", "-o", str(path))
    assert result.returncode == 0 and json.loads(result.stdout)["did"] == load_signing_key(path).did


@pytest.mark.parametrize("args", [["keys", "new"], ["keys", "new", "-o", "-"], ["sign", "x.json"], ["verify"]])
def test_usage_errors_exit_two(args: list[str]) -> None:
    result = run_silk(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr


def test_sign_then_verify(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "signed.json"
    signed = run_silk("sign", "--key", str(key_file), str(ENVELOPE), "-o", str(out))
    did = load_signing_key(key_file).did
    assert signed.returncode == 0, signed.stderr
    assert f"signed by {did}" in signed.stderr and "note: the publisher is https://federation.example.coop/" in signed.stderr
    document = json.loads(out.read_text())
    assert document["schema"] == "silkcore_envelope-v1.1.0" and document["proof"]["verificationMethod"].startswith(did)
    assert run_silk("validate", str(out)).returncode == 0
    verified = run_silk("verify", str(out))
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.splitlines() == [
        f"verified: signed by {did}",
        "publisher: not bound (https://federation.example.coop/ is not the signer's did:key)",
    ]
    verdict = json.loads(run_silk("verify", "--json", str(out)).stdout)
    assert verdict["verified"] is True and verdict["signer"] == did and verdict["publisher_bound"] is False


def test_a_publisher_signing_as_itself_is_bound(tmp_path: Path) -> None:
    key = new_signing_key()
    save_signing_key(key, tmp_path / "key.json")
    envelope: dict[str, Any] = json.loads(ENVELOPE.read_text())
    envelope["publisher"]["id"] = key.did
    source = tmp_path / "mine.json"
    source.write_text(json.dumps(envelope))
    signed = run_silk("sign", "--key", str(tmp_path / "key.json"), str(source), "-o", str(tmp_path / "signed.json"))
    assert signed.returncode == 0 and "note:" not in signed.stderr
    verdict = json.loads(run_silk("verify", "--json", str(tmp_path / "signed.json")).stdout)
    assert verdict["publisher_bound"] is True and verdict["publisher"] == verdict["signer"] == key.did


def test_sign_writes_standard_output_by_default(key_file: Path) -> None:
    result = run_silk("sign", "--key", str(key_file), str(ENVELOPE))
    assert result.returncode == 0 and json.loads(result.stdout)["proof"]["cryptosuite"] == "eddsa-jcs-2022"


def test_verify_refuses_an_altered_envelope_with_a_located_error(key_file: Path, tmp_path: Path) -> None:
    signed = sign_envelope(json.loads(ENVELOPE.read_text()), load_signing_key(key_file))
    signed["payload"]["amount"]["amount"] = "131000.01"
    path = tmp_path / "altered.json"
    path.write_text(json.dumps(signed, indent=2))
    result = run_silk("verify", str(path))
    assert_located(result, str(path), "/proof/proofValue")
    assert re.search(
        rf"^error: {re.escape(str(path))}:\d+:\d+: at /proof/proofValue: the signature does not verify", result.stderr
    )
    verdict = run_silk("verify", "--json", str(path))
    assert verdict.returncode == 1
    assert json.loads(verdict.stdout)["issues"][0]["pointer"] == "/proof/proofValue"


def test_verify_refuses_an_unsigned_envelope(tmp_path: Path) -> None:
    assert_located(run_silk("verify", str(ENVELOPE)), str(ENVELOPE), "/proof")
    verdict = run_silk("verify", "--json", str(ENVELOPE))
    assert verdict.returncode == 1 and json.loads(verdict.stdout)["verified"] is False


def test_verify_refuses_what_is_not_a_sound_envelope(tmp_path: Path) -> None:
    assert_located(run_silk("verify", str(FLOW)), str(FLOW), "/schema")
    broken = json.loads(ENVELOPE.read_text())
    broken["proof"] = {"type": "DataIntegrityProof"}
    broken["schema"] = "silkcore_envelope-v1.1.0"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    assert_located(run_silk("verify", str(path)), str(path), "/proof")
    assert_located(run_silk("verify", str(tmp_path / "missing.json")), str(tmp_path / "missing.json"), "(document root)")


@pytest.mark.parametrize(
    ("content", "pointer"),
    [
        ("{", "(document root)"),
        ('{"type": "Multikey"}', "/secretKeyMultibase"),
        ('{"type": "Multikey", "secretKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}', "/secretKeyMultibase"),
    ],
)
def test_sign_refuses_a_bad_key_file(tmp_path: Path, content: str, pointer: str) -> None:
    path = tmp_path / "key.json"
    path.write_text(content)
    result = run_silk("sign", "--key", str(path), str(ENVELOPE), "-o", str(tmp_path / "out.json"))
    assert_located(result, str(path), pointer)
    assert not (tmp_path / "out.json").exists()


def test_sign_refuses_what_is_not_a_sound_envelope(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert_located(run_silk("sign", "--key", str(key_file), str(FLOW), "-o", str(out)), str(FLOW), "/schema")
    envelope = json.loads(ENVELOPE.read_text())
    envelope["payload"]["kind"] = "weapons"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(envelope))
    assert_located(run_silk("sign", "--key", str(key_file), str(path), "-o", str(out)), str(path), "/payload/kind")
    envelope = json.loads(ENVELOPE.read_text())
    envelope["provenance"]["content_hash"] = "sha256:" + "0" * 64
    path.write_text(json.dumps(envelope))
    assert_located(run_silk("sign", "--key", str(key_file), str(path), "-o", str(out)), str(path), "/provenance/content_hash")
    assert not out.exists()
    assert run_silk("sign", "--key", str(key_file), str(path), "-o", str(path)).returncode == 1  # its own input


# --- docs/signing.md: every shell command runs, from files shipped in the repository ----------

DOC = ROOT / "docs" / "signing.md"


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_signing_page_commands_run(tmp_path: Path) -> None:
    (tmp_path / "examples").symlink_to(EXAMPLES)  # the page's paths are the repository's; outputs land here
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))
    commands = [line for block in doc_blocks("sh") for line in block.splitlines() if line.strip()]
    assert any(line.startswith("silk sign") for line in commands) and any("exit status 1" in line for line in commands)
    for line in commands:
        expected = re.search(r"#\s*exit status (\d+)", line)
        result = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == (int(expected[1]) if expected else 0), (line, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr, line
    assert "at /proof/proofValue: the signature does not verify" in result.stderr  # the last one: the altered copy
    [python] = doc_blocks("python")
    result = subprocess.run([sys.executable, "-c", python], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
