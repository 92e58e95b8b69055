"""A throwaway PostgreSQL server for the tests and the store benchmark.

``PostgresServer.start()`` runs ``initdb`` and ``pg_ctl`` into a fresh temporary directory,
listening on 127.0.0.1 on a free port (and on a unix socket in that directory), with trust
authentication for the one user ``silk``; ``stop()`` stops it and removes the directory.
PostgreSQL refuses to run as root, so when the tests run as root (CI does) both commands run
as the unprivileged user ``nobody`` (through ``runuser``, else ``setpriv``), the directory
handed to it; otherwise they run directly.

The binaries are found in ``PATH`` or in Debian's ``/usr/lib/postgresql/*/bin`` (newest
first); ``make postgres`` installs them on a fresh machine.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PostgresServer", "PostgresUnavailable", "benchmark_server", "find_bin_dir", "new_database"]

USER = "silk"
UNPRIVILEGED = "nobody"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be had on this machine (not installed, or no way to drop root)."""


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: from PATH, else the newest Debian one."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(os.path.realpath(initdb)).parent
    candidates = [p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if (p.parent / "pg_ctl").exists()]

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)

    return max(candidates, key=version) if candidates else None


def _free_port() -> int:
    # Binding (not connecting) is all this needs; the tests' network guard only stops connects.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _drop_root() -> list[str]:
    """The command prefix that runs a program as ``nobody``, when we are root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", UNPRIVILEGED, "--"]
    if shutil.which("setpriv"):
        entry = pwd.getpwnam(UNPRIVILEGED)
        return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]
    raise PostgresUnavailable("running as root, and neither runuser nor setpriv is there to start PostgreSQL as nobody")


class PostgresServer:
    """One PostgreSQL cluster in a temporary directory (see the module's docstring)."""

    def __init__(self, bin_dir: Path, *, fsync: bool = True) -> None:
        self.bin_dir = bin_dir
        self.fsync = fsync
        self.base: Path | None = None
        self.port = 0
        self._prefix: list[str] = []

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert self.base is not None
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "LC_", "LANG"))}
        env.update(LC_ALL="C", LANG="C")
        return subprocess.run(
            [*self._prefix, *args], cwd=self.base, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    def start(self) -> PostgresServer:
        """initdb, then pg_ctl start (retried on another port if the first is taken meanwhile)."""
        self._prefix = _drop_root()
        # Under /tmp when root: the unprivileged user must be able to reach the directory.
        self.base = Path(tempfile.mkdtemp(prefix="silkcore-pg-", dir="/tmp" if self._prefix else None))
        if self._prefix:
            entry = pwd.getpwnam(UNPRIVILEGED)
            os.chown(self.base, entry.pw_uid, entry.pw_gid)
        data = self.base / "data"
        done = self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8",
                         "--locale=C", "--no-sync")  # fmt: skip
        if done.returncode != 0:
            self.stop()
            raise RuntimeError(f"initdb failed: {done.stderr.strip()[-2000:]}")
        for _ in range(5):
            self.port = _free_port()
            options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} -c max_connections=300"
            if not self.fsync:
                options += " -c fsync=off -c full_page_writes=off"
            log = self.base / "server.log"
            done = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options,
                             "start")  # fmt: skip
            if done.returncode == 0:
                return self
            if "already in use" not in log.read_text(errors="replace"):
                break
        message = (self.base / "server.log").read_text(errors="replace")[-2000:] or done.stderr
        self.stop()
        raise RuntimeError(f"PostgreSQL did not start: {message.strip()}")

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        """A URL of one of the server's databases (trust authentication: any password does)."""
        secret = f":{password}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str, database: str = "postgres") -> list[tuple[object, ...]]:
        """Run statements in autocommit on one database; the rows of the last one."""
        import psycopg

        rows: list[tuple[object, ...]] = []
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            for statement in statements:
                cursor = conn.execute(statement)  # type: ignore[arg-type]
                rows = cursor.fetchall() if cursor.description else []
        return rows

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`create_database`, closing whatever still uses it."""
        name = url.rsplit("/", 1)[1]
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server (if it runs) and remove its directory."""
        if self.base is None:
            return
        if (self.base / "data" / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.base / "data"), "-m", "fast", "-w", "-t", "60", "stop")
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None


@contextmanager
def benchmark_server() -> Iterator[str]:
    """The URL of the PostgreSQL server a benchmark runs on: the one ``SILKCORE_BENCH_POSTGRES``
    names (its database must allow CREATE DATABASE), else a throwaway one, stopped afterwards."""
    base_url = os.environ.get("SILKCORE_BENCH_POSTGRES")
    if base_url is not None:
        yield base_url
        return
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is not installed: run `make postgres`, or set SILKCORE_BENCH_POSTGRES")
    server = PostgresServer(bin_dir).start()
    try:
        yield server.url()
    finally:
        server.stop()


def new_database(base_url: str, prefix: str) -> str:
    """A new, empty database on the server at ``base_url`` (named ``prefix`` and a random
    suffix); its URL."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return base_url.rsplit("/", 1)[0] + "/" + name
