"""``silk keys``, ``silk sign`` and ``silk verify``: signing keys and signed envelopes.

A key is an Ed25519 key whose identity is a ``did:key`` (see :mod:`silkcore._keys`); a
signature is a W3C Data Integrity proof, cryptosuite ``eddsa-jcs-2022`` (see
:mod:`silkcore._proof`). Nothing here goes online: a did:key carries its public key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._documents import check, is_yaml_input, parse_bytes, read_source
from .._errors import DataError, Issue, SchemaValidationError, SilkError, terminal_text
from .._jsonio import dumps
from .._keys import SigningKey, load_signing_key, new_signing_key, save_signing_key
from .._locate import locate_issues
from .._model import Envelope
from .._proof import sign_envelope, verify_envelope
from .common import ExitCode, catalog_of, fail, print_json

__all__ = ["COMMANDS"]

_PATH = click.Path(dir_okay=False, path_type=Path)


def _identity(key: SigningKey, key_file: Path, as_json: bool) -> None:
    if as_json:
        print_json({"key_file": str(key_file), "did": key.did, "verification_method": key.verification_method})
    else:
        click.echo(key.did)
        click.echo(f"verification method: {key.verification_method}")


@click.group("keys")
def keys() -> None:
    """Signing keys: an Ed25519 key whose identity is a did:key."""


@keys.command("new")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The key file to write (JSON, readable by you only)."
)
@click.option("--force", is_flag=True, help="Replace an existing file (the key it held is lost).")
@click.option("--json", "as_json", is_flag=True, help="Print the identity as JSON.")
def keys_new(output: Path, force: bool, as_json: bool) -> None:
    """Make a new signing key; print its did:key and verification method."""
    if str(output) == "-":
        fail("a private key is written to a file only: give -o KEY.json", ExitCode.USAGE)
    key = new_signing_key()
    try:
        save_signing_key(key, output, force=force)
    except SilkError as exc:
        fail(exc)
    _identity(key, output, as_json)
    click.echo(f"key written to {output} (readable by you only): keep it private", err=True)


@keys.command("show")
@click.argument("key_file", type=_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print the identity as JSON.")
def keys_show(key_file: Path, as_json: bool) -> None:
    """Print the did:key and verification method of a key file."""
    try:
        key = load_signing_key(key_file)
    except SilkError as exc:
        fail(exc)
    _identity(key, key_file, as_json)


def _read_envelope(ctx: click.Context, source: Path) -> tuple[dict[str, Any], bytes, str]:
    """The envelope at ``source``, checked as ``silk validate`` checks it (the one verdict);
    a :class:`SilkError` with located issues when it is not a sound envelope."""
    catalog = catalog_of(ctx)
    data, name = read_source(source)
    document = parse_bytes(data, name)
    entity, issues = check(document, registry=catalog.schemas, frameworks=catalog.framework_resolver())
    if issues:
        raise SchemaValidationError(locate_issues(issues, data, name, is_yaml=is_yaml_input(data, name)))
    if not isinstance(entity, Envelope):
        raise DataError([Issue("/schema", f"expected an envelope ({Envelope.SCHEMA} or an older version)", name)])
    return document, data, name


@click.command("sign")
@click.option("--key", "key_file", type=_PATH, required=True, help="The key file to sign with (see `silk keys new`).")
@click.argument("envelope", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, allow_dash=True), default="-",
              show_default=True, help="Where to write the signed envelope.")  # fmt: skip
@click.pass_context
def sign(ctx: click.Context, key_file: Path, envelope: Path, output: Path) -> None:
    """Sign an envelope (W3C Data Integrity proof, eddsa-jcs-2022): the envelope is checked,
    upgraded to the current version, given its content hash, and signed with the key."""
    from .._outputs import check_output, write_output

    try:
        check_output(output, inputs=[envelope, key_file])
        key = load_signing_key(key_file)
        document, data, name = _read_envelope(ctx, envelope)
    except SilkError as exc:
        fail(exc)
    try:
        signed = sign_envelope(document, key)
    except DataError as exc:  # a content hash that does not match, a number JCS cannot write
        fail(DataError(locate_issues(exc.errors, data, name)))
    try:
        write_output(output, dumps(signed) + "\n")
    except SilkError as exc:
        fail(exc)
    publisher = signed["publisher"]["id"]
    click.echo(f"signed by {key.did}", err=True)
    if publisher != key.did:
        click.echo(
            f"note: the publisher is {terminal_text(publisher)}, not this key's did:key; a receiver takes the signature as the "
            "publisher's only if it knows this key for that publisher",
            err=True,
        )


@click.command("verify")
@click.argument("envelope", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
@click.pass_context
def verify(ctx: click.Context, envelope: Path, as_json: bool) -> None:
    """Check an envelope's signature: print who signed it, and whether the signer is the
    publisher (publisher.id is the signer's did:key). Exit 0 when the proof verifies, 1 when
    it does not (or the envelope is not sound)."""
    data, name = b"", str(envelope)
    try:
        document, data, name = _read_envelope(ctx, envelope)
        signer = verify_envelope(document)
    except SilkError as exc:
        found: tuple[Issue, ...] = getattr(exc, "errors", ())
        issues = locate_issues(found, data, name) if data else [issue.located(name) for issue in found]
        if not as_json:
            fail(DataError(issues) if issues else exc)
        rows = [{"pointer": issue.pointer, "line": issue.line, "message": issue.message} for issue in issues]
        rows = rows or [{"pointer": "", "line": None, "message": str(exc)}]
        print_json({"file": name, "verified": False, "issues": rows})
        raise SystemExit(ExitCode.INVALID_INPUT) from None
    publisher = document["publisher"]["id"]
    verdict = {
        "file": name,
        "verified": True,
        "signer": signer,
        "verification_method": document["proof"]["verificationMethod"],
        "publisher": publisher,
        "publisher_bound": publisher == signer,
    }
    if as_json:
        print_json(verdict)
        return
    click.echo(f"verified: signed by {signer}")
    if publisher == signer:
        click.echo("publisher: bound (publisher.id is the signer's did:key)")
    else:
        click.echo(f"publisher: not bound ({terminal_text(publisher)} is not the signer's did:key)")


COMMANDS: tuple[click.Command, ...] = (keys, sign, verify)
