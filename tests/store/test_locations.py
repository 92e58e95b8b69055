"""Where a store lives: paths and URLs, unreachable servers, foreign databases, the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest

from silkcore import StoreError
from silkcore._store import Store, StoreURL, check_store_path, is_store_url, open_store, store_location
from silkcore._store.postgres import PostgresStore
from silkcore._store.sqlite import SQLiteStore

from .._postgres import PostgresServer, _free_port
from ..conftest import EXAMPLES, run_silk
from .conftest import envelope, put

SECRET = "hunter2-not-for-logs"
DEMO_ORG = "urn:silk:org:demo:tejidos-solidarios"


def with_password(url: str) -> str:
    return url.replace("postgresql://silk@", f"postgresql://silk:{SECRET}@")


def test_a_url_is_never_a_path() -> None:
    url = StoreURL(f"postgresql://silk:{SECRET}@db.example.org:6543/history?sslmode=require")
    assert str(url) == f"{url}" == "postgresql://silk@db.example.org:6543/history" and SECRET not in repr(url)
    assert url.url.endswith("sslmode=require") and url.exists()
    assert check_store_path(url) is url and check_store_path(url.url) == url
    assert is_store_url("postgres://x@h/db") and is_store_url(url) and not is_store_url("postgresql.sqlite")
    assert not is_store_url(Path("postgresql://x"))  # a Path is a path, whatever it is called
    with pytest.raises(StoreError, match="not a PostgreSQL URL"):
        StoreURL("history.sqlite")


def test_paths_still_open_sqlite(tmp_path: Path) -> None:
    assert type(Store(tmp_path / "a.sqlite")) is SQLiteStore and type(open_store(str(tmp_path / "b.sqlite"))) is SQLiteStore
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing" / "c.sqlite")


def test_an_unreachable_server_is_named_without_the_password() -> None:
    url = f"postgresql://silk:{SECRET}@127.0.0.1:{_free_port()}/history"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "cannot reach the PostgreSQL store postgresql://silk@127.0.0.1" in message and "host 127.0.0.1" in message
    assert SECRET not in message and "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://silk:{SECRET}@127.0.0.1/db?no_such_option=1",
        f"postgresql://silk:{SECRET}@[::1/db",
        "POSTGRESQL://silk@127.0.0.1/db",
        f"postgresql://silk:{SECRET}\udcff@127.0.0.1/db",  # a byte that was not UTF-8, from a command line
    ],
)
def test_a_malformed_url_is_a_store_error_without_the_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert SECRET not in str(caught.value)


# Passwords libpq accepts that a generic URL parser reads as a fragment, a query or a path,
# a password in the query, and USER:PASSWORD written without its "@" (a host and a port).
AWKWARD = [
    (f"postgresql://silk:{SECRET}#x@127.0.0.1:{{port}}/db", "postgresql://silk@127.0.0.1:{port}/db"),
    (f"postgresql://silk:{SECRET}?x@127.0.0.1:{{port}}/db", "postgresql://silk@127.0.0.1:{port}/db"),
    # libpq reads this one as host 127.0.0.1 and port SECRET (and resolves no name: no network here)
    (f"postgresql://127.0.0.1:{SECRET}/x@127.0.0.1:{{port}}/db", "postgresql://***"),
    (f"postgresql://silk@127.0.0.1:{{port}}/db?password={SECRET}%ZZ", "postgresql://silk@127.0.0.1:{port}/db"),
    (f"postgresql://silk@127.0.0.1:{{port}}/db?sslpassword={SECRET}%ZZ", "postgresql://silk@127.0.0.1:{port}/db"),
    (f"postgresql://127.0.0.1:{SECRET}/db", "postgresql://127.0.0.1:***/db"),
]


@pytest.mark.parametrize(("url", "shown"), AWKWARD)
def test_an_awkward_password_is_never_shown(url: str, shown: str) -> None:
    port = _free_port()
    url, shown = url.format(port=port), shown.format(port=port)
    assert str(StoreURL(url)) == shown
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert SECRET not in message and SECRET[:8] not in message and "\n" not in message, message


def test_a_one_letter_password_does_not_mangle_the_message() -> None:
    with pytest.raises(StoreError) as caught:
        open_store(f"postgresql://silk:p@127.0.0.1:{_free_port()}/history")
    assert "port" in str(caught.value) and "***ort" not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql+psycopg://silk:{SECRET}@127.0.0.1/db",  # another scheme
        f" postgresql://silk:{SECRET}@127.0.0.1/db",  # a space before it
        f"postgresql:/silk:{SECRET}@127.0.0.1/db",  # a slash missing
        f"https://silk:{SECRET}@example.org/db",
    ],
)
def test_a_url_that_is_not_a_store_is_refused_not_taken_for_a_file(text: str, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a store location") as caught:
        store_location(text)
    assert SECRET not in str(caught.value)
    result = run_silk("history", DEMO_ORG, "--store", text, cwd=tmp_path)
    assert result.returncode == 5 and "Traceback" not in result.stderr and "not a store location" in result.stderr
    assert SECRET not in result.stderr + result.stdout and list(tmp_path.iterdir()) == []
    assert store_location("C:/silk/history.sqlite") == Path("C:/silk/history.sqlite")  # a drive, not a scheme


def test_a_missing_database_is_a_store_error(postgres_server: PostgresServer) -> None:
    with pytest.raises(StoreError, match='database "no_such_db" does not exist'):
        open_store(with_password(postgres_server.url("no_such_db")))


def test_the_postgres_scheme_and_a_password_open_the_same_store(postgres_url: str) -> None:
    with open_store(with_password(postgres_url).replace("postgresql://", "postgres://")) as store:
        assert type(store) is PostgresStore and SECRET not in store.location
        put(store, envelope())
    with open_store(postgres_url) as store:
        assert store.count_records() == 1


def test_a_foreign_database_is_refused_untouched(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
        conn.execute("INSERT INTO customers VALUES (1)")
    with pytest.raises(StoreError, match="not a silkcore store: its schema public holds other tables"):
        open_store(postgres_url)
    with psycopg.connect(postgres_url) as conn:
        tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert tables == {"customers"} and conn.execute("SELECT * FROM customers").fetchall() == [(1,)]


def test_a_meta_table_of_another_application_is_refused(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE silkcore_store_meta (application_id BIGINT NOT NULL, version INTEGER NOT NULL)")
        conn.execute("INSERT INTO silkcore_store_meta VALUES (42, 1)")
    with pytest.raises(StoreError, match="is not a silkcore store; it was left untouched"):
        open_store(postgres_url)


def test_a_schema_of_its_own_beside_other_tables(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
        conn.execute("CREATE SCHEMA silk")
    with open_store(postgres_url + "?options=-csearch_path%3Dsilk") as store:
        put(store, envelope())
        assert store.integrity() == "ok"
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM silk.records").fetchone() == (1,)


@pytest.mark.parametrize("content", [b"not a database at all" * 20, b"\x00" * 100])
def test_a_foreign_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.bin"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not a silkcore store"):
        open_store(path)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a silkcore store"):
        open_store(path)
    assert path.read_bytes() == before


def test_assess_and_history_on_a_postgresql_store(postgres_url: str) -> None:
    url = with_password(postgres_url)
    sets = sorted(str(p) for p in (EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    for _ in range(2):
        result = run_silk("assess", "--framework", "silk.evaluation-grid", *sets, "--store", url)
        assert result.returncode == 0, result.stderr
    data = json.loads(run_silk("history", DEMO_ORG, "--store", url, "--json").stdout)
    assert [a["framework_id"] for a in data["assessments"]] == ["silk.evaluation-grid"] * 2
    assert data["assessments"][1]["categories"][1]["change"] == 0.0
    empty = run_silk("history", "urn:nobody", "--store", url)
    assert empty.returncode == 0 and f"in {postgres_url}" in empty.stdout and SECRET not in empty.stdout


def test_history_on_an_unreachable_server_is_exit_5_without_a_traceback() -> None:
    url = f"postgresql://silk:{SECRET}@127.0.0.1:{_free_port()}/history"
    result = run_silk("history", DEMO_ORG, "--store", url)
    assert result.returncode == 5 and "Traceback" not in result.stderr
    assert "127.0.0.1" in result.stderr and SECRET not in result.stderr + result.stdout
    assert not Path("postgresql:").exists()  # the URL was never taken for a file name


def test_silkcore_store_takes_a_url_as_store_does(postgres_url: str, tmp_path: Path) -> None:
    """``$SILKCORE_STORE`` is read as ``--store`` is: a URL in it is the PostgreSQL store, named
    without its password, never a file called ``postgresql:``."""
    url = with_password(postgres_url)
    sets = sorted(str(p) for p in (EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    assert run_silk("assess", "--framework", "silk.evaluation-grid", *sets, "--store", url).returncode == 0
    result = run_silk("history", DEMO_ORG, "--json", cwd=tmp_path, env={"SILKCORE_STORE": url})
    assert result.returncode == 0, result.stderr
    assert [a["framework_id"] for a in json.loads(result.stdout)["assessments"]] == ["silk.evaluation-grid"]
    assert result.stderr.splitlines() == [f"using the store {postgres_url} ($SILKCORE_STORE; choose one with --store)"]
    assert SECRET not in result.stderr and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("history", DEMO_ORG), ("sync", "http://127.0.0.1:9", "--token", "a-token-of-16-chars")])
def test_an_unreachable_silkcore_store_url_is_exit_5_without_the_password(tmp_path: Path, command: tuple[str, ...]) -> None:
    url = f"postgres://silk:{SECRET}@127.0.0.1:{_free_port()}/history"
    result = run_silk(*command, cwd=tmp_path, env={"SILKCORE_STORE": url})
    assert result.returncode == 5 and "Traceback" not in result.stderr
    assert "cannot reach the PostgreSQL store postgres://silk@127.0.0.1" in result.stderr
    assert SECRET not in result.stderr + result.stdout and list(tmp_path.iterdir()) == []  # no file named after it


def test_a_connection_the_server_dropped_is_replaced(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from silkcore._store import postgres

    monkeypatch.setattr(postgres, "FRESH", 0.0)  # every borrowed connection is pinged first
    with open_store(postgres_url) as store:
        put(store, envelope())
        with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a server restart would
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert store.record("urn:test:record:1") is not None


def test_a_closed_store_is_a_store_error(store_location: str) -> None:
    store = open_store(store_location)
    store.close()
    with pytest.raises(StoreError):
        store.record("urn:test:record:1")
