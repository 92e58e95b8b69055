"""Crash safety of the history store: writer processes killed with SIGKILL at random moments.

Writers (forked by tests/adversarial/_store_writer.py) record assessments in a loop and
acknowledge each one only after ``Store.record_assessment`` returned. The test kills them at
random moments - while opening the store, inside a transaction, between two - and then checks
the file: every acknowledged assessment is there and complete (score card readable, response
sets present), no assessment is partial, no document is orphaned (a torn transaction), and
``PRAGMA integrity_check`` is ok. Several writers at once lose nothing either.

200 kills by default, 2,000 with SILKCORE_HYPOTHESIS_PROFILE=long (``make test-long``).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from silkcore._store import Store

from ..conftest import EXAMPLES

LONG = os.environ.get("SILKCORE_HYPOTHESIS_PROFILE") == "long"
KILLS = 2000 if LONG else 200
KILLS_PER_FILE = 250  # a fresh store file after this many kills keeps the disk use bounded
WRITER = Path(__file__).with_name("_store_writer.py")
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writers are forked")


class Writers:
    """The fork server and its line protocol, with a deadline on every read."""

    def __init__(self, store_path: Path, log: Path) -> None:
        self._stderr = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), str(store_path), str(EXAMPLES)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
        )
        self._buffer = b""
        assert self.line(60) == "ready"

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        self.process.stdin.flush()

    def line(self, timeout: float = 30) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(left, 0))
            if not ready:
                raise AssertionError(f"no reply from the writers within {timeout} s")
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                raise AssertionError("the writer server died")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def spawn(self, command: str) -> int:
        self.send(command)
        reply = self.line()
        assert reply.startswith("child "), reply
        return int(reply.split()[1])

    def reap(self) -> tuple[list[str], dict[int, int], list[str]]:
        """Wait for every writer: (acknowledged ids, exit status by pid, error lines)."""
        self.send("wait")
        acks: list[str] = []
        exits: dict[int, int] = {}
        errors: list[str] = []
        while (line := self.line()) != "waited":
            kind, pid, rest = [*line.split(" ", 2), "", ""][:3]
            if kind == "ack":
                acks.append(rest)
            elif kind == "exit":
                exits[int(pid)] = int(rest)
            else:
                errors.append(line)
        return acks, exits, errors

    def close(self) -> None:
        if self.process.poll() is None:
            self.send("quit")
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stderr.close()


def verify(store_path: Path, acknowledged: set[str]) -> tuple[int, int]:
    """Check the file after crashes; returns (assessments, documents)."""
    with Store(store_path) as store:  # opening runs recovery of the WAL, like any later user
        assert store.integrity() == "ok"
        db = store._db
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = db.execute("SELECT assessment_id, scorecard_record, response_records, framework_id FROM assessments").fetchall()
        present = {row[0] for row in rows}
        lost = acknowledged - present
        assert not lost, f"{len(lost)} acknowledged assessments lost, e.g. {sorted(lost)[:3]}"
        referenced: set[str] = set()
        bodies = dict(db.execute("SELECT record_id, schema FROM documents").fetchall())
        for assessment_id, card_record, response_records, framework_id in rows:
            responses = json.loads(response_records)
            for record in [card_record, *responses]:
                assert record in bodies, f"assessment {assessment_id} is partial: {record} missing"
            assert bodies[card_record] == "silkcore_scorecard-v1.0.0"
            assert len(responses) == 2 and all(bodies[r] == "silkcore_response_set-v1.0.0" for r in responses)
            referenced.update([card_record, *responses])
            if assessment_id in acknowledged:
                assert store.document(card_record)["framework_id"] == framework_id == "silk.evaluation-grid"
        orphans = set(bodies) - referenced
        assert not orphans, f"{len(orphans)} documents belong to no assessment: a torn transaction"
        return len(rows), len(bodies)


def test_sigkill_at_random_moments_loses_no_acknowledged_assessment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(20260)
    acknowledged: set[str] = set()
    total_acks = 0
    files = 0
    start = time.monotonic()
    for first in range(0, KILLS, KILLS_PER_FILE):
        files += 1
        store_path = tmp_path / f"history-{files}.sqlite"
        writers = Writers(store_path, tmp_path / f"writers-{files}.log")
        acknowledged.clear()
        try:
            for kill in range(first, min(first + KILLS_PER_FILE, KILLS)):
                concurrent = 3 if kill % 10 == 9 else 1  # every tenth round: three writers at once
                pids = [writers.spawn("loop") for _ in range(concurrent)]
                time.sleep(rng.uniform(0.0, 0.12))
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
                acks, exits, errors = writers.reap()
                assert errors == [], errors
                assert all(os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGKILL for s in exits.values()), exits
                acknowledged.update(acks)
                total_acks += len(acks)
                if kill % 50 == 49:
                    verify(store_path, acknowledged)
            assessments, _ = verify(store_path, acknowledged)
            assert assessments >= len(acknowledged)
        finally:
            writers.close()
        store_path.unlink()
        for suffix in ("-wal", "-shm"):
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    with capsys.disabled():
        print(
            f"\nstore crash safety: {KILLS} SIGKILLs over {files} store file(s), {total_acks} acknowledged assessments, "
            f"0 lost, 0 partial, 0 orphaned documents, integrity ok ({time.monotonic() - start:.0f} s)"
        )
    assert total_acks > KILLS // 2  # the kills did land among writes, not only before the first one


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    store_path = tmp_path / "history.sqlite"
    writers = Writers(store_path, tmp_path / "writers.log")
    try:
        pids = [writers.spawn("run 40") for _ in range(4)]
        acks, exits, errors = writers.reap()
    finally:
        writers.close()
    assert errors == []
    assert sorted(exits) == sorted(pids) and set(exits.values()) == {0}
    assert len(acks) == len(set(acks)) == 160
    assessments, documents = verify(store_path, set(acks))
    assert (assessments, documents) == (160, 480)


def test_a_store_killed_during_creation_opens_cleanly(tmp_path: Path) -> None:
    """Kills right after the fork, before or while the first writer creates the file."""
    store_path = tmp_path / "history.sqlite"
    writers = Writers(store_path, tmp_path / "writers.log")
    try:
        acknowledged: set[str] = set()
        for delay in (0, 0.001, 0.002, 0.004, 0.008, 0.016):
            pid = writers.spawn("loop")
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            acks, _, errors = writers.reap()
            assert errors == []
            acknowledged.update(acks)
            if store_path.exists():
                verify(store_path, acknowledged)
            store_path.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(f"{store_path}{suffix}").unlink(missing_ok=True)
            acknowledged.clear()
    finally:
        writers.close()


def test_verify_notices_a_lost_or_torn_assessment(tmp_path: Path) -> None:
    """The checker itself: a missing acknowledged id and an orphaned document are both caught."""
    store_path = tmp_path / "history.sqlite"
    writers = Writers(store_path, tmp_path / "writers.log")
    try:
        writers.spawn("run 2")
        acks, _, _ = writers.reap()
    finally:
        writers.close()
    verify(store_path, set(acks))
    with pytest.raises(AssertionError, match="lost"):
        verify(store_path, {*acks, "urn:uuid:never-written"})
    db = sqlite3.connect(store_path)
    db.execute("DELETE FROM assessments WHERE assessment_id = ?", (acks[0],))
    db.commit()
    db.close()
    with pytest.raises(AssertionError, match="torn"):
        verify(store_path, {acks[1]})
