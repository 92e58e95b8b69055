"""The wheel ships every schema and data file; a third-party plugin installs and runs for real."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT, SCHEMAS, run_silk


def pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--no-build-isolation", *args], check=True
    )


def build_wheel(source: Path, outdir: Path, pattern: str) -> Path:
    """The one wheel ``python -m build`` makes of ``source`` in ``outdir`` (its name matching ``pattern``)."""
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
    )
    [built] = outdir.glob(pattern)
    return built


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("dist"), "silkcore-*.whl")


def test_wheel_contains_every_schema_and_data_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in SCHEMAS.glob("*.json"):
        assert f"silkcore/schemas/{schema.name}" in names
    assert "silkcore/schemas/RELEASED.lock" in names
    assert "silkcore/demo/organisation.json" in names
    assert "silk_evaluation_grid/evaluation_grid.yaml" in names
    # the compiled forms of the plugins' data files (silkcore._plugin_data), beside their files
    compiled = sorted((ROOT / "plugins").rglob("*.compiled"))
    assert len(compiled) >= 6
    for form in compiled:
        assert form.relative_to(ROOT / "plugins").as_posix() in names, form
    assert "silkcore/py.typed" in names
    web = ROOT / "src" / "silkcore" / "web"
    for kept in [*web.glob("templates/*.html"), *web.glob("static/*")]:
        assert f"silkcore/web/{kept.relative_to(web).as_posix()}" in names, kept
    # The interface catalogs, shared by the web questionnaire and the report.
    catalogs = list((ROOT / "src" / "silkcore" / "locale").glob("*/LC_MESSAGES/*.po"))
    assert len(catalogs) >= 2
    for kept in catalogs:
        assert f"silkcore/locale/{kept.relative_to(ROOT / 'src' / 'silkcore' / 'locale').as_posix()}" in names, kept
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[silkcore]" in text and "evaluation_grid = silk_evaluation_grid" in text


def test_installed_wheel_finds_its_packaged_schemas(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    pip("--target", str(target), str(wheel))
    code = "import silkcore._schemas as s; print(s._schema_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(target)}, capture_output=True, text=True, check=True
    )
    assert Path(out.stdout.strip()) == target / "silkcore" / "schemas"
    # and an installed plugin reads its data through the compiled form shipped with it
    code = (
        "import silk_evaluation_grid as g, silkcore._plugin_data as d; "
        "print(d._compiled_value(g.FRAMEWORK_FILE, g.FRAMEWORK_FILE.read_bytes()) is not d._UNREAD)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(target)}, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"


BROKEN_PYPROJECT = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "silk-broken"
version = "0.0.1"

[project.entry-points.silkcore]
broken = "silk_broken"

[tool.hatch.build.targets.wheel]
packages = ["silk_broken"]
"""


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh site directory holding only the example plugin and a deliberately broken one."""
    site = tmp_path_factory.mktemp("plugin-site")
    pip("--target", str(site), str(EXAMPLES / "plugin-event-readiness"))
    broken = tmp_path_factory.mktemp("broken-src")
    (broken / "pyproject.toml").write_text(BROKEN_PYPROJECT)
    (broken / "silk_broken").mkdir()
    (broken / "silk_broken" / "__init__.py").write_text("raise ImportError('this plugin is broken on purpose')\n")
    pip("--target", str(site), str(broken))
    return site


def test_example_plugin_listed_and_broken_one_reported(plugin_site: Path) -> None:
    env = {"PYTHONPATH": str(plugin_site)}
    result = run_silk("plugins", "--json", env=env)
    assert result.returncode == 0, result.stderr
    statuses = {row["name"]: row for row in json.loads(result.stdout)}
    assert statuses["event_readiness"]["status"] == "ok"
    assert statuses["event_readiness"]["distribution"] == "silk-event-readiness"
    assert statuses["broken"]["status"] == "failed" and "broken on purpose" in statuses["broken"]["error"]
    assert statuses["evaluation_grid"]["status"] == "ok"
    frameworks = run_silk("frameworks", "--json", env=env)
    assert frameworks.returncode == 0
    assert {"network.event-readiness", "silk.evaluation-grid"} <= {row["id"] for row in json.loads(frameworks.stdout)}
    assert "broken" in frameworks.stderr and "Traceback" not in frameworks.stderr


def test_strict_plugins_makes_a_failure_fatal(plugin_site: Path) -> None:
    result = run_silk("--strict-plugins", "frameworks", env={"PYTHONPATH": str(plugin_site)})
    assert result.returncode == 4 and "broken on purpose" in result.stderr


def test_example_plugin_scores_through_the_cli(plugin_site: Path) -> None:
    responses = EXAMPLES / "demo" / "response_sets" / "event-readiness-board.json"
    result = run_silk(
        "assess", "--framework", "network.event-readiness", str(responses), "--json", env={"PYTHONPATH": str(plugin_site)}
    )
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    assert card["framework_id"] == "network.event-readiness" and card["overall"] is not None


def test_example_plugin_indicator_computes(plugin_site: Path) -> None:
    code = """
import silkcore, datetime as dt
from decimal import Decimal
catalog = silkcore.get_catalog()
entry = catalog.indicator("event.partnership_yield")
org = silkcore.OrgRef("urn:x")
period = silkcore.Period(dt.date(2025, 1, 1))
m = lambda i, v: silkcore.Measurement(i, org, period, silkcore.FlowStatus.OBSERVED, value=Decimal(v))
print(entry.compute([m("event.partnerships_started", "3"), m("event.participation_cost", "1500")]))
print(entry.compute([m("event.partnerships_started", "3"), m("event.participation_cost", "0")]))
"""
    out = subprocess.run([sys.executable, "-c", code], env={"PYTHONPATH": str(plugin_site)}, capture_output=True, text=True)
    assert out.stdout.split() == ["2", "None"], out.stderr


def test_demo_prints_a_score_card(tmp_path: Path) -> None:
    result = run_silk("demo", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "silk.evaluation-grid" in result.stdout and "coverage" in result.stdout
    card = tmp_path / "out" / "scorecard-silk.evaluation-grid.json"
    assert run_silk("validate", str(card)).returncode == 0
