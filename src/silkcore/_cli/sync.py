"""``silk sync``: pull into our store what another node lets us see."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._errors import SilkError
from .common import ExitCode, announce_store, catalog_of, default_store, fail, print_json, store_option

if TYPE_CHECKING:
    from .._store import StoreURL
    from ..node._sync import SyncReport

__all__ = ["COMMANDS"]


@click.command("sync")
@click.argument("node_url")
@click.option(
    "--token",
    envvar="SILKCORE_SYNC_TOKEN",
    required=True,
    help="Our bearer token at that node (or the SILKCORE_SYNC_TOKEN variable, which keeps it out of the process list).",
)
@store_option("The store to pull into (a file, or a postgresql:// URL); default: the CLI's store.")
@click.option(
    "--peers",
    "peers_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Our peers file: the signing keys it lists for publishers let their relayed records count as proven.",
)
@click.option("--source-id", help="The node's id as records name it (received_from); default: NODE_URL.")
@click.option("--json", "as_json", is_flag=True, help="Print what was pulled as JSON.")
@click.pass_context
def sync(
    ctx: click.Context,
    node_url: str,
    token: str,
    store_path: Path | StoreURL | None,
    peers_path: Path | None,
    source_id: str | None,
    as_json: bool,
) -> None:
    """Pull what the node at NODE_URL shows us (its feed) into the store: each record is
    checked (schema, content hash, proof) and kept with its sharing terms and received_from;
    withdrawals are applied; the cursor is saved, so running it again pulls only what is new.
    Exit 3 when some records were refused (each is listed)."""
    from .._store import open_store
    from ..node._auth import load_peers
    from ..node._sync import checked_node_url, http_fetcher
    from ..node._sync import sync as pull

    catalog = catalog_of(ctx)
    try:
        peers = load_peers(peers_path)
        checked_node_url(node_url)  # the URL and the token are refused before the store is touched
        fetch = http_fetcher(token)
        if store_path is None:
            store_path = default_store()
            announce_store(store_path)
        with open_store(store_path) as store:
            report = pull(node_url, store, fetch, catalog.schemas, source=source_id, keys_of=peers.keys_of)
    except SilkError as exc:
        fail(exc)
    if as_json:
        print_json(report.document())
    else:
        _summary(report)
    if report.refused:  # what was sound is stored; the rest is listed: a partial failure
        raise SystemExit(ExitCode.PARTIAL_FAILURE)


def _summary(report: SyncReport) -> None:
    click.echo(
        f"synced from {report.source}: {report.stored} new, {report.versions} new versions, {report.unchanged} unchanged, "
        f"{report.withdrawn} withdrawn, {len(report.refused)} refused"
    )
    if report.unproven:
        click.echo(f"  {report.unproven} records name a publisher that is neither that node nor proven by a signature", err=True)
    for record_id, reason in report.refused:
        click.echo(f"  refused {record_id}: {reason}", err=True)


COMMANDS: tuple[click.Command, ...] = (sync,)
