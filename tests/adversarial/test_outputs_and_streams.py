"""Output paths and streams (issue 15, items 6 and 7).

Every output (``-o``, ``--summary``, ``--store``) is checked before any work: a missing
folder is one line and exit 1 (exit 5 for a store), never a traceback; an output that is
the command's own input is refused and the input left as it was; files are written whole or
not at all. A damaged gzip input is one line naming the file and the byte offset reached; a
worker that dies is reported with the lines it held, after the count line; and no worker
outlives a killed ``silk batch``.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from silkcore import DataError, Issue, StoreError, atomic_output, check_output, write_output
from silkcore._batch import BatchError, LineProcessor, run_batch
from silkcore._outputs import OutputError, atomic_path
from silkcore._store import Store, check_store_path, default_store_path

from ..conftest import EXAMPLES, GUARD, ROOT, run_silk

FLOW = json.dumps(json.loads((EXAMPLES / "documents" / "flow-cotton-import.json").read_text()))
RESPONSES = EXAMPLES / "response_sets" / "evaluation-grid-mondragon-retrospective.json"
DEMO = EXAMPLES / "demo"
COUNT_LINE = re.compile(r"^(\d+) line\(s\): (\d+) ok, (\d+) failed$", re.MULTILINE)


def flows(path: Path, count: int) -> Path:
    path.write_text((FLOW + "\n") * count, encoding="utf-8")
    return path


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(("error:", "Error:"))]


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], code: int, *, naming: str) -> None:
    """Exit ``code``, one line on stderr naming ``naming``, no traceback, nothing on stdout."""
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert naming in lines[0], lines
    assert result.stdout == "", result.stdout[-2000:]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- check_output ------------------------------------------------------------------------


def test_a_missing_folder_is_one_clear_line_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.json"
    with pytest.raises(OutputError) as caught:
        check_output(target)
    assert isinstance(caught.value, DataError)  # exit 1 in the CLI
    [issue] = caught.value.errors
    assert issue.source == str(target)
    assert str(tmp_path / "missing") in issue.message and "does not exist" in issue.message
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "missing").exists()


def test_a_directory_or_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        check_output(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="not a directory"):
        check_output(tmp_path / "file" / "out.json")
    with pytest.raises(OutputError, match="not a directory"):
        check_output(tmp_path / "file", directory=True)
    with pytest.raises(OutputError, match="does not exist"):
        check_output(tmp_path / "a" / "b", directory=True)
    assert check_output(tmp_path / "new-folder", directory=True) == tmp_path / "new-folder"
    assert check_output(tmp_path, directory=True) == tmp_path
    assert check_output("-") == Path("-")
    assert not (tmp_path / "new-folder").exists()  # checking creates nothing


def test_an_output_that_is_an_input_is_refused_by_any_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = flows(tmp_path / "in.jsonl", 3)
    (tmp_path / "link.jsonl").symlink_to(source)
    os.link(source, tmp_path / "hard.jsonl")
    monkeypatch.chdir(tmp_path)
    for name in (source, "in.jsonl", "./sub/../in.jsonl", tmp_path / "link.jsonl", tmp_path / "hard.jsonl"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(OutputError, match="also an input"):
            check_output(name, inputs=["other.jsonl", source])
    # an output that does not exist yet is compared by its resolved path: --summary = -o
    with pytest.raises(OutputError, match="also an input"):
        check_output(tmp_path / "out.jsonl", inputs=[source, "sub/../out.jsonl"])
    assert check_output(tmp_path / "out.jsonl", inputs=[source, None, "-"]) == tmp_path / "out.jsonl"


def test_standard_input_redirected_from_the_output_is_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = flows(tmp_path / "in.jsonl", 3)
    with source.open("rb") as handle:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(handle))
        with pytest.raises(OutputError, match="standard input"):
            check_output(source, inputs=["-"])
        assert check_output(tmp_path / "other.jsonl", inputs=["-"])


# --- atomic writes -----------------------------------------------------------------------


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("the previous results\n")
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write("half of the new results" * 10_000)
        handle.flush()
        assert target.read_text() == "the previous results\n"  # nothing shows before the end
        raise RuntimeError("interrupted")
    assert target.read_text() == "the previous results\n"
    assert files_in(tmp_path) == ["out.jsonl"]
    with pytest.raises(KeyboardInterrupt), atomic_output(tmp_path / "new.json", "wb") as binary:
        binary.write(b"half")
        raise KeyboardInterrupt
    assert files_in(tmp_path) == ["out.jsonl"]  # no new file, no temporary file


def test_a_successful_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    target.chmod(0o640)
    with atomic_output(target) as handle:
        handle.write("new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file's permissions are kept
    fresh = write_output(tmp_path / "fresh.bin", b"\x00\x01")
    assert fresh.read_bytes() == b"\x00\x01"
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~mask  # as an ordinary new file, not 0600
    assert files_in(tmp_path) == ["fresh.bin", "out.jsonl"]


def test_a_symbolic_link_keeps_pointing_at_the_rewritten_file(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_output(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_device_is_written_directly_never_replaced() -> None:
    with atomic_output("/dev/null") as handle:
        handle.write("discarded\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    write_output("/dev/null", b"discarded")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_disk_is_an_output_error_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="No space left"), atomic_output(tmp_path / "out.json") as handle:
        handle.write("x")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert files_in(tmp_path) == []


def test_atomic_path_keeps_the_suffix_and_renames_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    with atomic_path(target) as partial:
        assert partial.parent == tmp_path and partial.suffix == ".md" and partial != target
        partial.write_text("# report\n")
        assert not target.exists()
    assert target.read_text() == "# report\n"
    with pytest.raises(ValueError), atomic_path(target) as partial:
        partial.write_text("# half")
        raise ValueError("a section failed")
    assert target.read_text() == "# report\n" and files_in(tmp_path) == ["report.md"]


def test_write_output_refuses_its_input_and_leaves_it(tmp_path: Path) -> None:
    source = flows(tmp_path / "in.jsonl", 3)
    before = source.read_bytes()
    with pytest.raises(OutputError):
        write_output(source, "", inputs=[source])
    assert source.read_bytes() == before


# --- the store ---------------------------------------------------------------------------


def test_a_store_in_a_missing_folder_is_a_store_error_and_creates_nothing(tmp_path: Path) -> None:
    for path in (tmp_path / "a" / "b" / "h.sqlite", Path(f"/silkcore-test-{uuid.uuid4().hex}") / "h.sqlite"):
        with pytest.raises(StoreError, match="does not exist") as caught:
            Store(path)
        assert "\n" not in str(caught.value)
        assert not path.parent.exists()
    with pytest.raises(StoreError, match="is a directory"):
        check_store_path(tmp_path)


def test_the_default_data_directory_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SILKCORE_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg" / "share"))
    path = default_store_path()
    assert path == tmp_path / "xdg" / "share" / "silkcore" / "history.sqlite"
    with Store(path) as store:
        assert store.integrity() == "ok"
    assert path.is_file()


# --- gzip and other damaged inputs -------------------------------------------------------


def damaged_gzip(tmp_path: Path, how: str) -> Path:
    packed = gzip.compress((FLOW + "\n").encode() * 3000)
    if how == "truncated":
        data = packed[: len(packed) // 2]
    elif how == "corrupt":
        data = packed[:10] + b"\xff" + packed[11:]  # an invalid deflate block type
    else:  # "trailing": a valid member, then bytes that are not gzip
        data = packed + b"not gzip at all"
    path = tmp_path / f"{how}.jsonl.gz"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("how", ["truncated", "corrupt", "trailing"])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_damaged_gzip_stops_the_batch_with_the_offset_and_the_counts(tmp_path: Path, how: str, workers: int) -> None:
    source = damaged_gzip(tmp_path, how)
    output = io.StringIO()
    with pytest.raises(BatchError) as caught:
        run_batch("validate", str(source), output, workers=workers)
    [issue] = caught.value.errors
    assert issue.source == str(source)
    assert re.search(r"at byte \d+ of the compressed file", issue.message), issue.message
    assert "\n" not in str(caught.value)
    counts = caught.value.counts
    written = [json.loads(line)["line"] for line in output.getvalue().splitlines()]
    assert written == list(range(1, counts.lines + 1))  # every line before the damage, in order
    if how == "trailing":
        assert counts.lines == counts.ok == 3000
    if how == "corrupt":
        assert counts.lines == 0 and "before the first line" in issue.message


def test_a_damaged_gzip_on_standard_input_is_named_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = damaged_gzip(tmp_path, "truncated").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))  # type: ignore[arg-type]
    with pytest.raises(BatchError, match=r"<stdin>: .*truncated.*at byte \d+"):
        run_batch("validate", "-", io.StringIO())


def test_an_unreadable_source_is_a_data_error(tmp_path: Path) -> None:
    for source, reason in ((tmp_path / "missing.jsonl", "No such file"), (tmp_path, "directory")):
        with pytest.raises(DataError, match=reason) as caught:
            run_batch("validate", str(source), io.StringIO())
        assert not isinstance(caught.value, BatchError) and caught.value.errors[0].source == str(source)


# --- a worker that dies ------------------------------------------------------------------


def dying_at(line: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes (forked from this one) die abruptly on ``line``."""
    original = LineProcessor.process

    def process(self: LineProcessor, number: int, document: object) -> dict[str, object]:
        if number == line and os.getpid() != PARENT:
            os._exit(9)
        return original(self, number, document)

    monkeypatch.setattr(LineProcessor, "process", process)


