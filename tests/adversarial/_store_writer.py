"""Writer processes for test_store_crash.py (not a test module: run as a script).

It imports silkcore and scores the demo's evaluation-grid response sets once, then serves as
a fork server, so each writer starts in milliseconds and the test can afford hundreds of
kills. No store connection is ever open in the server: each forked writer opens its own.

Commands on stdin, one per line; replies on stdout:

* ``loop``  - fork a writer that records assessments until it is killed; reply ``child PID``
* ``run N`` - fork a writer that records N assessments and exits; reply ``child PID``
* ``wait``  - reap every writer: ``exit PID STATUS`` for each, then ``waited``
* ``quit``

A writer prints ``ack PID ASSESSMENT_ID`` only after ``Store.record_assessment`` has returned
(the transaction is committed), with one ``os.write`` - atomic on a pipe - so a kill can never
leave half a line. A writer that fails prints ``error PID ...`` and exits with status 3.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any


def writer(store_path: Path, sets: list[Any], card: Any, count: int | None) -> None:
    """Record assessments (forever, or ``count`` of them), acknowledging each after commit."""
    from silkcore._store import Store

    status = 0
    try:
        random.seed()
        with Store(store_path) as store:
            done = 0
            while count is None or done < count:
                assessment_id = store.record_assessment(sets, card)
                os.write(1, f"ack {os.getpid()} {assessment_id}\n".encode())
                done += 1
                if count is None:
                    time.sleep(random.random() * 0.004)  # kills land inside and between transactions
    except BaseException as exc:
        os.write(1, f"error {os.getpid()} {type(exc).__name__}: {exc}"[:400].replace("\n", " ").encode() + b"\n")
        status = 3
    os._exit(status)


def main() -> None:
    store_path, examples = Path(sys.argv[1]), Path(sys.argv[2])
    import silkcore

    catalog = silkcore.build_catalog()
    paths = sorted((examples / "demo" / "response_sets").glob("evaluation-grid-*.json"))
    sets = [silkcore.load_document(p, registry=catalog.schemas) for p in paths]
    card = silkcore.assess("silk.evaluation-grid", sets, catalog=catalog)

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()  # before any fork: a child must not inherit unwritten output

    say("ready")
    children: list[int] = []
    while True:
        command = sys.stdin.readline().split()
        if not command or command[0] == "quit":
            break
        if command[0] in ("loop", "run"):
            pid = os.fork()
            if pid == 0:
                writer(store_path, sets, card, int(command[1]) if command[0] == "run" else None)
            children.append(pid)
            say(f"child {pid}")
        elif command[0] == "wait":
            for pid in children:
                _, status = os.waitpid(pid, 0)
                say(f"exit {pid} {status}")
            children.clear()
            say("waited")


if __name__ == "__main__":
    main()
