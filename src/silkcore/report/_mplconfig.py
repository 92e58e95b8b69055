"""Where matplotlib keeps its font cache when silkcore draws a chart: never the user's home.

Left alone, matplotlib writes ``fontlist-*.json`` into ``~/.cache/matplotlib`` (or
``~/.matplotlib``) the first time it is imported - a trace of a report or a demo run that
nobody asked for. Before a report draws its first chart (every ``silk`` command that draws
goes through :func:`~silkcore.report.write_organisation_report`), :func:`private_config_dir`
points ``MPLCONFIGDIR`` at a folder of this user's own under the temporary directory, unless the
user chose one: the cache is still reused from run to run, and the home stays untouched.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["private_config_dir"]


def private_config_dir() -> str:
    """Set ``MPLCONFIGDIR`` (only if it is unset or empty) and return the folder in use.

    Called before matplotlib is first imported: matplotlib reads the variable once,
    so setting it later would have no effect, and setting it at ``import silkcore`` would
    redirect an embedding application's own matplotlib even when it never draws a report.
    """
    chosen = os.environ.get("MPLCONFIGDIR")
    if chosen or "matplotlib" in sys.modules:
        return chosen or ""
    folder = _own_folder(Path(tempfile.gettempdir()) / f"silkcore-matplotlib-{_user_tag()}")
    os.environ["MPLCONFIGDIR"] = folder
    return folder


def _user_tag() -> str:
    """A name part that differs per user, so users of one machine never share (or poison) a cache."""
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid is not None else "user"


def _own_folder(wanted: Path) -> str:
    """``wanted``, created private to this user; a fresh temporary folder instead when the
    name is taken by something that is not ours (another user's folder, a symbolic link)."""
    try:
        wanted.mkdir(mode=0o700, exist_ok=True)
        found = wanted.lstat()
        getuid = getattr(os, "getuid", None)
        ours = getuid is None or found.st_uid == getuid()
        if stat.S_ISDIR(found.st_mode) and ours and not found.st_mode & 0o022:
            return str(wanted)
    except OSError:  # a read-only temporary directory, a file of that name...: use a fresh one
        pass
    return tempfile.mkdtemp(prefix="silkcore-matplotlib-")
