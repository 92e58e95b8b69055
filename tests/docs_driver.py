"""Runs a docs page's Python snippets in order, in one namespace, as a reader pasting them one
after the other would; prints, as JSON, what each printed and any exception it raised.

Usage: ``python docs_driver.py SNIPPETS.json`` with ``[{"kind": "python"|"session", "code",
"context"}]``; ``context`` is code run first, unprinted, that gives a fragment the names the page
leaves to the reader."""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import sys
import traceback


def main(path: str) -> None:
    snippets = json.loads(open(path, encoding="utf-8").read())
    namespace: dict[str, object] = {"__name__": "__main__"}
    results = []
    for snippet in snippets:
        out = io.StringIO()
        error = None
        try:
            with contextlib.redirect_stdout(out):
                if snippet.get("context"):
                    exec(compile(snippet["context"], "<context>", "exec"), namespace)
                    out.seek(0)
                    out.truncate()
                if snippet["kind"] == "session":
                    error = session(snippet["code"], namespace, out)
                else:
                    exec(compile(snippet["code"], "<snippet>", "exec"), namespace)
        except BaseException:  # report it, and go on with the next snippet
            error = traceback.format_exc(limit=-3)
        results.append({"output": out.getvalue(), "error": error})
    sys.stdout.write(json.dumps(results))


def session(code: str, namespace: dict[str, object], out: io.StringIO) -> str | None:
    """A ``>>>`` session run as a doctest (``...`` stands for any text, as on the pages)."""
    test = doctest.DocTestParser().get_doctest(code, namespace, "session", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    runner.run(test, out=report.write, clear_globs=False)
    return report.getvalue() or None


if __name__ == "__main__":
    main(sys.argv[1])