PARENT = os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="the worker inherits the patch through fork")
def test_a_dead_worker_is_reported_with_the_lines_it_held(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dying_at(5500, monkeypatch)
    source = flows(tmp_path / "in.jsonl", 9000)
    output = io.StringIO()
    with pytest.raises(BatchError) as caught:
        run_batch("validate", str(source), output, workers=2)
    assert caught.value.held == (4001, 6000)
    message = str(caught.value)
    assert "worker process died while it held lines 4001-6000" in message and "\n" not in message
    counts = caught.value.counts
    written = [json.loads(line)["line"] for line in output.getvalue().splitlines()]
    assert written == list(range(1, counts.lines + 1)) and counts.lines <= 4000
    assert f"no results from line {counts.lines + 1} on" in message


@pytest.mark.skipif(sys.platform != "linux", reason="the worker inherits the patch through fork")
def test_an_error_raised_in_a_worker_reaches_the_caller_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a dead worker: the same error, with its issues, as with one worker."""

    def process(self: LineProcessor, number: int, document: object) -> dict[str, object]:
        raise DataError([Issue("/kind", "refused by a plugin", "x.jsonl", number)])

    monkeypatch.setattr(LineProcessor, "process", process)
    source = flows(tmp_path / "in.jsonl", 10)
    errors = []
    for workers in (1, 2):
        with pytest.raises(DataError) as caught:
            run_batch("validate", str(source), io.StringIO(), workers=workers)
        assert type(caught.value) is DataError
        errors.append(caught.value.errors)
    assert errors[0] == errors[1] == (Issue("/kind", "refused by a plugin", "x.jsonl", 1),)


# --- the silk command --------------------------------------------------------------------

MISSING = "/silkcore-no-such-folder"

# Each command that writes, with an output in a folder that does not exist.
# "lead" marks the commands whose check lives in the CLI (src/silkcore/_cli/).
WRITERS = {
    "assess -o": ["assess", "-f", "silk.evaluation-grid", str(RESPONSES), "-o", f"{MISSING}/card.json"],
    "export -o": ["export", "--format", "mermaid", "silk.flowchart", "-o", f"{MISSING}/chart.mmd"],
    "import -o": ["import", "--format", "flows-csv", str(EXAMPLES / "flows" / "tejidos-solidarios-flows.csv"), "-o",
                  f"{MISSING}/flows.jsonl"],
    "report -o": ["report", str(DEMO / "organisation.json"), str(DEMO / "flows.jsonl"), "-o", f"{MISSING}/report.html"],
    "guide -o": ["guide", "--answers", str(DEMO / "response_sets" / "flowchart-management.json"), "-o",
                 f"{MISSING}/answers.json"],
    "demo -o": ["demo", "-o", f"{MISSING}/sub/demo"],
    "batch validate -o": ["batch", "validate", "{flows}", "-o", f"{MISSING}/results.jsonl"],
    "batch score -o": ["batch", "score", "{flows}", "-o", f"{MISSING}/results.jsonl"],
    "batch score --summary": ["batch", "score", "{flows}", "-o", "{tmp}/results.jsonl", "--summary", f"{MISSING}/s.json"],
    "policy brief -o": ["policy", "brief", "--jurisdiction", "Region", *map(str, sorted((EXAMPLES / "network" /
                        "response_sets").glob("*.json"))), "-o", f"{MISSING}/brief.md"],
}  # fmt: skip


def fill(args: list[str], tmp_path: Path) -> list[str]:
    source = tmp_path / "flows.jsonl"
    if "{flows}" in args and not source.exists():
        flows(source, 50)
    return [a.replace("{flows}", str(source)).replace("{tmp}", str(tmp_path)) for a in args]


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_output_into_a_missing_folder_is_one_line_and_exit_1(name: str, tmp_path: Path) -> None:
    result = run_silk(*fill(WRITERS[name], tmp_path))
    assert_one_line_refusal(result, 1, naming=MISSING)
    assert not Path(MISSING).exists()
    assert files_in(tmp_path) == (["flows.jsonl"] if "batch" in name else [])  # no work was done


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "-f", "silk.evaluation-grid", str(RESPONSES), "--store", f"{MISSING}/h.sqlite"],
        ["history", "urn:x:org", "--store", f"{MISSING}/h.sqlite"],
        ["demo", "-o", "{tmp}/demo", "--store", f"{MISSING}/h.sqlite"],
        ["report", str(DEMO / "organisation.json"), "-o", "{tmp}/r.html", "--store", f"{MISSING}/h.sqlite"],
    ],
    ids=["assess", "history", "demo", "report"],
)
def test_a_store_in_a_missing_folder_is_one_line_and_exit_5(args: list[str], tmp_path: Path) -> None:
    result = run_silk(*fill(args, tmp_path))
    assert_one_line_refusal(result, 5, naming=MISSING)
    assert not Path(MISSING).exists()
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("task", ["validate", "score"])
def test_batch_into_its_own_input_is_refused_and_the_input_is_unchanged(task: str, tmp_path: Path) -> None:
    source = flows(tmp_path / "in.jsonl", 50)
    before = source.read_bytes()
    for output in (source, tmp_path / "link.jsonl"):
        if output.name == "link.jsonl":
            output.symlink_to(source)
        result = run_silk("batch", task, str(source), "-o", str(output))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and len(error_lines(result.stderr)) == 1, result.stderr
        assert source.read_bytes() == before
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(GUARD), os.environ.get("PYTHONPATH", "")])))
    with source.open("rb") as stdin:  # silk batch validate - -o in.jsonl < in.jsonl
        result = subprocess.run(
            [sys.executable, "-m", "silkcore", "batch", task, "-", "-o", str(source)],
            stdin=stdin, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
        )  # fmt: skip
    assert result.returncode == 1 and "standard input" in result.stderr, result.stderr
    assert source.read_bytes() == before


def test_batch_output_and_summary_must_differ(tmp_path: Path) -> None:
    source = flows(tmp_path / "in.jsonl", 5)
    out = tmp_path / "out.jsonl"
    result = run_silk("batch", "score", str(source), "-o", str(out), "--summary", str(out))
    assert result.returncode == 1 and len(error_lines(result.stderr)) == 1, result.stderr
    assert not out.exists()


@pytest.mark.parametrize("how", ["truncated", "corrupt"])
def test_a_damaged_gzip_is_exit_1_with_one_error_line_naming_the_offset(how: str, tmp_path: Path) -> None:
    source = damaged_gzip(tmp_path, how)
    out = tmp_path / "out.jsonl"
    result = run_silk("batch", "validate", str(source), "-o", str(out))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Aborted" not in result.stderr
    [line] = error_lines(result.stderr)
    assert str(source) in line and re.search(r"at byte \d+", line), line
    assert COUNT_LINE.search(result.stderr), result.stderr
    assert not out.exists()  # the results of a batch that did not finish are not left as a file


def silk_patched(prelude: str, *args: str, **popen: object) -> subprocess.Popen[bytes]:
    """``silk`` in a subprocess that first runs ``prelude`` (a monkeypatch the forked
    workers inherit); the network guard stays on."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH", "")]))
    code = f"import sys\n{prelude}\nfrom silkcore._cli import main\nraise SystemExit(main(sys.argv[1:]))\n"
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, **popen)  # type: ignore[call-overload]


