"""``silk serve``: an exchange node over a history store, with abuse limits, and the web
questionnaire under ``/ui/`` (``--no-ui`` leaves it out).

Every limit of :class:`~silkcore.node.NodeLimits` is an option; an option not given keeps
the field's default, which the help shows. So are the questionnaire's own per-address
limits on starting and submitting (``--ui-*``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._errors import SilkError
from .._extras import require_extra
from .common import ExitCode, announce_store, catalog_of, default_store, fail, framework_option, store_option

if TYPE_CHECKING:
    from .._store import StoreURL
    from ..node import NodeLimits

__all__ = ["COMMANDS", "LIMIT_OPTIONS", "UI_OPTIONS"]

_F = TypeVar("_F", bound=Callable[..., Any])


class _Rate(click.FloatRange):
    """A rate of 0 or more, and finite: ``nan`` and ``inf`` (which ``float()`` reads) are no
    rate, and are refused as the usage error they are."""

    def __init__(self) -> None:
        super().__init__(0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        rate = super().convert(value, param, ctx)
        if not math.isfinite(rate):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return rate


_RATE = _Rate()

#: option name, NodeLimits field, its default as the help shows it, click type, metavar, help.
#: The defaults are written here so that ``silk`` need not import the node (uvicorn, Starlette)
#: to build its commands; a test checks them against :class:`~silkcore.node.NodeLimits`.
LIMIT_OPTIONS: tuple[tuple[str, str, str, click.ParamType[Any], str, str], ...] = (
    ("--header-timeout", "header_timeout", "10", click.FloatRange(0, min_open=True), "SECONDS",
     "Close a connection whose request headers have not all arrived this long after it opened or after the previous "
     "answer (a 408 first if part of a request came)."),
    ("--body-timeout", "body_timeout", "30", click.FloatRange(0, min_open=True), "SECONDS",
     "Answer 408 and close when a request body has not all arrived this long after its headers."),
    ("--max-connections", "max_connections", "1024", click.IntRange(1), "N",
     "Close further connections at once, unread. Lowered at start-up if the open-file limit (raised towards its hard "
     "limit) cannot fit it; the log says the cap in force."),
    ("--max-validate-body", "max_validate_body", "262144", click.IntRange(1), "BYTES",
     "Largest POST /validate body (413 beyond it; never more than --max-body)."),
    ("--max-assess-body", "max_assess_body", "524288", click.IntRange(1), "BYTES",
     "Largest POST /assess/{id} body (413 beyond it; never more than --max-body)."),
    ("--rate-limit", "peer_rate", "50", _RATE, "PEER_PER_SECOND",
     "Requests per second each peer (by bearer token) may make on average; 429 with Retry-After beyond it; 0: no limit."),
    ("--rate-burst", "peer_burst", "200", click.IntRange(1), "N",
     "Requests a peer may make at once before --rate-limit applies."),
    ("--anonymous-rate-limit", "anonymous_rate", "10", _RATE, "PER_SECOND",
     "Requests per second each anonymous client address (IPv6: each /64) may make on average; 429 beyond it; "
     "0: no limit."),
    ("--anonymous-burst", "anonymous_burst", "50", click.IntRange(1), "N",
     "Requests an anonymous address may make at once before --anonymous-rate-limit applies."),
    ("--cpu-budget", "cpu_rate", "0.5", _RATE, "SECONDS_PER_SECOND",
     "Seconds of POST /validate, /assess and /documents work each caller may use per second on average; 429 beyond it; "
     "0: no budget."),
    ("--cpu-burst", "cpu_burst", "10", click.FloatRange(0, min_open=True), "SECONDS",
     "Seconds of validation and assessment work a caller may use at once before --cpu-budget applies."),
    ("--cpu-slots", "cpu_slots", "the number of CPUs", click.IntRange(1), "N",
     "Validations, assessments and publications running at once, for all callers."),
    ("--cpu-slot-wait", "cpu_slot_wait", "1", click.FloatRange(0, min_open=True), "SECONDS",
     "How long a validation or assessment waits for a free slot before the answer is 503 with Retry-After."),
    ("--max-tracked-callers", "max_tracked_callers", "10000", click.IntRange(1), "N",
     "Anonymous addresses whose rate limits are remembered; beyond it the least recently seen is forgotten."),
)  # fmt: skip


def limit_options(command: _F) -> _F:
    """The ``NodeLimits`` options, each defaulting to None (the field's own default)."""
    for name, field, default, kind, metavar, help_text in reversed(LIMIT_OPTIONS):
        command = click.option(name, field, type=kind, metavar=metavar, help=f"{help_text} [default: {default}]")(command)
    return command


#: option name, keyword of :func:`silkcore.web.create_app`, its default as the help shows it,
#: click type, metavar, help (the defaults are create_app's; a test checks them).
UI_OPTIONS: tuple[tuple[str, str, str, click.ParamType[Any], str, str], ...] = (
    ("--ui-start-rate", "start_rate", "0.2", _RATE, "PER_SECOND",
     "Questionnaires (alone, as a team, or joining one) each client address may start per second on average; "
     "429 beyond it; 0: no limit."),
    ("--ui-start-burst", "start_burst", "20", click.IntRange(1), "N",
     "Questionnaires an address may start at once before --ui-start-rate applies."),
    ("--ui-submit-rate", "submit_rate", "2", _RATE, "PER_SECOND",
     "Pages (answers, finishing, closing) each client address may submit per second on average; 429 beyond it; "
     "0: no limit."),
    ("--ui-submit-burst", "submit_burst", "120", click.IntRange(1), "N",
     "Pages an address may submit at once before --ui-submit-rate applies."),
)  # fmt: skip


def ui_options(command: _F) -> _F:
    """The questionnaire's options, each defaulting to None (create_app's own default)."""
    for name, field, default, kind, metavar, help_text in reversed(UI_OPTIONS):
        command = click.option(name, field, type=kind, metavar=metavar, help=f"{help_text} [default: {default}]")(command)
    return command


def limits_from(options: dict[str, Any]) -> NodeLimits:
    """The limits the options give, every other field at its default."""
    from ..node import NodeLimits

    return NodeLimits(**{k: v for k, v in options.items() if v is not None})


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
@click.option(
    "--max-body",
    default=1_048_576,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body, in bytes (POST /documents; 413 beyond it).",
)
@limit_options
@click.option(
    "--forwarded-allow-ips",
    metavar="ADDRESSES",
    help="Comma-separated addresses of reverse proxies (or '*') whose X-Forwarded-For names the client: the address "
    "anonymous rate limits apply to. Without it, every client behind a proxy shares the proxy's address.",
)
@framework_option("Also serve and assess this framework, an id or a file (repeatable).", multiple=True)
@click.option("--no-ui", "no_ui", is_flag=True, help="Do not mount the web questionnaire under /ui/.")
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log one line per request (uvicorn's access log: client address, method, path, status). Off by default: "
    "writing it costs about a sixth of a cheap request's time; the node's own log (records stored and withdrawn, "
    "limits, errors) is written either way.",
)
@click.option(
    "--ui-allow-uploads",
    is_flag=True,
    help="Let respondents answer a framework file of their own in the web questionnaire (checked as silk validate does).",
)
@ui_options
@click.pass_context
def serve(
    ctx: click.Context,
    /,
    host: str,
    port: int,
    store_path: Path | StoreURL | None,
    peers_path: Path | None,
    max_body: int,
    forwarded_allow_ips: str | None,
    framework_refs: tuple[str, ...],
    no_ui: bool,
    access_log: bool,
    ui_allow_uploads: bool,
    **limit_values: Any,
) -> None:
    """Run an exchange node over the store: peers publish, receive, validate and assess over
    HTTP, and each caller sees only what the records' sharing levels allow it (see /openapi.json).
    The web questionnaire is served under /ui/ (unless --no-ui).

    Abuse limits (timeouts, a connection cap, body sizes, rate limits, a CPU budget) have safe
    defaults; each is an option below."""
    try:
        require_extra("serve", "silk serve")
    except SilkError as exc:
        fail(exc)
    from ..node import serve as serve_node

    ui_fields = {field for _, field, *_ in UI_OPTIONS}
    web_options: dict[str, Any] = {k: v for k, v in limit_values.items() if k in ui_fields and v is not None}
    if ui_allow_uploads:
        web_options["allow_uploads"] = True
    try:
        limits = limits_from({**{k: v for k, v in limit_values.items() if k not in ui_fields}, "max_body": max_body})
    except (TypeError, ValueError) as exc:
        fail(str(exc), ExitCode.USAGE)
    if store_path is None:
        store_path = default_store()
        announce_store(store_path)
    try:
        serve_node(
            host,
            port,
            store_path,  # passed on as given: the store decides what it accepts
            peers_path,
            catalog=catalog_of(ctx),
            frameworks=framework_refs,
            limits=limits,
            forwarded_allow_ips=forwarded_allow_ips,
            access_log=access_log,
            ui=not no_ui,
            ui_options=web_options,
        )
    except SilkError as exc:
        fail(exc)
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", ExitCode.USAGE)


COMMANDS: tuple[click.Command, ...] = (serve,)
