"""Shared fixtures: no network in any test, hypothesis profiles, paths and a CLI runner."""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from ._postgres import PostgresServer, PostgresUnavailable, find_bin_dir

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMAS = ROOT / "schemas"
#: Example files that are configuration, not silkcore documents (a node's peers file).
NOT_DOCUMENTS = {EXAMPLES / "node" / "peers.json"}


def example_files(suffix: str) -> list[Path]:
    """The example documents with this suffix (``.json``, ``.yaml``...): every example file
    but the third-party plugin's own and configuration files."""
    return sorted(p for p in EXAMPLES.rglob(f"*{suffix}") if "plugin-" not in str(p) and p not in NOT_DOCUMENTS)


GUARD = Path(__file__).resolve().parent / "_guard"
VENDOR = ROOT.parent / "shared" / "vendor"

# Tests never touch the user's own history store: commands without --store use this one.
os.environ.setdefault("SILKCORE_STORE", str(Path(tempfile.mkdtemp(prefix="silkcore-test-store-")) / "history.sqlite"))

settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("SILKCORE_HYPOTHESIS_PROFILE", "default"))


class NetworkAttempt(AssertionError):
    """Raised when code under test tries to open a connection."""


_ORIGINAL_CONNECT = socket.socket.connect


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch, no_network: None) -> None:
    """Allow connections to this machine (a local cluster, a test server) and nothing else."""

    def connect(self: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost") and not (isinstance(host, str) and host.startswith("/")):
            raise NetworkAttempt(f"network access attempted: {address!r:.200}")
        _ORIGINAL_CONNECT(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", _ORIGINAL_CREATE)
    monkeypatch.setattr(socket, "getaddrinfo", _ORIGINAL_GETADDRINFO)


_ORIGINAL_CREATE = socket.create_connection
_ORIGINAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with outbound connections forbidden: silkcore must never need one."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkAttempt(f"network access attempted: {args!r:.200}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def run_silk(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, input_: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``silk`` command in a subprocess whose network is cut by an audit hook."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), full_env.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "silkcore", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        input=input_.decode() if input_ is not None else None,
    )


@pytest.fixture
def silk() -> Iterator[object]:
    """The ``run_silk`` helper as a fixture."""
    yield run_silk


JS_DIR = Path(__file__).resolve().parent / "js"


@pytest.fixture(scope="session", autouse=True)
def no_home_writes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Caches and data of every test (matplotlib's font cache, XDG caches and data) go under
    pytest's base temporary folder, never into the user's home: set before the first test
    runs (matplotlib reads ``MPLCONFIGDIR`` once, when silkcore first draws a chart), and
    inherited by every ``silk`` subprocess."""
    base = tmp_path_factory.mktemp("home-writes")
    saved = {name: os.environ.get(name) for name in (*_REDIRECTED, *_SWITCHED_OFF)}
    for name in _REDIRECTED:
        os.environ[name] = str(base / name.lower())
    os.environ.update(_SWITCHED_OFF)
    try:
        yield base
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


#: The variables :func:`no_home_writes` points into the test session's temporary folder:
#: matplotlib's cache, XDG caches, data, state and configuration (Chromium keeps its crash
#: reports under the last), npm's cache and logs (the JavaScript peers), and rustup's settings
#: (pip asks ``rustc --version`` for its User-Agent when the tests install a wheel).
_REDIRECTED = (
    "MPLCONFIGDIR",
    "XDG_CACHE_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CONFIG_HOME",
    "npm_config_cache",
    "RUSTUP_HOME",
)
#: And what it switches off: npm's check for a newer npm writes a stamp in the home.
_SWITCHED_OFF = {"npm_config_update_notifier": "false"}


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """tests/js with its npm packages installed (once); skipped where Node.js is absent."""
    import shutil

    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed on this machine")
    # Install when node_modules is absent or predates a package added to package.json since.
    wanted = json.loads((JS_DIR / "package.json").read_text(encoding="utf-8"))["dependencies"]
    missing = [name for name in wanted if not (JS_DIR / "node_modules" / name / "package.json").exists()]
    if missing or not (JS_DIR / "node_modules" / ".package-lock.json").exists():
        result = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=JS_DIR, capture_output=True, text=True, timeout=600
        )
        if result.returncode != 0:
            pytest.skip(f"npm could not install the JavaScript checkers: {result.stderr[-500:]}")
    return JS_DIR


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the whole run (tests/_postgres.py), removed at the end;
    skipped only where PostgreSQL is not installed (``make postgres`` installs it)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no initdb in PATH or /usr/lib/postgresql/*/bin; `make postgres` installs it)")
    try:
        server = PostgresServer(bin_dir).start()
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL cannot run here: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a new, empty database of its own for one test, dropped after it."""
    url = postgres_server.create_database()
    try:
        yield url
    finally:
        postgres_server.drop_database(url)


def start_silk_serve(
    argv: list[str], cwd: Path, env: dict[str, str], log: Path, *, tries: int = 1200
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``silk serve`` (``argv``, on port 0) with its output in ``log``; its process and
    the address it listens on, once the application has started."""
    with log.open("wb") as handle:
        process = subprocess.Popen(argv, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, env=env)
    for _ in range(tries):  # a hang guard, not a timing claim
        text = log.read_text(errors="replace")
        found = re.search(r"listening on http://(127\.0\.0\.1:\d+)", text)
        if found and "Application startup complete" in text:
            return process, found.group(1)
        if process.poll() is not None:
            raise AssertionError(f"{shlex.join(argv)} exited: {text}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"{shlex.join(argv)} did not start: {log.read_text(errors='replace')}")
