"""Text from documents and plugins, made safe to put in Markdown.

A name, a title or a finding read from a document is text, never markup: in a Markdown
report it must not open an HTML element (``<script>``), a link, emphasis, a heading, a list
or a new table cell. :func:`markdown_text` is the one function every Markdown writer uses
for such text (the core report, and plugins through :mod:`silkcore.report`).
"""

from __future__ import annotations

import re

from .._errors import terminal_text

__all__ = ["markdown_text"]

# Line breaks of every kind (and tabs) become spaces: the text is one inline piece, so it
# cannot end a table row, start a block or make a line a heading (setext underline).
_BREAKS = re.compile("\r\n|[\t\n\x0b\x0c\r\x85\u2028\u2029]")
# HTML as character references (CommonMark decodes them to text, never to markup);
# Markdown punctuation behind a backslash: code spans, emphasis, strikethrough, links and
# images, table cells, headings and math. A backslash itself is escaped first so that it
# cannot swallow the escape that follows it.
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        **{char: "\\" + char for char in "\\`*_[]|~#$"},
    }
)
# At the start of the text only: a list item (``-``, ``+``, ``1.``, ``1)``) or a setext
# underline (``=``). ``*``, ``#`` and ``>`` are escaped everywhere already.
_BLOCK_START = re.compile(r"\A(?:[-+=]|\d{1,9}(?=[.)]))")


def markdown_text(text: str) -> str:
    """``text`` (from a document, a plugin, a user) as Markdown that renders as exactly that
    text, on one line: HTML characters as references (``&lt;``), Markdown punctuation
    escaped (``\\*``, ``\\_``, ``\\[``, ``\\|``...), line breaks and tabs as spaces (so it can
    sit in a table cell, a heading or a list item), and control characters as visible escapes
    (``\\x1b``). Leading and trailing white space is dropped, as Markdown would drop it.

    Use it on every piece of text that enters Markdown and is not your own markup::

        f"| {markdown_text(category.title)} | {score:.2f} |"
    """
    text = _BREAKS.sub(" ", text).strip().translate(_ESCAPES)
    text = _BLOCK_START.sub(lambda m: m.group() + "\\" if m.group()[0].isdigit() else "\\" + m.group(), text, count=1)
    return terminal_text(text)
