"""The data files a plugin ships (its frameworks, catalogues, grids), read through a compiled
form when one ships beside them.

silkcore's strict YAML reader is libyaml's parser under Python constructors: the Tool 2 grid
(110 KB) takes 15-25 ms to read, and a command that needs it reads it at every start. So a
plugin can ship, beside ``grid.yaml``, ``grid.yaml.compiled``: the value the strict
reader gives for that file, as JSON, with the SHA-256 of the bytes it was read from and the
version of the reader that read them (:func:`compile_plugin_data` writes it; ``make
compiled-data`` does it for the built-in plugins). :func:`read_plugin_data` then reads the
JSON in C, after checking that it is current:

* the file's bytes have that hash (an edited file is read from itself, never from a stale form);
* the reader version is this silkcore's (one whose reading could differ is not trusted).

Otherwise, or if the compiled form cannot be read, the file is read as always: the value is
the same either way (the test suite holds every compiled form shipped to its file). This is
only for files a plugin ships, trusted as its code is; a document a user gives is always read
from itself, since a file beside it could say anything.

A plugin's data is read under the built-in input limits (:data:`PLUGIN_DATA_LIMITS`), whatever
``SILKCORE_MAX_*`` says: those variables bound what users and peers send, and an operator who
tightens them for a node must not lose the SILK grid (110 KB, nested eight levels) with them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from ._documents import parse_bytes, read_source
from ._jsonio import Limits, dumps_line_bytes

__all__ = ["COMPILED_SUFFIX", "PLUGIN_DATA_LIMITS", "compile_plugin_data", "compiled_path", "read_plugin_data"]

#: The limits a plugin's own data files are read under: the built-in ones, never the
#: environment's (see this module), so also those its compiled forms were read under.
PLUGIN_DATA_LIMITS = Limits()

#: Added to a data file's name to name its compiled form (JSON, but not named ``.json``: a
#: plugin that reads every ``*.json`` of a folder must not read it as one of its documents).
COMPILED_SUFFIX = ".compiled"

#: The version of the strict reader's results a compiled form records. Raise it whenever a
#: change to the reader could give another value for the same bytes: every compiled form made
#: before is then ignored (and ``make compiled-data`` makes them again).
READER_VERSION = 1

_UNREAD = object()


def compiled_path(path: str | Path) -> Path:
    """Where the compiled form of the data file ``path`` is kept: beside it."""
    source = Path(path)
    return source.with_name(source.name + COMPILED_SUFFIX)


def read_plugin_data(path: str | Path) -> Any:
    """The value of a data file a plugin ships (YAML, or JSON), as :func:`silkcore.parse_yaml`
    (or the strict JSON reader) gives it: from its compiled form when that is current (see
    this module), else read from the file itself.

    :raises DataError: when the file cannot be read or is not valid, naming it.
    """
    source = Path(path)
    data, name = read_source(source, PLUGIN_DATA_LIMITS)
    value = _compiled_value(source, data)
    if value is not _UNREAD:
        return value
    return parse_bytes(data, name, PLUGIN_DATA_LIMITS)


def compile_plugin_data(path: str | Path) -> Path:
    """Read the data file ``path`` with the strict reader and write its compiled form beside
    it (replacing any); returns the compiled form's path. A plugin's build runs this for each
    data file it ships, and ships what it writes.

    :raises DataError: when the file is not valid (nothing is written then).
    :raises OutputError: when the compiled form cannot be written.
    """
    source = Path(path)
    data, name = read_source(source, PLUGIN_DATA_LIMITS)
    value = parse_bytes(data, name, PLUGIN_DATA_LIMITS)
    record = {"compiled_from": source.name, "sha256": _digest(data), "reader": READER_VERSION, "value": value}
    written = dumps_line_bytes(record)
    # Read back, it must write the same bytes: every value, and its type (1 is not 1.0 nor
    # true, which == would take as equal), survives JSON - proven for each file, not assumed.
    if dumps_line_bytes(orjson.loads(written)) != written:
        raise ValueError(f"{name}: its value does not survive JSON")
    from ._outputs import atomic_output  # a build step's need, not a start-up's

    target = compiled_path(source)
    with atomic_output(target, "wb") as out:  # a reader meanwhile finds the old form or the new, never half of one
        out.write(written)
    return target


def _compiled_value(source: Path, data: bytes) -> Any:
    """The value the compiled form of ``source`` records for ``data``, or ``_UNREAD``."""
    try:
        record = orjson.loads(compiled_path(source).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return _UNREAD
    if (
        type(record) is not dict
        or record.get("reader") != READER_VERSION
        or record.get("sha256") != _digest(data)
        or "value" not in record
    ):
        return _UNREAD
    return record["value"]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
