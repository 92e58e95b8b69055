"""``silk serve``: an exchange node over a history store."""

from __future__ import annotations

from pathlib import Path

import click

from .._errors import SilkError
from .common import ExitCode, catalog_of, fail, framework_option, store_option

__all__ = ["COMMANDS"]


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (keep loopback unless behind a TLS proxy)."
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port, printed).",
)
@store_option()
@click.option(
    "--peers",
    "peers_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='The peers file: {"peers": [{"id": URL, "token": SECRET}]}. Without it every caller is anonymous.',
)
@click.option("--max-body", default=1_048_576, show_default=True, type=click.IntRange(1), help="Largest request body, in bytes.")
@framework_option("Also serve and assess this framework, an id or a file (repeatable).", multiple=True)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    store_path: Path | None,
    peers_path: Path | None,
    max_body: int,
    framework_refs: tuple[str, ...],
) -> None:
    """Run an exchange node over the store: peers publish, receive, validate and assess over
    HTTP, and each caller sees only what the records' sharing levels allow it (see /openapi.json)."""
    from .._store import default_store_path
    from ..node import serve as serve_node

    try:
        serve_node(
            host,
            port,
            store_path or default_store_path(),
            peers_path,
            catalog=catalog_of(ctx),
            max_body=max_body,
            frameworks=framework_refs,
        )
    except SilkError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", ExitCode.USAGE)


COMMANDS: tuple[click.Command, ...] = (serve,)
