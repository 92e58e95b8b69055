"""Output files: checked before any work, then written whole or not at all.

Every command that writes a file calls :func:`check_output` first, so a missing directory,
a path that is a directory, or an output that is one of the command's own inputs is a
one-line error before any work is done (not a traceback after it). The file itself is
written through :func:`atomic_output` (or :func:`write_output`, or :func:`atomic_path` for
code that wants a path): into a temporary file in the same directory, flushed to disk, and
renamed over the target only once complete. An interrupted command therefore leaves the
previous file (or no file), never half a file.

``-`` names standard output. An existing output that is not a regular file (``/dev/null``,
a named pipe, a terminal) is written directly: it cannot be replaced by a rename.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from ._errors import DataError, Issue

__all__ = ["OutputError", "atomic_output", "atomic_path", "check_output", "write_output"]

PathLike = str | os.PathLike[str]

# Write errors that are about the output, whatever code was writing when they happened.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


class OutputError(DataError):
    """An output path cannot be written: its directory is missing or not writable, it is a
    directory, it is one of the command's inputs, or the disk refused the data. The one
    :class:`~silkcore._errors.Issue` names the path; nothing was written there."""


def _error(path: PathLike, message: str) -> OutputError:
    return OutputError([Issue("", message, os.fspath(path))])


def _is_stdout(path: PathLike) -> bool:
    return os.fspath(path) == "-"


def _stat(path: PathLike, shown: PathLike) -> os.stat_result | None:
    """``os.stat`` (following links), None when nothing is there, an OutputError otherwise."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise _error(shown, "a component of the path is a file, not a directory") from None
    except (OSError, ValueError) as exc:  # ValueError: an embedded NUL character
        raise _error(shown, f"cannot use this path: {getattr(exc, 'strerror', None) or exc}") from None


