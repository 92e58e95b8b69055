"""Signed envelopes: the W3C eddsa-jcs-2022 test vector, round trips, tampering (in Python and
in an independent JavaScript verifier), key files, and located errors for every refusal."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import pickle
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkcore
from silkcore import DataError, SigningKey, load_signing_key, new_signing_key, save_signing_key, sign_envelope, verify_envelope
from silkcore._documents import validate
from silkcore._keys import b58decode, b58encode, ed25519_public_key
from silkcore._proof import add_proof, hash_data, verify_proof
from silkcore._sharing import content_hash

from .conftest import EXAMPLES, SCHEMAS

CREATED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
#: A P-256 did:key (the W3C ECDSA examples' issuer): a did:key, but not an Ed25519 one.
P256 = "zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"


def envelope(name: str = "envelope-network-flow.json") -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "documents" / name).read_text(encoding="utf-8"))
    return data


def pointers(error: pytest.ExceptionInfo[DataError]) -> list[str]:
    return [issue.pointer for issue in error.value.errors]


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return new_signing_key()


@pytest.fixture(scope="module")
def signed(key: SigningKey) -> dict[str, Any]:
    return sign_envelope(envelope(), key, created=CREATED)


# --- The W3C test vector ---------------------------------------------------------------------
# "Data Integrity EdDSA Cryptosuites v1.0", W3C Recommendation 15 May 2025,
# https://www.w3.org/TR/2025/REC-vc-di-eddsa-20250515/ , Appendix B.3 "Representation:
# eddsa-jcs-2022" (Examples 29-39; the same files are in github.com/w3c/vc-di-eddsa,
# TestVectors/eddsa-jcs-2022/ and TestVectors/keyPair.json).

W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_CANONICAL_CREDENTIAL = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],'
    '"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},'
    '"description":"A minimum viable example of an Alumni Credential.",'
    '"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678",'
    '"name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}'
)
W3C_CREDENTIAL_HASH = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
W3C_METHOD = f"did:key:{W3C_PUBLIC}#{W3C_PUBLIC}"
W3C_OPTIONS = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": W3C_METHOD,
    "proofPurpose": "assertionMethod",
}
W3C_CANONICAL_CONFIG = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],'
    '"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod",'
    f'"type":"DataIntegrityProof","verificationMethod":"{W3C_METHOD}"}}'
)
W3C_CONFIG_HASH = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
W3C_SIGNATURE = (
    "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
    "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808"
)
W3C_PROOF_VALUE = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"


def w3c_signed_credential() -> dict[str, Any]:
    """Example 39 of the Recommendation: the signed credential."""
    proof = {**W3C_OPTIONS, "@context": W3C_CREDENTIAL["@context"], "proofValue": W3C_PROOF_VALUE}
    return copy.deepcopy({**W3C_CREDENTIAL, "proof": proof})


def test_the_w3c_key_pair_is_a_did_key() -> None:
    key = SigningKey.from_secret_multibase(W3C_SECRET)
    assert key.public_key_multibase == W3C_PUBLIC
    assert key.did == f"did:key:{W3C_PUBLIC}" and key.verification_method == W3C_METHOD
    assert key.key_document()["secretKeyMultibase"] == W3C_SECRET
    assert ed25519_public_key(key.did) == b58decode(W3C_PUBLIC[1:])[2:]


def test_the_w3c_test_vector_step_by_step() -> None:
    key = SigningKey.from_secret_multibase(W3C_SECRET)
    assert rfc8785.dumps(W3C_CREDENTIAL).decode() == W3C_CANONICAL_CREDENTIAL
    assert hashlib.sha256(W3C_CANONICAL_CREDENTIAL.encode()).hexdigest() == W3C_CREDENTIAL_HASH
    config = {**W3C_OPTIONS, "@context": W3C_CREDENTIAL["@context"]}
    assert rfc8785.dumps(config).decode() == W3C_CANONICAL_CONFIG
    assert hashlib.sha256(W3C_CANONICAL_CONFIG.encode()).hexdigest() == W3C_CONFIG_HASH
    data = hash_data(W3C_CREDENTIAL, config)
    assert data.hex() == W3C_CONFIG_HASH + W3C_CREDENTIAL_HASH
    assert key.sign(data).hex() == W3C_SIGNATURE
    assert "z" + b58encode(bytes.fromhex(W3C_SIGNATURE)) == W3C_PROOF_VALUE


def test_the_w3c_signed_credential_is_made_and_verified_by_the_same_code_as_envelopes() -> None:
    key = SigningKey.from_secret_multibase(W3C_SECRET)
    assert add_proof(W3C_CREDENTIAL, key, W3C_OPTIONS) == w3c_signed_credential()
    assert verify_proof(w3c_signed_credential()) == f"did:key:{W3C_PUBLIC}"
    altered = w3c_signed_credential()
    altered["credentialSubject"]["alumniOf"] = "The School of Counter-examples"
    with pytest.raises(DataError) as error:
        verify_proof(altered)
    assert pointers(error) == ["/proof/proofValue"]


def test_the_w3c_key_reads_as_a_key_file(tmp_path: Path) -> None:
    path = tmp_path / "w3c-key.json"
    path.write_text(json.dumps({"type": "Multikey", "publicKeyMultibase": W3C_PUBLIC, "secretKeyMultibase": W3C_SECRET}))
    assert load_signing_key(path).did == f"did:key:{W3C_PUBLIC}"


# --- Signing and verifying envelopes ----------------------------------------------------------


def test_round_trip(key: SigningKey, signed: dict[str, Any]) -> None:
    assert verify_envelope(signed) == key.did
    assert signed["schema"] == "silkcore_envelope-v1.1.0"
    proof = signed["proof"]
    assert proof["created"] == "2026-03-01T12:00:00Z" and proof["verificationMethod"] == key.verification_method
    assert set(proof) == {"type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "proofValue"}
    assert validate(signed) == [] and validate(signed, engine="python") == []


def test_signing_copies_and_hashes_the_payload(key: SigningKey, signed: dict[str, Any]) -> None:
    original = envelope()
    before = copy.deepcopy(original)
    fresh = sign_envelope(original, key, created=CREATED)
    assert original == before, "the envelope given is not changed"
    assert fresh == signed, "Ed25519 is deterministic: the same envelope, key and time give the same proof"
    assert signed["provenance"]["content_hash"] == content_hash(signed["payload"])
    fresh["payload"]["kind"] = "services"
    assert signed["payload"]["kind"] == "goods", "the result shares nothing with another result"


def test_a_new_signature_replaces_the_old_one(key: SigningKey, signed: dict[str, Any]) -> None:
    other = new_signing_key()
    resigned = sign_envelope(signed, other, created=CREATED)
    assert verify_envelope(resigned) == other.did
    assert {k: v for k, v in resigned.items() if k != "proof"} == {k: v for k, v in signed.items() if k != "proof"}


def test_a_signed_envelope_survives_load_and_dump(key: SigningKey, signed: dict[str, Any]) -> None:
    entity = silkcore.load_document(json.dumps(signed).encode())
    assert isinstance(entity, silkcore.Envelope) and entity.proof == signed["proof"]
    written = json.loads(silkcore.dump_document(entity))
    assert written == signed and verify_envelope(written) == key.did


def test_an_export_adding_the_content_hash_changes_nothing_signed(key: SigningKey) -> None:
    unredacted = envelope()
    del unredacted["sharing"]["redacted_fields"]
    mine = sign_envelope(unredacted, key, created=CREATED)
    shared = silkcore.prepare_for(silkcore.load_document(json.dumps(mine).encode()), "network", now=NOW)
    out = json.loads(silkcore.dump_document(shared))
    assert out["provenance"]["content_hash"] == mine["provenance"]["content_hash"]
    assert verify_envelope(out) == key.did


def test_a_redacted_payload_no_longer_verifies(key: SigningKey, signed: dict[str, Any]) -> None:
    entity = silkcore.load_document(json.dumps(signed).encode())
    redacted = json.loads(silkcore.dump_document(silkcore.prepare_for(entity, "network", now=NOW)))
    assert "amount" not in redacted["payload"]
    with pytest.raises(DataError) as error:
        verify_envelope(redacted)  # whether the proof was removed or left behind, it vouches for nothing here
    assert pointers(error)[0] in ("/proof", "/proof/proofValue")


def test_an_unsigned_v1_0_0_envelope_still_loads_and_upgrades() -> None:
    old = envelope()
    assert old["schema"] == "silkcore_envelope-v1.0.0" and validate(old) == []
    entity = silkcore.load_document(json.dumps(old).encode())
    assert isinstance(entity, silkcore.Envelope) and entity.proof is None
    assert "proof" not in json.loads(silkcore.dump_document(entity))
    assert silkcore.upgrade(old)["schema"] == "silkcore_envelope-v1.1.0" and validate(silkcore.upgrade(old)) == []


def test_a_v1_0_0_envelope_cannot_carry_a_proof(signed: dict[str, Any]) -> None:
    assert [i.pointer for i in validate({**signed, "schema": "silkcore_envelope-v1.0.0"})] == ["/proof"]


# --- Tampering: one byte anywhere breaks the signature ----------------------------------------


def tampered(signed: dict[str, Any], where: str) -> dict[str, Any]:
    document = copy.deepcopy(signed)
    if where == "payload":
        document["payload"]["amount"]["amount"] = "131000.01"
    elif where == "publisher":
        document["publisher"]["id"] = "https://federation.example.org/"
    elif where == "proof-created":
        document["proof"]["created"] = "2026-03-01T12:00:01Z"
    elif where == "proof-value":
        value = document["proof"]["proofValue"]
        document["proof"]["proofValue"] = value[:-1] + ("2" if value[-1] != "2" else "3")
    elif where == "swapped-key":
        document["proof"]["verificationMethod"] = new_signing_key().verification_method
    return document


TAMPERINGS = ["payload", "publisher", "proof-created", "proof-value", "swapped-key"]


@pytest.mark.parametrize("where", TAMPERINGS)
def test_tampering_fails_at_the_proof_value(signed: dict[str, Any], where: str) -> None:
    with pytest.raises(DataError) as error:
        verify_envelope(tampered(signed, where))
    assert pointers(error) == ["/proof/proofValue"]
    assert "does not verify" in error.value.errors[0].message


# What the strict reader lets through: no NUL, no lone surrogate; integers JSON numbers carry exactly.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_any_json_payload_signs_and_any_change_is_seen(extra: Any) -> None:
    key = SigningKey.from_secret_multibase(W3C_SECRET)  # a fixed key: hypothesis examples stay cheap
    document = envelope("envelope-private-organisation.json")
    document["payload"]["x_extra"] = extra  # verification does not look at the payload's schema
    signed = sign_envelope(document, key, created=CREATED)
    assert verify_envelope(signed) == key.did
    signed["payload"]["x_extra"] = [extra]
    with pytest.raises(DataError):
        verify_envelope(signed)


# --- Refusals, each at its pointer --------------------------------------------------------------


def test_an_envelope_without_proof(signed: dict[str, Any]) -> None:
    with pytest.raises(DataError) as error:
        verify_envelope({k: v for k, v in signed.items() if k != "proof"})
    assert pointers(error) == ["/proof"] and "not signed" in error.value.errors[0].message


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"verificationMethod": "https://federation.example.coop/keys/1"}, "/proof/verificationMethod"),
        ({"verificationMethod": f"did:key:{P256}#{P256}"}, "/proof/verificationMethod"),
        ({"verificationMethod": f"did:key:{W3C_PUBLIC}#key-1"}, "/proof/verificationMethod"),
        ({"verificationMethod": "did:key:z6Mk0OIl#z6Mk0OIl"}, "/proof/verificationMethod"),
        ({"cryptosuite": "eddsa-rdfc-2022"}, "/proof/cryptosuite"),
        ({"type": "Ed25519Signature2020"}, "/proof/type"),
        ({"proofPurpose": "authentication"}, "/proof/proofPurpose"),
        ({"proofValue": "u3q2-not-base58"}, "/proof/proofValue"),
        ({"proofValue": "z0OIl"}, "/proof/proofValue"),
        ({"proofValue": "z" + b58encode(b"\x01" * 63)}, "/proof/proofValue"),
        # far too long to be a signature or a key: refused before any (quadratic) base58 decoding
        ({"proofValue": "z" + "2" * 1_000_000}, "/proof/proofValue"),
        ({"verificationMethod": f"did:key:z6Mk{'a' * 1_000_000}#z6Mk{'a' * 1_000_000}"}, "/proof/verificationMethod"),
        ({"created": "yesterday"}, "/proof/created"),
        ({"expires": "2026-05-01T00:00:00Z"}, "/proof/expires"),
        ({"@context": ["https://www.w3.org/ns/credentials/v2"]}, "/proof/@context"),
    ],
)  # fmt: skip
def test_an_unusable_proof_is_located(signed: dict[str, Any], change: dict[str, str], pointer: str) -> None:
    document = copy.deepcopy(signed)
    document["proof"].update(change)
    with pytest.raises(DataError) as error:
        verify_envelope(document, now=NOW)
    assert pointers(error) == [pointer]


def test_an_unexpired_proof_verifies(key: SigningKey) -> None:
    document = sign_envelope(envelope(), key, created=CREATED)
    options = {k: v for k, v in document["proof"].items() if k != "proofValue"}
    lasting = add_proof(document, key, {**options, "expires": "2026-07-01T00:00:00Z"})
    assert validate(lasting) == [] and verify_envelope(lasting, now=NOW) == key.did
    with pytest.raises(DataError) as error:
        verify_envelope(lasting, now=dt.datetime(2026, 7, 1, tzinfo=dt.UTC))
    assert pointers(error) == ["/proof/expires"]


@pytest.mark.parametrize("proof", [["a", "proof", "set"], "z123", 5])
def test_a_proof_that_is_not_one_object(signed: dict[str, Any], proof: object) -> None:
    with pytest.raises(DataError) as error:
        verify_envelope({**signed, "proof": proof})
    assert pointers(error) == ["/proof"]


def test_what_cannot_be_signed_is_a_located_error(key: SigningKey) -> None:
    with pytest.raises(DataError) as error:
        sign_envelope(json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text()), key)
    assert pointers(error) == ["/schema"]
    document = envelope()
    document["provenance"]["content_hash"] = "sha256:" + "0" * 64
    with pytest.raises(DataError) as error:
        sign_envelope(document, key)
    assert pointers(error) == ["/provenance/content_hash"]
    document = envelope()
    document["payload"]["x_big"] = 2**60  # JCS writes numbers as IEEE doubles: this one has no exact form
    with pytest.raises(DataError) as error:
        sign_envelope(document, key)
    assert "JCS" in error.value.errors[0].message
    with pytest.raises(DataError) as error:
        sign_envelope({**envelope(), "payload": {"x": float("nan")}}, key)
    assert pointers(error) == ["/payload/x"]
    with pytest.raises(DataError) as error:
        sign_envelope(envelope(), key, created=dt.datetime(2026, 3, 1))  # naive: the point of the test
    assert pointers(error) == ["/proof/created"]
    with pytest.raises(DataError):
        verify_envelope(["not", "an", "envelope"])  # type: ignore[arg-type]


def test_both_validators_agree_on_proofs(signed: dict[str, Any]) -> None:
    cases: list[tuple[str, object]] = [
        ("verificationMethod", "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),  # no fragment
        ("verificationMethod", "did:web:federation.example.coop#key-1"),
        ("proofValue", "zl0OI"),
        ("cryptosuite", "ecdsa-jcs-2019"),
        ("created", "2026-02-30T00:00:00Z"),
        ("@context", ["https://www.w3.org/ns/credentials/v2"]),
        ("challenge", "abc"),
    ]
    for name, value in cases:
        document = copy.deepcopy(signed)
        document["proof"][name] = value
        fast, slow = validate(document), validate(document, engine="python")
        assert [i.pointer for i in fast] == [i.pointer for i in slow] == [f"/proof/{name}"], (name, fast, slow)


# --- Key files ----------------------------------------------------------------------------------


def test_a_key_file_round_trip_owner_only(tmp_path: Path) -> None:
    key = new_signing_key()
    path = save_signing_key(key, tmp_path / "key.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["controller"] == key.did
    assert load_signing_key(path).did == key.did
    assert [p.name for p in tmp_path.iterdir()] == ["key.json"], "no temporary file is left behind"


def test_a_key_file_is_never_overwritten_unless_forced(tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    first, second = new_signing_key(), new_signing_key()
    save_signing_key(first, path)
    with pytest.raises(DataError) as error:
        save_signing_key(second, path)
    assert error.value.errors[0].source == str(path) and "--force" in error.value.errors[0].message
    assert load_signing_key(path).did == first.did
    os.chmod(path, 0o644)
    save_signing_key(second, path, force=True)
    assert load_signing_key(path).did == second.did and stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(DataError):
        save_signing_key(first, tmp_path / "missing" / "key.json")


def key_file(**members: str) -> str:
    return json.dumps(members)


@pytest.mark.parametrize(
    ("content", "pointer"),
    [
        ("{not json", ""),
        ('["Multikey"]', ""),
        (key_file(type="Multikey", publicKeyMultibase=W3C_PUBLIC), "/secretKeyMultibase"),
        (key_file(type="Multikey", secretKeyMultibase=W3C_PUBLIC), "/secretKeyMultibase"),
        (key_file(type="Multikey", secretKeyMultibase="z0OIl"), "/secretKeyMultibase"),
        (key_file(type="JsonWebKey", secretKeyMultibase=W3C_SECRET), "/type"),
        (key_file(type="Multikey", secretKeyMultibase=W3C_SECRET, controller="did:key:z6Mkother"), "/controller"),
        (key_file(type="Multikey", secretKeyMultibase=W3C_SECRET, password="x"), "/password"),
    ],
)
def test_a_bad_key_file_is_located(tmp_path: Path, content: str, pointer: str) -> None:
    path = tmp_path / "key.json"
    path.write_text(content)
    with pytest.raises(DataError) as error:
        load_signing_key(path)
    assert pointers(error)[0] == pointer and error.value.errors[0].source == str(path)


def test_a_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as error:
        load_signing_key(tmp_path / "nowhere.json")
    assert "cannot read the key file" in error.value.errors[0].message


def test_a_key_shows_its_identity_never_its_secret() -> None:
    key = SigningKey.from_secret_multibase(W3C_SECRET)
    assert W3C_PUBLIC in repr(key) and W3C_SECRET not in repr(key)
    with pytest.raises(TypeError):
        pickle.dumps(key)


# --- The independent JavaScript verifier (Node's crypto + the canonicalize package) ------------


@pytest.fixture(scope="module")
def js_verifier(node_tools: Path) -> Path:
    """tests/js with ``canonicalize`` installed (a checkout whose node_modules predates it gets it)."""
    if not (node_tools / "node_modules" / "canonicalize").exists():
        result = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=node_tools, capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            pytest.skip(f"npm could not install canonicalize: {result.stderr[-500:]}")
    return node_tools


def run_js(js_verifier: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    result = subprocess.run(
        ["node", "verify-proof.mjs", *map(str, files)], cwd=js_verifier, capture_output=True, text=True, timeout=120
    )
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == (0 if all(line["verified"] for line in lines) else 1)
    return {Path(line["file"]).stem: line for line in lines}


def test_the_javascript_peer_agrees(js_verifier: Path, key: SigningKey, signed: dict[str, Any], tmp_path: Path) -> None:
    unusual = envelope("envelope-private-organisation.json")
    # Where two JCS implementations could differ: numbers, escapes, non-ASCII and key order by UTF-16.
    unusual["payload"]["x_jcs"] = {
        "numbers": [0.1, 1e21, 1e-7, -0.0, 333333333.33333329, 2**53 - 1, 5e-324],
        "text": 'coopératives \u2028 \U0001f91d "quoted" \\ \t \x7f',
        "keys": {"\u20ac": 1, "\r": 2, "\U0001f600": 3, "\ufb33": 4, "a": 5},
    }
    cases = {
        "signed": signed,
        "unusual": sign_envelope(unusual, key, created=CREATED),
        "w3c": w3c_signed_credential(),
        **{f"tampered-{where}": tampered(signed, where) for where in TAMPERINGS},
        "unsigned": envelope(),
    }
    files = []
    for name, document in cases.items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    verdicts = run_js(js_verifier, files)
    assert verdicts["signed"] == {"file": str(tmp_path / "signed.json"), "verified": True, "signer": key.did}
    assert verdicts["unusual"]["verified"], verdicts["unusual"]
    assert verdicts["w3c"]["signer"] == f"did:key:{W3C_PUBLIC}", verdicts["w3c"]
    for where in TAMPERINGS:
        assert verdicts[f"tampered-{where}"]["verified"] is False, where
    assert verdicts["unsigned"]["verified"] is False and "no proof" in verdicts["unsigned"]["error"]


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(JSON_VALUES, min_size=20, max_size=20))
def test_the_javascript_peer_verifies_any_payload(js_verifier: Path, extras: list[Any]) -> None:
    """Two JCS implementations agree on any JSON a silkcore document can hold."""
    key = SigningKey.from_secret_multibase(W3C_SECRET)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, extra in enumerate(extras):
            document = envelope("envelope-private-organisation.json")
            document["payload"]["x_extra"] = extra
            path = Path(folder) / f"{number}.json"
            path.write_text(json.dumps(sign_envelope(document, key, created=CREATED), ensure_ascii=False), encoding="utf-8")
            files.append(path)
        verdicts = run_js(js_verifier, files)
    assert all(verdict["verified"] for verdict in verdicts.values()), [v for v in verdicts.values() if not v["verified"]]


def test_ajv_accepts_the_signed_envelope(node_tools: Path, signed: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(signed))
    result = subprocess.run(
        ["node", "ajv-validate.mjs", str(SCHEMAS), str(path)], cwd=node_tools, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout
