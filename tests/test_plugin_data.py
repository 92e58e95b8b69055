"""The data files plugins ship, read through their compiled forms (silkcore._plugin_data).

A compiled form is used only when it is current, and it always gives the value the strict
reader gives for the file: held here for every compiled form the built-in plugins ship, and
for the ways one can fall out of date (an edited file, another reader version, a damaged
form). A plugin's data is read under the built-in limits, whatever SILKCORE_MAX_* says.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

import silkcore._plugin_data as plugin_data
from silkcore import DataError, SilkError, build_catalog, compile_plugin_data, parse_yaml, read_plugin_data
from silkcore._jsonio import dumps_line_bytes

ROOT = Path(__file__).resolve().parents[1]
#: Every data file the built-in plugins read at start-up or on first use: each ships its compiled form.
SHIPPED = [
    "plugins/silk_evaluation_grid/evaluation_grid.yaml",
    "plugins/silk_flowchart/flowchart.yaml",
    "plugins/silk_indicators/indicators.yaml",
    "plugins/silk_impact_grid/impact_grid.yaml",
    "plugins/silk_policy_brief/data/policy_brief.yaml",
    "plugins/silk_cases/data/flow_basis.yaml",
]
DATA = b"name: grid\nitems:\n- {id: A.01, weight: 2, scores: [0, 0.5, 1.0]}\n- {id: A.02, note: null, open: true}\n"


def _strict(path: Path) -> object:
    return parse_yaml(path.read_bytes(), source=str(path))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_compiled_form_is_current_and_gives_the_files_value(name: str) -> None:
    """Fails when a data file was edited without `make compiled-data` (start-up slows down)."""
    path = ROOT / name
    record = orjson.loads(plugin_data.compiled_path(path).read_bytes())
    assert record["sha256"] == plugin_data._digest(path.read_bytes()), f"stale: run `make compiled-data` ({name})"
    assert record["reader"] == plugin_data.READER_VERSION
    assert plugin_data._compiled_value(path, path.read_bytes()) is not plugin_data._UNREAD
    # the same value, types included (1 is not 1.0, true is not 1): the same JSON bytes
    assert dumps_line_bytes(read_plugin_data(path)) == dumps_line_bytes(_strict(path))


def test_no_other_compiled_form_ships() -> None:
    found = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "plugins").rglob("*" + plugin_data.COMPILED_SUFFIX))
    assert found == sorted(n + plugin_data.COMPILED_SUFFIX for n in SHIPPED)


def test_a_compiled_form_is_read_instead_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "grid.yaml"
    path.write_bytes(DATA)
    assert compile_plugin_data(path) == tmp_path / "grid.yaml.compiled"
    value = read_plugin_data(path)
    assert value == _strict(path)
    # proof that the compiled form was the one read: change its value, keep its hash
    record = orjson.loads((tmp_path / "grid.yaml.compiled").read_bytes())
    record["value"]["name"] = "from the compiled form"
    (tmp_path / "grid.yaml.compiled").write_bytes(orjson.dumps(record))
    assert read_plugin_data(path)["name"] == "from the compiled form"


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda path, form: path.write_bytes(DATA.replace(b"grid", b"edited")), id="the file was edited"),
        pytest.param(lambda path, form: form.write_bytes(form.read_bytes()[:-20]), id="a damaged form"),
        pytest.param(lambda path, form: form.write_bytes(b"[1, 2]"), id="not a record"),
        pytest.param(
            lambda path, form: form.write_bytes(form.read_bytes().replace(b'"reader":1', b'"reader":0')),
            id="another reader version",
        ),
    ],
)
def test_a_form_out_of_date_is_not_used(tmp_path: Path, spoil: object) -> None:
    path = tmp_path / "grid.yaml"
    path.write_bytes(DATA)
    form = compile_plugin_data(path)
    record = orjson.loads(form.read_bytes())
    record["value"]["name"] = "stale"
    form.write_bytes(dumps_line_bytes(record))
    spoil(path, form)  # type: ignore[operator]
    assert read_plugin_data(path) == _strict(path)


def test_a_file_with_no_form_and_an_invalid_file_are_read_as_always(tmp_path: Path) -> None:
    path = tmp_path / "plain.yaml"
    path.write_bytes(DATA)
    assert read_plugin_data(path) == _strict(path)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: 1\na: 2\n")
    with pytest.raises(DataError, match=r"bad\.yaml"):
        compile_plugin_data(bad)
    assert not plugin_data.compiled_path(bad).exists()  # nothing written for a file that is not valid
    with pytest.raises(DataError, match=r"bad\.yaml"):
        read_plugin_data(bad)


@pytest.mark.parametrize("compiled", [True, False])
def test_a_plugins_data_is_read_under_the_built_in_limits(tmp_path: Path, compiled: bool) -> None:
    """SILKCORE_MAX_* bound what users and peers send: tightened, they leave a plugin's own
    data as it is (from its compiled form or from itself), and still refuse a user's document."""
    path = tmp_path / "grid.yaml"
    path.write_bytes(DATA)
    if compiled:
        compile_plugin_data(path)
    code = "import json, sys; from silkcore import read_plugin_data; print(json.dumps(read_plugin_data(sys.argv[1])))"
    env = {**os.environ, "SILKCORE_MAX_DEPTH": "2", "SILKCORE_MAX_BYTES": "64"}
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert orjson.loads(result.stdout) == parse_yaml(DATA)
    refused = subprocess.run([sys.executable, "-m", "silkcore", "validate", str(path)], capture_output=True, text=True, env=env)
    assert refused.returncode == 1 and "SILKCORE_MAX_BYTES" in refused.stderr  # a file a user gives: their limits


def test_tight_limits_leave_every_tool_installed(tmp_path: Path) -> None:
    """An operator who tightens the limits for a node keeps the SILK tools: the grid (110 KB,
    nested deeper than 3) and the cases, read under the built-in limits."""
    env = {**os.environ, "SILKCORE_MAX_DEPTH": "3", "SILKCORE_MAX_BYTES": "1000", "HOME": str(tmp_path)}
    listed = subprocess.run([sys.executable, "-m", "silkcore", "frameworks"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0 and listed.stderr == "", listed.stderr
    assert {line.split()[0] for line in listed.stdout.splitlines()} >= {"silk.evaluation-grid", "silk.flowchart"}
    cases = subprocess.run([sys.executable, "-m", "silkcore", "cases", "list"], capture_output=True, text=True, env=env)
    assert cases.returncode == 0 and cases.stderr == "", cases.stderr


def test_a_plugin_framework_with_a_problem_is_told_from_its_file(tmp_path: Path) -> None:
    """The compiled form of a framework file that breaks the schema gives way to the file,
    so the message places the problem at its line."""
    from silkcore._framework_data import load_plugin_framework

    source = (ROOT / SHIPPED[0]).read_text(encoding="utf-8").replace("\nversion: 1.0.0\n", "\nversion: one\n", 1)
    assert "\nversion: one\n" in source
    path = tmp_path / "evaluation_grid.yaml"
    path.write_text(source, encoding="utf-8")
    compile_plugin_data(path)
    with pytest.raises(SilkError) as caught:
        load_plugin_framework(path, registry=build_catalog().schemas)
    assert "evaluation_grid.yaml:5:" in str(caught.value)  # line 5: version
