"""The fuzz corpus, replayed through the fuzz oracle in every test run, plus a hypothesis
fuzz of the same oracle (so a machine without atheris still fuzzes a little).

Oracle (fuzz/harness.py): only silkcore.SilkError may escape ``jsonio.loads``,
``documents.load_document(bytes)`` and ``jsonio.iter_json_lines``.
"""

from __future__ import annotations

import importlib.util
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from ..conftest import ROOT

_spec = importlib.util.spec_from_file_location("silkcore_fuzz_harness", ROOT / "fuzz" / "harness.py")
assert _spec is not None and _spec.loader is not None
harness: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)

CORPUS = ROOT / "fuzz" / "corpus"


def test_corpus_replays_without_a_crash() -> None:
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    assert len(files) >= 40, "the seed corpus is missing: run python fuzz/seed_corpus.py"
    crashes = []
    for path in files:
        try:
            harness.check_one(path.read_bytes())
        except Exception as exc:  # the oracle: anything but a SilkError escaping is a crash
            crashes.append(f"{path.name}: {type(exc).__name__}: {exc}")
    assert crashes == []


@given(st.binary(max_size=600))
@example(b"\xef\xbb\xbf")
@example(b"\r\n\r\n")
@example(b"- - -")
def test_arbitrary_bytes(data: bytes) -> None:
    harness.check_one(data)


SEED_DOCUMENT = json.loads((ROOT / "examples" / "documents" / "flow-cotton-import.json").read_text())
TOKENS = [b"NaN", b"-Infinity", b"1e400", b"9" * 25, b'"\\ud800"', b'"\\u0000"', b"[" * 70, b'"2025-01-0*"', b"{", b","]


@given(st.data())
def test_spliced_documents(data: st.DataObject) -> None:
    """A valid document's text with hostile tokens spliced in at random places, as JSON,
    JSON Lines (with CRLF) and YAML-looking text (no leading brace)."""
    text = json.dumps(SEED_DOCUMENT, separators=(",", ":")).encode()
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 12))
        text = text[:at] + data.draw(st.sampled_from(TOKENS)) + text[at + cut :]
    form = data.draw(st.sampled_from(["json", "jsonl", "yaml"]))
    if form == "jsonl":
        text = text + b"\r\n" + text
    elif form == "yaml":
        text = text.lstrip(b"{").replace(b",", b"\n")
    harness.check_one(text)
