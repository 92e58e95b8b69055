"""The silkcore error hierarchy.

Every error a user can cause derives from :class:`SilkError`; the CLI turns each into one
clear line and an exit code, never a traceback. Errors about documents carry a list of
:class:`Issue` objects, each locating the problem with an RFC 6901 JSON Pointer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

__all__ = [
    "DataError",
    "DuplicateRegistrationError",
    "Issue",
    "PartialImportError",
    "PluginError",
    "PluginLoadError",
    "SchemaValidationError",
    "ScoringError",
    "SilkError",
    "StoreError",
    "UnknownComponentError",
]


def printable(text: str) -> str:
    """``text`` with any lone UTF-16 surrogate written as its backslash escape (``\\udc00``).

    A hostile document can put a lone surrogate in a key, and a pointer or message quoting
    it could then not be written as UTF-8 (a crash at the very moment of reporting the
    problem). Clean text is returned as it is."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


#: The longest message an :class:`Issue` keeps: a schema message may quote the whole bad
#: value (a 70,000-character description), which helps nobody on a terminal or in a log.
MAX_MESSAGE = 1000


def bounded_message(text: str) -> str:
    """``text`` made printable (see :func:`printable`) and, beyond :data:`MAX_MESSAGE`
    characters, cut in the middle with a note of how much was left out."""
    text = printable(text)
    if len(text) <= MAX_MESSAGE:
        return text
    keep = MAX_MESSAGE // 2
    return f"{text[:keep]} ... ({len(text) - 2 * keep} characters left out) ... {text[-keep:]}"


# C0 (tab and newline included: an error is one line), DEL, C1, lone surrogates, and the
# invisible marks that reorder or break lines on a terminal (bidirectional overrides and
# isolates, line and paragraph separators): text from a document must not drive the
# terminal it is shown on, nor hide what it says.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` safe to show on a terminal or in a log line: control characters (C0, DEL,
    C1, ESC...), lone surrogates and invisible direction marks written as backslash escapes
    (``\\x1b``, ``\\u009b``). Clean text is returned as it is; escaping twice changes nothing."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


@attrs.frozen
class Issue:
    """One problem in one document.

    ``pointer`` is an RFC 6901 JSON Pointer into the document ("" is the whole document),
    ``message`` says what is wrong and what was expected, ``source`` names the file (or
    ``<bytes>``) and ``line`` is set for JSON Lines input and for syntax errors.
    """

    pointer: str = attrs.field(converter=printable)
    message: str = attrs.field(converter=bounded_message)
    #: A file given as a path (an API caller's ``source=Path(...)``) is named by its text.
    source: str | None = attrs.field(default=None, converter=attrs.converters.optional(str))
    line: int | None = None
    column: int | None = None

    def located(self, source: str | None = None, line: int | None = None) -> Issue:
        """Return a copy that also names the file and/or line it was found in."""
        return attrs.evolve(
            self,
            source=self.source if source is None else source,
            line=self.line if line is None else line,
        )

    def __str__(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        pointer = self.pointer if self.pointer else "(document root)"
        # Escaped only here, for people: ``pointer`` and ``message`` keep the data as it is
        # (JSON output escapes it by itself).
        return terminal_text(f"{where}: at {pointer}: {self.message}")


class SilkError(Exception):
    """Root of every error silkcore raises on purpose. Catch this to handle them all.

    ``str(error)`` is one line safe for a terminal (see :func:`terminal_text`): a message
    may quote text from a document."""

    def __str__(self) -> str:
        return terminal_text(super().__str__())

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword-only or structured arguments, which Exception's own pickling
        # (``cls(*args)``) cannot replay; a worker process's error must reach its parent whole.
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(cls: type[SilkError], args: tuple[Any, ...], state: dict[str, Any]) -> SilkError:
    """A :class:`SilkError` as pickled by :meth:`SilkError.__reduce__`."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class PluginError(SilkError):
    """A plugin misbehaved: it raised in a hook, returned garbage or broke a rule.

    The named plugin is the culprit; disable it with ``SILKCORE_DISABLE_PLUGINS=name`` and
    report the problem to its authors.
    """

    def __init__(self, message: str, *, plugin_name: str | None = None, hook_name: str | None = None) -> None:
        super().__init__(message)
        self.plugin_name = plugin_name
        self.hook_name = hook_name


class PluginLoadError(PluginError, ImportError):
    """A plugin's entry point could not be imported. Reinstall or disable that plugin."""

    def __init__(self, message: str, *, plugin_name: str, distribution: str | None = None) -> None:
        PluginError.__init__(self, message, plugin_name=plugin_name)
        self.distribution = distribution


class DuplicateRegistrationError(PluginError):
    """Two plugins registered the same id for the same kind of component.

    silkcore never lets one plugin silently override another: uninstall or disable one.
    """

    def __init__(self, kind: str, component_id: str, first: str, second: str) -> None:
        super().__init__(
            f"{kind} id {component_id!r} is registered by both {first!r} and {second!r}",
            plugin_name=second,
        )
        self.kind = kind
        self.id = component_id
        self.first = first
        self.second = second


class UnknownComponentError(SilkError, LookupError):
    """A framework, schema, exporter or other component was asked for by an id no plugin registered.

    Check the spelling against ``silk frameworks`` / ``silk plugins``, or install the plugin.
    """

    def __init__(self, kind: str, component_id: str, available: Iterable[str] = ()) -> None:
        names = sorted(available)
        hint = f"; available: {', '.join(names)}" if names else ""
        super().__init__(f"unknown {kind} {component_id!r}{hint}")
        self.kind = kind
        self.id = component_id
        self.available = tuple(names)


class _IssuesError(SilkError, ValueError):
    def __init__(self, issues: Sequence[Issue], summary: str | None = None) -> None:
        self.errors: tuple[Issue, ...] = tuple(issues)
        first = str(self.errors[0]) if self.errors else "invalid input"
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(summary or first + more)


class SchemaValidationError(_IssuesError):
    """A document does not match its JSON Schema. ``.errors`` lists each issue with its JSON Pointer."""


class DataError(_IssuesError):
    """Input could not be read as a silkcore document: bad JSON, a limit exceeded, or a value
    of the wrong type. ``.errors`` lists each issue with its JSON Pointer and, where known, line."""


class PartialImportError(DataError):
    """Some records of an import could not be read; ``.documents`` holds those that could,
    ``.errors`` says (with line and column or pointer) what was wrong with the others."""

    def __init__(self, documents: Sequence[Any], issues: Sequence[Issue]) -> None:
        super().__init__(issues)
        self.documents = list(documents)


class ScoringError(SilkError):
    """A response set cannot be scored against a framework (wrong framework, unknown item,
    an answer that is not one of the item's options). Fix the response set; ``.errors``
    lists each issue with its JSON Pointer into the response set when there are any."""

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[Issue, ...] = tuple(issues)


class StoreError(SilkError):
    """The history store cannot be opened or written. The file is left untouched."""