DIE_AT_5500 = """
import os
import silkcore._batch as batch
_parent, _original = os.getpid(), batch.LineProcessor.process
def _process(self, number, document):
    if number == 5500 and os.getpid() != _parent:
        os._exit(9)
    return _original(self, number, document)
batch.LineProcessor.process = _process
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the worker inherits the patch through fork")
@pytest.mark.parametrize("to_file", [True, False], ids=["file", "stdout"])
def test_a_dead_worker_gives_the_count_line_the_lines_it_held_and_a_failing_exit(to_file: bool, tmp_path: Path) -> None:
    source = flows(tmp_path / "in.jsonl", 9000)
    out = tmp_path / "out.jsonl"
    args = ["batch", "validate", str(source), "--workers", "2", *(["-o", str(out)] if to_file else [])]
    process = silk_patched(DIE_AT_5500, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = (part.decode() for part in process.communicate(timeout=300))
    assert process.returncode in (1, 3), stderr
    assert "Traceback" not in stderr and "BrokenProcessPool" not in stderr, stderr
    [line] = error_lines(stderr)
    assert "worker process died while it held lines 4001-6000" in line, line
    counted = COUNT_LINE.search(stderr)
    assert counted is not None, stderr
    if to_file:
        assert not out.exists()
    else:
        written = [json.loads(record)["line"] for record in stdout.splitlines()]
        assert written == list(range(1, int(counted.group(1)) + 1))


# --- no worker outlives its parent -------------------------------------------------------


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                text = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper is dead: it runs no code and holds no memory)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] not in "ZX"


def poll(condition: object, attempts: int = 1200) -> bool:
    for _ in range(attempts):  # bounded: a hang fails the test instead of blocking the suite
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def started() -> Iterator[list[int]]:
    """Pids this test started; any still alive at the end are killed."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


NO_PRCTL = """
import types
import silkcore._batch_pool as pool
def _no_libc(*args, **kwargs):
    raise OSError("no prctl here")
pool.ctypes = types.SimpleNamespace(CDLL=_no_libc)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
@pytest.mark.parametrize("prelude", ["", NO_PRCTL], ids=["pdeathsig", "watching-thread"])
def test_workers_die_with_a_killed_parent(prelude: str, started: list[int]) -> None:
    parent = silk_patched(
        prelude, "batch", "validate", "-", "--workers", "2",
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started.append(parent.pid)
    assert parent.stdin is not None
    parent.stdin.write((FLOW + "\n").encode() * 2500)  # a full chunk: the pool starts; stdin stays open
    parent.stdin.flush()
    assert poll(lambda: len(children_of(parent.pid)) >= 2), "the workers never started"
    workers = children_of(parent.pid)
    started.extend(workers)
    assert all(alive(pid) for pid in workers)
    parent.kill()
    parent.wait(timeout=60)
    parent.stdin.close()
    assert poll(lambda: not any(alive(pid) for pid in workers)), [pid for pid in workers if alive(pid)]
