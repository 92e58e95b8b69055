"""The docs are part of the work: every hook documented with its signature, examples run, site builds."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from silkcore import _hookspecs as hookspecs

from .conftest import ROOT

DOCS = ROOT / "docs"
PAGES_WITH_EXAMPLES = ["getting-started.md", "plugins/hooks.md", "writing-a-plugin.md", "concepts.md", "writing-a-framework.md"]


def hookspec_names() -> list[str]:
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("silk_")]


def test_there_are_nine_hooks() -> None:
    assert len(hookspec_names()) == 9


@pytest.mark.parametrize("name", hookspec_names())
def test_every_hookspec_is_documented_with_its_signature(name: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"{name}({params})" in (DOCS / "plugins" / "hooks.md").read_text()


def python_blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return [b for b in blocks if "fragment" not in b.splitlines()[0].lower()]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_python_examples_run(page: str, tmp_path: Path) -> None:
    blocks = python_blocks(page)
    if not blocks:
        pytest.skip(f"{page} has no runnable Python example")
    script = tmp_path / "examples.py"
    script.write_text("\n\n".join(blocks))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests" / "_guard"))
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr


def test_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert "https://cdn" not in html


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()
