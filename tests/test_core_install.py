"""The wheel installed without extras: the core loads, validates and scores; reports, the node,
XLSX forms, PostgreSQL and Dask each name the extra to install in one line.

The venv is real and holds exactly the wheel and the closure of its core requirements (read
from the wheel's own metadata and linked from this environment, so the test needs no network):
a core requirement missing from ``pyproject.toml`` fails here, as it would for a user.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from silkcore import EXTRAS

from .conftest import EXAMPLES, ROOT
from .test_packaging import build_wheel, pip

GUARD = Path(__file__).parent / "_guard"
HEAVY = ("numpy", "matplotlib", "starlette", "uvicorn", "openpyxl", "jinja2", "psycopg", "dask")


def _requirements(requires: list[str] | None, extras: tuple[str, ...] = ("",)) -> list[Requirement]:
    found = []
    for text in requires or ():
        requirement = Requirement(text)
        if requirement.marker is None or any(requirement.marker.evaluate({"extra": extra}) for extra in extras):
            found.append(requirement)
    return found


def _closure(roots: list[Requirement]) -> dict[str, metadata.Distribution]:
    """Every distribution the requirements need, with the extras they ask for, from this environment."""
    found: dict[str, metadata.Distribution] = {}
    pending = list(roots)
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        dist = metadata.distribution(requirement.name)
        found[name] = dist
        pending += _requirements(dist.requires, ("", *requirement.extras))
    return found


def _link_into(site: Path, dist: metadata.Distribution) -> None:
    """Link each top-level entry of ``dist`` (packages, modules, its .dist-info) into ``site``."""
    base = Path(str(dist.locate_file("")))
    for entry in {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}:
        target = site / entry
        if (base / entry).exists() and not target.exists():
            target.symlink_to(base / entry)


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the silkcore wheel and its core requirements only."""
    wheel = build_wheel(ROOT, tmp_path_factory.mktemp("dist"), "silkcore-*.whl")
    venv = tmp_path_factory.mktemp("core-venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    [site] = venv.glob("lib/python*/site-packages")
    pip("--target", str(site), str(wheel))
    wheel_metadata = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    message = metadata.PathDistribution(site / Path(wheel_metadata).parent)
    for dist in _closure(_requirements(message.requires)).values():
        _link_into(site, dist)
    return venv


def _run(venv: Path, *args: str, cwd: Path, loopback: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    if loopback:
        env["SILKCORE_TEST_LOOPBACK"] = "1"
    env["PYTHONPATH"] = str(GUARD)  # the network guard only: nothing of this environment
    return subprocess.run([str(venv / "bin" / "python"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_core_loads_validates_and_scores_without_extras(core_venv: Path, tmp_path: Path) -> None:
    code = f"""
import importlib.util, json, sys
import silkcore
heavy = {HEAVY!r}
assert [m for m in heavy if importlib.util.find_spec(m) is not None] == [], "an extra's package is installed"
document = silkcore.load_document({str(EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json")!r})
assert silkcore.validate(silkcore.to_document(document)) == []
card = silkcore.assess(document.framework_id, document)
loaded = sorted(m for m in heavy if m in sys.modules)
scored = sum(1 for c in card.categories if c.score is not None)
print(json.dumps({{"framework": card.framework_id, "scored": scored, "loaded": loaded}}))
"""
    result = _run(core_venv, "-c", code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["framework"] == "silk.evaluation-grid" and found["scored"] > 0 and found["loaded"] == []


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["report", str(EXAMPLES / "demo" / "organisation.json"), "-o", "report.html"], "report"),
        (["demo", "-o", "demo-out"], "report"),
        (["serve", "--port", "0"], "serve"),
        (["export", "--format", "xlsform", "silk.evaluation-grid", "-o", "grid.xlsx"], "field"),
        (["history", "urn:x", "--store", "postgresql://nobody@127.0.0.1:1/none"], "postgres"),
    ],
)
def test_a_command_needing_an_extra_names_it_in_one_line(core_venv: Path, tmp_path: Path, args: list[str], extra: str) -> None:
    result = _run(core_venv, "-m", "silkcore", *args, cwd=tmp_path)
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith("error: ") and f"pip install 'silkcore[{extra}]'" in lines[0]
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_core_commands_work_and_plugins_show_the_missing_extras(core_venv: Path, tmp_path: Path) -> None:
    board = EXAMPLES / "demo" / "response_sets" / "evaluation-grid-board.json"
    assert _run(core_venv, "-m", "silkcore", "validate", str(board), cwd=tmp_path).returncode == 0
    assessed = _run(
        core_venv, "-m", "silkcore", "assess", "--framework", "silk.evaluation-grid", str(board), "--json", cwd=tmp_path
    )
    assert assessed.returncode == 0, assessed.stderr
    assert json.loads(assessed.stdout)["framework_id"] == "silk.evaluation-grid"
    listed = _run(core_venv, "-m", "silkcore", "plugins", cwd=tmp_path)
    assert listed.returncode == 0 and "failed" not in listed.stdout, listed.stdout + listed.stderr
    for name in EXTRAS:
        assert re.search(rf"^  {name} +missing", listed.stdout, re.MULTILINE), listed.stdout
    # sync is a client: it needs no server framework (nothing listens on port 9: refused, one line)
    pulled = _run(
        core_venv,
        "-m",
        "silkcore",
        "sync",
        "http://127.0.0.1:9",
        "--token",
        "a-token-of-16-chars-or-more",  # a token sync would send (a shorter one is refused first)
        "--store",
        "s.sqlite",
        cwd=tmp_path,
        loopback=True,
    )
    assert pulled.returncode == 1 and "cannot reach" in pulled.stderr, pulled.stderr
    assert "extra" not in pulled.stderr and "Traceback" not in pulled.stderr, pulled.stderr


def _distributions(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def test_the_extras_table_names_what_pyproject_installs() -> None:
    """``silkcore._extras.EXTRAS`` (what the messages name) and pyproject's extras agree."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    providers = metadata.packages_distributions()
    for name, extra in EXTRAS.items():
        named = {canonicalize_name(dist) for module in extra.modules for dist in providers[module]}
        assert named == _distributions(declared[name]), name
    assert Requirement(declared["all"][0]).extras == set(EXTRAS)