def _same(first: PathLike, second: PathLike) -> bool:
    """Whether two paths name the same file: the same inode when both exist (hard links and
    symbolic links included), else the same resolved path."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        try:
            return os.path.realpath(first) == os.path.realpath(second)
        except (OSError, ValueError):
            return False


def _is_stdin_of(target: os.stat_result | None) -> bool:
    """Whether standard input is redirected from the file ``target`` (``cmd - -o F < F``)."""
    if target is None:
        return False
    try:
        mine = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):  # no stdin, or one without a descriptor
        return False
    return stat.S_ISREG(mine.st_mode) and (mine.st_dev, mine.st_ino) == (target.st_dev, target.st_ino)


def _check_directory(directory: Path, shown: PathLike, what: str) -> None:
    found = _stat(directory, shown)
    if found is None:
        raise _error(shown, f"the {what} {directory} does not exist")
    if not stat.S_ISDIR(found.st_mode):
        raise _error(shown, f"the {what} {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _error(shown, f"no permission to write in the {what} {directory}")


def check_output(path: PathLike, *, inputs: Iterable[PathLike | None] = (), directory: bool = False) -> Path:
    """Check, before any work, that ``path`` can be written; returns it as a :class:`Path`.

    For a file (the default): its directory exists and is writable, the path is not a
    directory, and it is not the same file as any of ``inputs`` (compared by inode, so hard
    and symbolic links count; an input ``-`` is standard input, which counts when it is
    redirected from that file). With ``directory=True`` the output is a folder the command
    fills: it exists and is writable, or its parent does. ``-`` (standard output) is always
    fine. Raises :class:`OutputError` (a :class:`~silkcore._errors.DataError`, exit 1) with
    one line naming the path.
    """
    if _is_stdout(path):
        return Path("-")
    given = Path(path)
    found = _stat(given, path)
    if directory:
        if found is not None:
            if not stat.S_ISDIR(found.st_mode):
                raise _error(path, "exists and is not a directory")
            _check_directory(given, path, "output directory")
        else:
            _check_directory(_parent(given), path, "directory")
    else:
        if found is not None and stat.S_ISDIR(found.st_mode):
            raise _error(path, "is a directory; give a file name")
        _check_directory(_parent(given), path, "directory")
        if found is not None and stat.S_ISREG(found.st_mode) and not os.access(given, os.W_OK):
            raise _error(path, "the file is read-only")
    for source in inputs:
        if source is None:
            continue
        if _is_stdout(source):
            if _is_stdin_of(found):
                raise _error(path, "this output is also the command's input (standard input): writing it would destroy it")
        elif _same(given, source):
            raise _error(path, f"this output is also an input of the command ({os.fspath(source)}): writing it would destroy it")
    return given


def _parent(path: Path) -> Path:
    """The directory a file at ``path`` lives in (through a symbolic link, its target's)."""
    if path.is_symlink():
        return Path(os.path.realpath(path)).parent
    return path.parent


def _umask() -> int:
    try:  # Linux says it without changing it (no window for other threads)
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable (best effort: not every platform or filesystem allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Plan:
    """Where an output really goes: a temporary file next to it, or (for a device or pipe)
    straight into it."""

    def __init__(self, path: PathLike) -> None:
        self.shown = path
        self.target = Path(os.path.realpath(path))  # a symbolic link's target is replaced, not the link
        found = _stat(self.target, path)
        if found is not None and stat.S_ISDIR(found.st_mode):
            raise _error(path, "is a directory; give a file name")
        self.direct = found is not None and not stat.S_ISREG(found.st_mode)
        self.mode = stat.S_IMODE(found.st_mode) if found is not None else 0o666 & ~_umask()

    def temporary(self, suffix: str = ".tmp") -> tuple[int, Path]:
        try:
            fd, name = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name[:100]}.", suffix=suffix)
        except FileNotFoundError:
            raise _error(self.shown, f"the directory {self.target.parent} does not exist") from None
        except OSError as exc:
            raise _error(self.shown, f"cannot write in {self.target.parent}: {exc.strerror or exc}") from None
        with contextlib.suppress(OSError):  # else the temporary file's own mode (0600): a safe fallback
            os.fchmod(fd, self.mode)
        return fd, Path(name)

    def commit(self, temporary: Path) -> None:
        try:
            os.replace(temporary, self.target)
        except OSError as exc:
            raise _error(self.shown, f"cannot replace the file: {exc.strerror or exc}") from None
        _fsync_directory(self.target.parent)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _output_failure(path: PathLike, exc: OSError) -> OutputError:
    return _error(path, f"cannot write the file: {exc.strerror or exc}")


#: The write buffer of a file written whole before it is renamed into place.
_FILE_BUFFER = 1 << 20


@contextlib.contextmanager
def atomic_output(
    path: PathLike, mode: Literal["w", "wb"] = "w", *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """A file object whose contents replace ``path`` only when the ``with`` block succeeds.

    The data goes to a temporary file in the same directory; on success it is flushed,
    ``fsync``-ed and renamed over ``path`` (keeping an existing file's permissions). If the
    block raises, the temporary file is removed and ``path`` is untouched. A full disk or a
    refused rename is an :class:`OutputError`. ``-`` is standard output; an existing device
    or pipe is written directly. Call :func:`check_output` first to fail before the work.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_output writes with mode 'w' or 'wb', not {mode!r}")
    if _is_stdout(path):
        stream: IO[Any] = sys.stdout if mode == "w" else sys.stdout.buffer
        yield stream
        stream.flush()
        return
    plan = _Plan(path)
    if plan.direct:
        try:
            handle = open(plan.target, mode, encoding=encoding if mode == "w" else None, newline=newline)  # noqa: SIM115
        except OSError as exc:
            raise _output_failure(path, exc) from None
        with handle:
            yield handle
        return
    fd, temporary = plan.temporary()
    done = False
    try:
        # A file written whole and renamed at the end: nobody reads it meanwhile, so a large
        # buffer costs no latency and saves a system call per score card (each bigger than 8 KiB).
        if mode == "w":
            handle = os.fdopen(fd, mode, encoding=encoding, newline=newline, buffering=_FILE_BUFFER)
        else:
            handle = os.fdopen(fd, "wb", buffering=_FILE_BUFFER)
    except BaseException:
        os.close(fd)
        _remove(temporary)
        raise
    try:
        try:
            yield handle
        except OSError as exc:
            if exc.errno in _OUTPUT_ERRNOS:
                raise _output_failure(path, exc) from None
            raise
        try:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        except OSError as exc:
            raise _output_failure(path, exc) from None
        plan.commit(temporary)
        done = True
    finally:
        if not done:
            with contextlib.suppress(OSError):
                handle.close()  # what it still buffers goes to the file about to be removed
            _remove(temporary)


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """A temporary path (same directory, same suffix) to hand to code that writes by path;
    renamed over ``path`` when the ``with`` block succeeds, removed when it raises.

    For functions such as ``write_organisation_report(..., output)`` that open the file
    themselves; the suffix is kept because such code often picks the format by it."""
    if _is_stdout(path):
        raise _error(path, "this output must be a file")
    plan = _Plan(path)
    if plan.direct:
        yield plan.target
        return
    fd, temporary = plan.temporary(suffix=f".tmp{plan.target.suffix}")
    os.close(fd)
    done = False
    try:
        yield temporary
        try:
            fd = os.open(temporary, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(temporary, plan.mode)  # the writer may have replaced the file
        except FileNotFoundError:
            raise _error(path, "the file was not written") from None
        except OSError as exc:
            raise _output_failure(path, exc) from None
        plan.commit(temporary)
        done = True
    except OSError as exc:
        if exc.errno in _OUTPUT_ERRNOS:
            raise _output_failure(path, exc) from None
        raise
    finally:
        if not done:
            _remove(temporary)


def write_output(path: PathLike, data: str | bytes, inputs: Iterable[PathLike | None] = ()) -> Path:
    """Check ``path`` (see :func:`check_output`) and write ``data`` to it atomically (text as
    UTF-8, written as given). Returns the path."""
    target = check_output(path, inputs=inputs)
    if isinstance(data, bytes):
        with atomic_output(path, "wb") as binary:
            binary.write(data)
    else:
        with atomic_output(path, "w", newline="") as text:
            text.write(data)
    return target
