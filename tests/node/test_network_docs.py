"""docs/network-node.md runs as written: every shell command on the page, in order, from the
files the repository ships (``silk serve`` started in the background on a free port)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import GUARD, ROOT, start_silk_serve

PAGE = ROOT / "docs" / "network-node.md"
DOCUMENTED_ADDRESS = "127.0.0.1:8080"


def shell_commands(text: str) -> list[str]:
    """The page's ``sh`` blocks as commands, continuation lines joined."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        commands += [line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    return commands


def environment() -> dict[str, str]:
    """The guard against network access, loopback allowed (sync talks to the node started here)."""
    env = dict(os.environ, SILKCORE_TEST_LOOPBACK="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))
    bin_dir = str(Path(sys.executable).parent)  # the venv's ``silk``
    env["PATH"] = os.pathsep.join([bin_dir, env.get("PATH", "")])
    return env


def start_node(command: str, cwd: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the page's ``silk serve`` on a free port; its process and address."""
    argv = shlex.split(command.replace("--port 8080", "--port 0"))
    return start_silk_serve(argv, cwd, environment(), log, tries=600)


def test_the_peers_file_shown_is_the_one_shipped() -> None:
    shown = re.search(r"```json\n(\{\n  \"peers\".*?)```", PAGE.read_text(), flags=re.S)
    assert shown is not None
    assert json.loads(shown.group(1)) == json.loads((ROOT / "examples" / "node" / "peers.json").read_text())


def test_every_command_on_the_page_runs(tmp_path: Path) -> None:
    commands = shell_commands(PAGE.read_text())
    assert [c.split()[0] + " " + c.split()[1] for c in commands] == [
        "silk keys",
        "silk sign",
        "silk verify",
        "silk serve",
        "curl -s",
        "curl -s",
        "silk sync",
    ]
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    node: subprocess.Popen[bytes] | None = None
    address = DOCUMENTED_ADDRESS
    outputs: list[str] = []
    try:
        for command in commands:
            if command.startswith("silk serve"):
                node, address = start_node(command, tmp_path, tmp_path / "serve.log")
                continue
            if command.startswith("curl") and not _have("curl"):
                pytest.skip("curl is not installed")
            run = subprocess.run(
                command.replace(DOCUMENTED_ADDRESS, address),
                shell=True,
                cwd=tmp_path,
                capture_output=True,
                text=True,
                env=environment(),
                timeout=120,
                executable="/bin/bash",
            )
            assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
            outputs.append(run.stdout)
    finally:
        if node is not None:
            node.terminate()
            node.wait(timeout=30)
    published = json.loads(outputs[3])
    assert published["status"] == "created" and published["received_from"] == "https://partner-platform.example.org/"
    feed = json.loads(outputs[4])
    assert [item["record_id"] for item in feed["items"]] == [published["record_id"]]
    assert "1 new" in outputs[5]


def _have(program: str) -> bool:
    from shutil import which

    return which(program) is not None
