"""The docs' guided framework (docs/writing-a-framework.md, shipped as
examples/frameworks/community-energy-guided.yaml) walked in a real terminal: an item that
applies only given an earlier answer at the same node is asked, and the walk completes and
saves its answers."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES, GUARD, ROOT
from .plugins.flowchart.test_flowchart import _read_until

GUIDED = EXAMPLES / "frameworks" / "community-energy-guided.yaml"


def test_the_docs_example_completes_interactively_asking_the_same_node_item(tmp_path: Path) -> None:
    saved = tmp_path / "walk.json"
    master, slave = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(GUARD), COLUMNS="120", NO_COLOR="1")
    command = [sys.executable, "-m", "silkcore", "guide", "--framework", str(GUIDED), "--org", "urn:test:x", "-o", str(saved)]
    process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    try:
        for marker, answer in [
            (b"main motive", b"3\n"),  # Share investment: opens why.finance_detail at this same node
            (b"general assembly", b"3\n"),
            (b"Share of our reserves", b"20\n"),
            (b"identified a partner", b"1\n"),
            (b"harm our democratic governance", b"1\n"),
        ]:
            _read_until(master, marker)
            os.write(master, answer)
        _read_until(master, b"completed")
        process.wait(timeout=60)
    finally:
        os.close(master)
        process.kill()
    assert process.returncode == 0
    answers = {r["item_id"]: r.get("value") for r in json.loads(saved.read_text())["responses"]}
    assert answers == {
        "why.motive": "finance",
        "why.members": "agree",
        "why.finance_detail": 20,
        "who.partner_found": True,
        "how.risk_register": True,
    }
