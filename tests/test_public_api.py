"""The line between public and private: plugins (the built-in ones are the models others copy)
import only the public API, never a private module nor another plugin; the public names all
resolve; silkcore.testing works without test-only dependencies."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import silkcore

from .conftest import ROOT

PLUGIN_FILES = sorted((ROOT / "plugins").rglob("*.py")) + sorted((ROOT / "examples").rglob("silk_*/**/*.py"))
PUBLIC_PACKAGES = (
    "silkcore",
    "silkcore.report",
    "silkcore.testing",
    "silkcore.testing.strategies",
    "silkcore.node",
    "silkcore.web",
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names if node.module == "silkcore"]
    return found


def own_package(path: Path) -> str:
    return next(part for part in path.parts if part.startswith("silk_"))


@pytest.mark.parametrize("path", PLUGIN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_plugin_imports_only_the_public_api_and_no_other_plugin(path: Path) -> None:
    mine = own_package(path)
    for line, module in imported_modules(path):
        if module.startswith("silkcore"):
            assert module in PUBLIC_PACKAGES or (module.startswith("silkcore.") and not module.split(".")[1].startswith("_")), (
                f"{path.name}:{line} imports the private {module}"
            )
            assert not any(part.startswith("_") for part in module.split(".")), f"{path.name}:{line} imports {module}"
        elif module.split(".")[0].startswith("silk_"):
            assert module.split(".")[0] == mine, f"{path.name}:{line} imports another plugin: {module}"


def test_every_public_name_resolves_and_every_other_module_is_private_by_name() -> None:
    for name in silkcore.__all__:
        assert getattr(silkcore, name) is not None, name
    modules = {p.relative_to(ROOT / "src").with_suffix("").as_posix().replace("/", ".") for p in (ROOT / "src").rglob("*.py")}
    public = {
        m.removesuffix(".__init__")
        for m in modules
        if not any(part.startswith("_") and part != "__init__" and part != "__main__" for part in m.split("."))
    }
    assert public - {"silkcore.__main__"} == set(PUBLIC_PACKAGES), sorted(public - set(PUBLIC_PACKAGES))


def test_silkcore_testing_imports_without_hypothesis(tmp_path: Path) -> None:
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'hypothesis' or name.startswith('hypothesis.'):\n"
        "            raise ImportError('hypothesis is not installed here')\n"
        "sys.meta_path.insert(0, Block())\n"
    )
    code = "import silkcore.testing as t; c = t.catalog_with(); print(type(c).__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Catalog"


def test_the_package_docstring_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    doc = silkcore.__doc__ or ""
    lines = []
    for line in doc.split("::\n\n", 1)[1].splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line.removeprefix("    "))
    code = "\n".join(lines)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "silkcore.__doc__", "exec"), {})
    printed = capsys.readouterr().out
    assert '"schema": "silkcore_scorecard-v1.0.0"' in printed


def test_help_of_the_public_names_reads_as_silkcore() -> None:
    import pydoc

    text = pydoc.render_doc(silkcore.load_document, renderer=pydoc.plaintext)
    assert "silkcore.load_document" in text or "in module silkcore\n" in text
    assert silkcore.DataError.__module__ == "silkcore" and silkcore.assess.__module__ == "silkcore"
