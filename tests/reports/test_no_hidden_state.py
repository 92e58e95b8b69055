"""No hidden state (issue 19, part 2): the demo keeps its store in its output folder, a report
reads history only from a store it is given, a command that reads a store it was not given
says which one, and nothing - matplotlib's font cache included - is written to the home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import silkcore
from silkcore._demo import STORE_NAME, run_demo
from silkcore._store import Store
from silkcore.report import _mplconfig

from ..conftest import EXAMPLES, GUARD, run_silk

DEMO_ORG = "urn:silk:org:demo:tejidos-solidarios"
GRID_SETS = sorted((EXAMPLES / "demo" / "response_sets").glob("evaluation-grid-*.json"))
#: The variables through which a program finds the user's home folders and silkcore's store.
HOME_VARIABLES = ("HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME")


def _isolated_env(home: Path, temp: Path) -> dict[str, str]:
    """This environment with the home and every XDG folder inside ``home``, the temporary
    folder at ``temp``, and no store or matplotlib folder chosen: what a new user has."""
    env = {k: v for k, v in os.environ.items() if k not in ("SILKCORE_STORE", "MPLCONFIGDIR")}
    env["HOME"] = str(home)
    for name in HOME_VARIABLES[1:]:
        env[name] = str(home / name.lower())
    env["TMPDIR"] = str(temp)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))  # no network
    return env


def test_the_demo_leaves_the_home_empty(tmp_path: Path) -> None:
    home, temp, out = tmp_path / "home", tmp_path / "tmp", tmp_path / "out"
    home.mkdir()
    temp.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "silkcore", "demo", "-o", str(out)],
        cwd=tmp_path,
        env=_isolated_env(home, temp),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert list(home.rglob("*")) == []
    assert (out / STORE_NAME).is_file()
    assert f"in the store {out / STORE_NAME}:" in result.stdout
    # matplotlib did draw, and cached its fonts in the temporary folder silkcore chose for it.
    assert list(temp.glob("silkcore-matplotlib-*/fontlist-*.json"))


def test_the_demo_store_defaults_to_the_output_folder_and_accumulates(tmp_path: Path) -> None:
    catalog = silkcore.build_catalog()
    out = tmp_path / "new"  # not there yet: the demo creates it, then its store inside
    first = run_demo(catalog, out)
    second = run_demo(catalog, out)
    with Store(out / STORE_NAME) as store:
        assert len(store.assessments(DEMO_ORG, "silk.evaluation-grid")) == 2
    assert "Progress over time" not in first.summary and "Progress over time" in second.summary


@pytest.fixture
def history_store(tmp_path: Path) -> Path:
    """A store holding the demo organisation's evaluation grid twice: enough for a
    "Progress over time" section."""
    catalog = silkcore.build_catalog()
    sets = [silkcore.load_document(p) for p in GRID_SETS]
    card = silkcore.assess("silk.evaluation-grid", sets, catalog=catalog)
    path = tmp_path / "elsewhere.sqlite"
    with Store(path) as store:
        store.record_assessment(sets, card)
        store.record_assessment(sets, card)
    return path


def test_report_reads_history_only_from_a_store_it_is_given(tmp_path: Path, history_store: Path) -> None:
    inputs = [str(EXAMPLES / "demo" / "organisation.json"), *map(str, GRID_SETS)]
    env = {"SILKCORE_STORE": str(history_store)}  # a default store with history in it
    plain = run_silk("report", *inputs, "-o", str(tmp_path / "plain.html"), env=env)
    assert plain.returncode == 0 and plain.stderr == "", plain.stderr
    assert "Progress over time" not in (tmp_path / "plain.html").read_text()
    given = run_silk("report", *inputs, "-o", str(tmp_path / "given.html"), "--store", str(history_store))
    assert given.returncode == 0 and given.stderr == "", given.stderr
    assert "Progress over time" in (tmp_path / "given.html").read_text()


@pytest.mark.parametrize("command", ["report", "history"])
def test_a_command_that_reads_a_store_never_creates_one(tmp_path: Path, command: str) -> None:
    """A mistyped --store is an error naming how to make a store: not an empty store made in
    passing (which would show an empty history, and stay behind)."""
    typo = tmp_path / "histroy.sqlite"
    inputs = [str(EXAMPLES / "demo" / "organisation.json"), *map(str, GRID_SETS)]
    args = [*inputs, "-o", str(tmp_path / "r.html")] if command == "report" else [DEMO_ORG]
    result = run_silk(command, *args, "--store", str(typo))
    assert result.returncode == 5 and result.stderr.startswith(f"error: no store at {typo}; record assessments with")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["report", "history"])
@pytest.mark.parametrize("content", [b"", b'{"not": "a store"}'])
def test_a_command_that_reads_a_store_refuses_what_is_not_one_untouched(tmp_path: Path, command: str, content: bytes) -> None:
    """An empty file (SQLite would make it a new store) or another file given as --store: exit
    5, the file as it was - checked before any work, whatever the inputs (a report reads its
    store only when an organisation is among them)."""
    given = tmp_path / "store.sqlite"
    given.write_bytes(content)
    args = [*map(str, GRID_SETS), "-o", str(tmp_path / "r.html")] if command == "report" else [DEMO_ORG]
    result = run_silk(command, *args, "--store", str(given))
    assert result.returncode == 5 and result.stderr.startswith("error: "), result.stderr
    assert given.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == ["store.sqlite"]


def test_history_says_which_store_it_read_when_none_is_given(tmp_path: Path, history_store: Path) -> None:
    from_env = run_silk("history", DEMO_ORG, "--json", env={"SILKCORE_STORE": str(history_store)})
    assert from_env.returncode == 0, from_env.stderr
    assert from_env.stderr.splitlines() == [f"using the store {history_store} ($SILKCORE_STORE; choose one with --store)"]
    assert len(json.loads(from_env.stdout)["assessments"]) == 2  # stdout stays pure JSON
    given = run_silk("history", DEMO_ORG, "--store", str(history_store))
    assert given.returncode == 0 and given.stderr == ""


def test_the_default_store_is_named_as_such(tmp_path: Path, history_store: Path) -> None:
    data = tmp_path / "data"
    (data / "silkcore").mkdir(parents=True)
    default = data / "silkcore" / "history.sqlite"
    history_store.rename(default)
    env = {k: v for k, v in os.environ.items() if k != "SILKCORE_STORE"}
    env.update(XDG_DATA_HOME=str(data), PYTHONPATH=os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH")])))
    result = subprocess.run(
        [sys.executable, "-m", "silkcore", "history", DEMO_ORG], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [f"using the store {default} (the default store; choose one with --store)"]


def test_matplotlib_gets_a_private_folder_unless_one_is_chosen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)  # as before silkcore's first chart
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mine"))
    assert _mplconfig.private_config_dir() == str(tmp_path / "mine")  # the user's choice stands
    monkeypatch.delenv("MPLCONFIGDIR")
    folder = Path(_mplconfig.private_config_dir())
    assert os.environ["MPLCONFIGDIR"] == str(folder) and folder.parent == tmp_path
    assert folder.is_dir() and folder.stat().st_mode & 0o077 == 0


def test_a_cache_folder_name_taken_by_a_link_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    (tmp_path / "planted").mkdir()
    (tmp_path / f"silkcore-matplotlib-{_mplconfig._user_tag()}").symlink_to(tmp_path / "planted")
    folder = Path(_mplconfig.private_config_dir())
    assert folder.parent == tmp_path and not folder.is_symlink() and folder.name != "planted"


def test_sync_names_the_store_it_was_not_given(tmp_path: Path) -> None:
    store = tmp_path / "pulled.sqlite"
    # Nothing listens on port 9 (discard): the command fails after choosing its store.
    result = run_silk("sync", "http://127.0.0.1:9", "--token", "a-token-of-16-chars-or-more", env={"SILKCORE_STORE": str(store)})
    assert result.returncode != 0
    assert result.stderr.splitlines()[0] == f"using the store {store} ($SILKCORE_STORE; choose one with --store)"


def test_a_demo_whose_store_is_not_one_leaves_nothing_behind(tmp_path: Path) -> None:
    given = tmp_path / "notastore.json"
    given.write_text("{}")
    result = run_silk("demo", "-o", str(tmp_path / "out"), "--store", str(given))
    assert result.returncode == 5 and "not a silkcore store" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notastore.json"] and given.read_text() == "{}"
