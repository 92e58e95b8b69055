"""Reading the docs' examples: the shell commands and Python snippets of a Markdown page, with
the output the page shows for each, and the comparison of a shown output with a real one.

A page shows code in fenced blocks:

- ``console``: ``$ COMMAND`` lines (``\\`` continues a line), each followed by the output shown
  for it up to the next ``$``; a ``$ python`` followed by ``>>>`` lines is a Python session;
- ``sh``: one command a line (``\\`` continues it), no output shown, or the output in a
  ``text`` block that follows the ``sh`` block directly;
- ``python``: a snippet, its output in a ``text`` block that follows it directly, or in
  ``# ...`` comments after a ``print`` (on the same line, or on the lines after it).

In a shown output, a line ``...`` stands for any number of lines and ``...`` inside a line for
any text, as in the pages' prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", flags=re.S | re.M)
#: ``# exit status N`` after a command: the status it ends with.
EXIT_COMMENT = re.compile(r"#\s*exit (?:status|code) (\d+)")


@dataclass
class Example:
    """One command or snippet of a page."""

    page: str
    kind: str  # "shell", "python" or "session" (a ``$ python`` console)
    code: str
    shown: str | None = None  # the output the page shows, if any
    exit_code: int | None = None  # the exit status the page gives (``echo $?``, a comment)
    partial: bool = False  # the shown lines are some of the output, in order (``# ...`` comments)
    index: int = 0  # the fenced block's position on the page
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def first_line(self) -> str:
        return self.code.strip().splitlines()[0] if self.code.strip() else ""


def blocks(text: str) -> list[tuple[str, str, int, int]]:
    """Every fenced block: (language, content, start, end) of the block in the text."""
    return [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]


def _join_continuations(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1].rstrip() + " " + line.strip()
        else:
            joined.append(line)
    return joined


def _console(page: str, content: str, index: int) -> list[Example]:
    found: list[Example] = []
    lines = content.splitlines()
    position = 0
    while position < len(lines):
        line = lines[position]
        if not line.startswith("$ "):
            raise ValueError(f"{page}: console block {index}: output without a command: {line!r}")
        command = [line[2:]]
        position += 1
        while command[-1].rstrip().endswith("\\") and position < len(lines):
            command[-1] = command[-1].rstrip()[:-1].rstrip()
            command.append(lines[position].strip())
            position += 1
        output: list[str] = []
        while position < len(lines) and not lines[position].startswith("$ "):
            output.append(lines[position])
            position += 1
        code = " ".join(command)
        if code.strip() == "python" and output and output[0].startswith(">>>"):
            found.append(Example(page, "session", "\n".join(output) + "\n", index=index))
            continue
        if code.strip() == "echo $?":
            if not found or found[-1].kind != "shell":
                raise ValueError(f"{page}: `echo $?` without a command before it")
            found[-1].exit_code = int(output[0].strip())
            continue
        example = Example(page, "shell", code, "\n".join(output) if output else None, index=index)
        status = EXIT_COMMENT.search(code)
        if status:
            example.exit_code = int(status.group(1))
        found.append(example)
    return found


def _sh(page: str, content: str, index: int) -> list[Example]:
    found = []
    for line in _join_continuations(content.splitlines()):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        example = Example(page, "shell", line.strip(), index=index)
        status = EXIT_COMMENT.search(line)
        if status:
            example.exit_code = int(status.group(1))
        found.append(example)
    return found


PRINT_COMMENT = re.compile(r"^(?P<code>\s*print\(.*\))\s+#\s?(?P<shown>.*)$")


def python_comment_output(code: str) -> list[str]:
    """The output a snippet shows in comments: ``print(x)  # shown`` and, after a ``print``,
    comment lines at the left margin (``# shown``)."""
    shown: list[str] = []
    after_print = False
    for line in code.splitlines():
        match = PRINT_COMMENT.match(line)
        if match:
            shown.append(match.group("shown").strip())
            after_print = False
            continue
        if line.startswith("#") and after_print:
            shown.append(line[1:].strip())
            continue
        if line.strip() and not line.startswith("#"):
            after_print = "print(" in line or (line.startswith((" ", "\t")) and after_print)
    return shown


def examples(page: Path, root: Path) -> list[Example]:
    """Every command and snippet of a page, in order."""
    name = page.relative_to(root).as_posix()
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    previous_end = -1
    previous_kind = ""
    for index, (language, content, start, end) in enumerate(blocks(text)):
        follows = previous_end >= 0 and not text[previous_end:start].strip()
        if language == "console":
            found += _console(name, content, index)
        elif language == "sh":
            found += _sh(name, content, index)
        elif language == "python":
            example = Example(name, "python", content, index=index)
            comments = python_comment_output(content)
            if comments:
                example.shown, example.partial = "\n".join(comments), True
            found.append(example)
        elif language == "text" and follows and previous_kind in ("sh", "python"):
            found[-1].shown, found[-1].partial = content.rstrip("\n"), False
        previous_end, previous_kind = end, language
    return found


ADDRESS = re.compile(r"0x[0-9a-f]{8,16}\b")  # where Python put an object this time
UUID = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  # random ids
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")


def normalise(text: str, replacements: dict[str, str] | None = None) -> str:
    """What genuinely varies from run to run made constant: temporary paths (given), times."""
    for old, new in (replacements or {}).items():
        text = text.replace(old, new)
    text = TIMESTAMP.sub("<time>", text)
    text = ADDRESS.sub("0x<address>", text)
    text = UUID.sub("urn:uuid:<uuid>", text)
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _line_pattern(line: str) -> re.Pattern[str]:
    parts = re.split(r"\.\.\.|…", line.rstrip())  # "…" too: where a page leaves out a line and column
    return re.compile("^" + ".*".join(re.escape(part) for part in parts) + "$")


def matches(shown: str, actual: str, partial: bool = False) -> bool:
    """Whether the real output is the one shown: line by line, ``...`` lines standing for any
    lines and ``...`` in a line for any text; ``partial``: the shown lines appear in order."""
    if shown.lstrip().startswith(("{", "[", "...")) and actual.lstrip().startswith(("{", "[")):
        return _json_matches(shown, actual)
    wanted = [line.rstrip() for line in shown.strip("\n").splitlines()]
    got = [line.rstrip() for line in actual.strip("\n").splitlines()]
    if partial:
        position = 0
        for line in wanted:
            pattern = _line_pattern(line)
            while position < len(got) and not pattern.match(got[position]):
                position += 1
            if position == len(got):
                return False
            position += 1
        return True
    return _match_from(wanted, got)


def _match_from(wanted: list[str], got: list[str]) -> bool:
    if not wanted:
        return not got
    head = wanted[0].strip()
    if head == "...":
        return any(_match_from(wanted[1:], got[start:]) for start in range(len(got) + 1))
    return bool(got) and bool(_line_pattern(wanted[0]).match(got[0])) and _match_from(wanted[1:], got[1:])


def typed_session(shown: str) -> tuple[str, str]:
    """An interactive session a page shows (answers typed after ``>: ``): the answers, as the
    standard input to give, and the output to expect when they are not echoed."""
    answers: list[str] = []
    expected: list[str] = []
    lines = shown.splitlines()
    position = 0
    while position < len(lines):
        line = lines[position]
        position += 1
        if not line.startswith(">: "):
            expected.append(line)
            continue
        answers.append(line[3:])
        following = lines[position] if position < len(lines) else ""
        expected.append(">: " + following)  # the Enter the terminal showed is not in the output
        position += 1
    return "".join(answer + "\n" for answer in answers), "\n".join(expected)


def compact_json(text: str) -> str:
    """JSON text without the white space between tokens (strings kept as they are)."""
    out: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif not char.isspace():
            out.append(char)
    return "".join(out)


def _json_matches(shown: str, actual: str) -> bool:
    """A JSON output shown laid out for reading: the same tokens in the same order, whatever
    the line breaks and indentation, ``...`` standing for any tokens."""
    parts = compact_json(shown).split("...")
    return re.fullmatch(".*?".join(re.escape(part) for part in parts), compact_json(actual), flags=re.S) is not None
