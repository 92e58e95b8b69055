"""The docs are part of the work: every hook documented with its signature, every command and
snippet of every page runs from shipped files and prints what the page shows, the site builds.

Pages are read by tests/docs_commands.py; the inputs they name are in examples/docs/. With
``DOCS_TEST_DUMP=FILE`` set, each output that differs from its page is appended to FILE as a
JSON line (page, command, output), for whoever updates the pages."""

from __future__ import annotations

import inspect
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from silkcore import _hookspecs as hookspecs

from . import docs_commands
from .conftest import GUARD, ROOT, start_silk_serve

DOCS = ROOT / "docs"


def hookspec_names() -> list[str]:
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("silk_")]


def test_there_are_nine_hooks() -> None:
    assert len(hookspec_names()) == 9


@pytest.mark.parametrize("name", hookspec_names())
def test_every_hookspec_is_documented_with_its_signature(name: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"{name}({params})" in (DOCS / "plugins" / "hooks.md").read_text()


def test_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text()
    assert "https://cdn" not in html


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --- Docs that run: every command and snippet of every page, against shipped files ------------

ALL_PAGES = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in DOCS.rglob("*.md"))]


def run_page(page: str, tmp_path: Path, root: Path = ROOT) -> tuple[list[str], int]:
    """Run every example of a page (a path from ``root``) in order: the problems found, one
    text each, and how many commands and snippets ran."""
    examples = docs_commands.examples(root / page, root)
    work = tmp_path / "work"
    env = prepare(page, work)
    problems: list[str] = []
    replacements = {str(work) + "/": "", str(work): ".", str(tmp_path): "TMP"}
    servers: list[subprocess.Popen[bytes]] = []
    address = ["127.0.0.1:8080"]
    python = [e for e in examples if e.kind in ("python", "session")]
    python_env = dict(env)
    if page == "docs/writing-a-plugin.md":  # its snippets use the plugin the page installs
        install_plugins(work, python_env, [EXAMPLE_PLUGIN])
    python_results = iter(run_python(page, python, work, python_env) if python else [])
    installed_from = -1
    ran = 0
    try:
        for example in examples:
            if (page, example.index) in PLUGINS_FROM_BLOCK and installed_from != example.index:
                install_plugins(work, env, PLUGINS_FROM_BLOCK[(page, example.index)])
                installed_from = example.index
            ran += 1
            shown = example.shown
            if example.kind != "shell":
                output, error = next(python_results)
                if error:
                    problems.append(f"{example.kind} snippet {example.first_line!r} failed:\n{error}")
                    continue
                code = 0
            else:
                if re.sub(r"\s+#.*$", "", example.code) in NOT_RUN:
                    ran -= 1
                    continue
                program = NEEDS_PROGRAM.get(re.sub(r"\s+#.*$", "", example.code))
                if program and shutil.which(program) is None:
                    ran -= 1
                    continue
                command = example.code.replace("127.0.0.1:8080", address[0])
                typed = ""
                if shown and re.search(r"(?m)^>: ", shown):  # an interactive session: type its answers
                    typed, shown = docs_commands.typed_session(shown)
                if command.startswith("silk serve"):
                    server, address[0] = start_server(command, work, env)
                    servers.append(server)
                    continue
                run = subprocess.run(
                    command,
                    shell=True,
                    executable="/bin/bash",
                    cwd=work,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    timeout=300,
                    input=typed,
                )
                output, code = run.stdout, run.returncode
                expected_code = example.exit_code
                if expected_code is None and not re.search(r"(?i)error|fail|^\.\.\.$", example.shown or ""):
                    expected_code = 0  # an output with no error in it, or none shown: a success
                if expected_code is not None and code != expected_code:
                    problems.append(f"$ {example.code}\nexit status {code}, the page says {expected_code}:\n{output[:3000]}")
                    continue
                if expected_code is None and code == 0 and re.search(r"(?m)^(error|Error):", shown or ""):
                    problems.append(f"$ {example.code}\nexit status 0, but the page shows an error:\n{output[:3000]}")
                    continue
            if shown is not None:
                actual = docs_commands.normalise(output, replacements)
                shown = docs_commands.normalise(shown)
                agree = docs_commands.matches(shown, actual, example.partial)
                if os.environ.get("DOCS_TEST_DUMP") and not agree:  # for whoever updates the pages
                    with open(os.environ["DOCS_TEST_DUMP"], "a", encoding="utf-8") as dump:
                        dump.write(json.dumps({"page": page, "code": example.code, "actual": actual}) + "\n")
                known = KNOWN_BUGS.get((page, example.first_line))
                if known and agree:
                    problems.append(f"{example.first_line!r} now prints what the page shows: remove it from KNOWN_BUGS")
                elif not agree and not known:
                    problems.append(f"{example.first_line!r}: the page shows\n{shown}\nbut it prints\n{actual[:3000]}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    return problems, ran


def run_python(page: str, snippets: list[docs_commands.Example], work: Path, env: dict[str, str]) -> list[tuple[str, str | None]]:
    """Every Python snippet of a page, in one process and one namespace, in order."""
    spec = [{"kind": s.kind, "code": s.code, "context": SNIPPET_CONTEXT.get((page, s.first_line), "")} for s in snippets]
    (work.parent / "snippets.json").write_text(json.dumps(spec))
    run = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("docs_driver.py")), str(work.parent / "snippets.json")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return [(r["output"], r["error"]) for r in json.loads(run.stdout)]


def start_server(command: str, work: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A page's ``silk serve``, on a free port instead of the one shown; its process and address."""
    argv = [*shlex.split(re.sub(r"--port \d+", "", command.split("#")[0])), "--port", "0"]
    return start_silk_serve(argv, work, env, work.parent / f"serve-{time.monotonic_ns()}.log")


@pytest.fixture(scope="session")
def docs_runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[str], int]]:
    """Every page run once, the pages side by side (each in its own folder and processes)."""
    try:
        request.getfixturevalue("node_tools")  # the npm packages two pages use
        node = True
    except pytest.skip.Exception:
        node = False
    pages = [p for p in ALL_PAGES if node or p not in NODE_PAGES]
    folders = [tmp_path_factory.mktemp("docs") for _ in pages]  # made here, not by the threads
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        runs = pool.map(run_page_or_say_why, pages, folders)
        return dict(zip(pages, runs, strict=True))


def run_page_or_say_why(page: str, tmp_path: Path) -> tuple[list[str], int]:
    """:func:`run_page`, an exception it raises (a node that does not start...) being the page's problem."""
    try:
        return run_page(page, tmp_path)
    except Exception as exc:  # reported by the page's own test, not by every page's
        return [f"the page could not be run: {type(exc).__name__}: {exc}"], 0


#: The pages whose commands use Node.js (skipped only where it is not installed).
NODE_PAGES = {"docs/exchange-format.md", "docs/flows-and-exchange.md"}


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_example_of_the_page_runs(page: str, docs_runs: dict[str, tuple[list[str], int]]) -> None:
    if page not in docs_runs:
        pytest.skip("Node.js and npm are not installed on this machine")
    problems, _ = docs_runs[page]
    assert not problems, f"{len(problems)} problem(s) in {page}:\n\n" + "\n\n".join(problems)


#: The only commands of the docs that are not run here, each with its reason.
NOT_RUN = {
    "make demo": "builds .venv from nothing (pip, network): `make demo` is checked where it runs, on a fresh clone",
    "make test": "the test suite itself",
    "pip install -e '.[all]'": (
        "installs into the reader's environment (network); the test runs in the venv `make demo` builds that way"
    ),
    "pip install -e examples/plugin-event-readiness": (
        "installs into the reader's environment; where a page's outputs include the plugin "
        "(writing-a-plugin.md) PLUGINS_FROM_BLOCK installs it for the commands after it"
    ),
    "pip install silkcore": (
        "installs into the reader's environment (network); the core-only install is checked by "
        "tests/test_core_install.py, in a venv built that way"
    ),
    "pip install 'silkcore[report,serve]'": "installs into the reader's environment (network)",
    "pip install 'silkcore[all]'": "installs into the reader's environment (network); `make demo` installs .[all]",
    "silk report examples/demo/organisation.json -o report.html": (
        "shows the error of a core-only install (no extras), which the docs test's venv is not: "
        "tests/test_core_install.py checks that behaviour in a venv built that way"
    ),
    "(cd tests/js && npm ci)": "installs npm packages (network); the tests install them once (tests/conftest.py node_tools)",
}

#: Commands that need a program silkcore does not (the page says so): run where it is installed.
NEEDS_PROGRAM = {"dot -Tsvg flowchart.dot -o flowchart.svg": "dot"}

#: What a page's commands use from the repository beyond examples/, linked into the working
#: directory (read only): Node.js packages the tests install (tests/js), the schemas.
LINKS: dict[str, dict[str, str]] = {
    "docs/exchange-format.md": {"node_modules": "tests/js/node_modules"},
    "docs/flows-and-exchange.md": {"tests/js": "tests/js", "schemas": "schemas", "plugins": "plugins"},
}

#: What a page's commands write into, copied into the working directory: the sources whose
#: translation catalogs questionnaire.md's maintainer commands update.
COPIES: dict[str, list[str]] = {"docs/questionnaire.md": ["src", "plugins"]}

#: Files under examples/ with these suffixes must be valid silkcore documents (tests/test_cli.py,
#: tests/test_second_validator.py): a page's input that is not one (a deliberately broken
#: document, another format's) ships as ``NAME.json.txt`` and is copied in as ``NAME.json``.
DOCUMENT_SUFFIXES = {".json", ".jsonl", ".yaml", ".yml", ".jsonld"}

#: Code run before a snippet (page, first line): what a fragment leaves to the reader ("the
#: names are yours"), or what this test's sandbox needs; the snippet itself runs as shown.
SNIPPET_CONTEXT: dict[tuple[str, str], str] = {
    ("docs/reports-and-history.md", "# fragment: the store from Python"): (
        "import attrs\n"
        "import silkcore\n"
        "path = 'fragment-store.sqlite'\n"
        "board_answers = silkcore.load_document('examples/demo/response_sets/evaluation-grid-board.json')\n"
        "worker_answers = silkcore.load_document('examples/demo/response_sets/evaluation-grid-workers.json')\n"
        "card = silkcore.assess('silk.evaluation-grid', [board_answers, worker_answers])\n"
        "org = silkcore.load_document('examples/demo/organisation.json')\n"
        "corrected_org = attrs.evolve(org, name='Tejidos Solidarios S. Coop. (fictional, renamed)')\n"
    ),
    ("docs/reports-and-history.md", "# fragment: in a notebook cell"): "import silkcore\n",
    ("docs/writing-a-plugin.md", "# fragment: silk_event_readiness/__init__.py (it reads a file beside it)"): (
        "__file__ = 'examples/plugin-event-readiness/silk_event_readiness/__init__.py'\n"
    ),
    ("docs/writing-a-plugin.md", "# fragment: with the plugin installed and your measurements at hand"): (
        "import datetime as dt\n"
        "from decimal import Decimal\n"
        "import silkcore\n"
        "org, period = silkcore.OrgRef('urn:silk:org:test'), silkcore.Period(dt.date(2025, 1, 1))\n"
        "observed = silkcore.FlowStatus.OBSERVED\n"
        "measurements = [\n"
        "    silkcore.Measurement('event.partnerships_started', org, period, observed, value=Decimal('3')),\n"
        "    silkcore.Measurement('event.participation_cost', org, period, observed, value=Decimal('1500')),\n"
        "]\n"
    ),
    ("docs/getting-started.md", "# fragment: the names are yours"): (
        "# the example plugin installed, as `pip install -e examples/plugin-event-readiness` would\n"
        "import importlib, json, sys, tempfile\n"
        "from pathlib import Path\n"
        "site = Path(tempfile.mkdtemp(dir='..'))\n"
        "(site / 'silk_event_readiness-1.0.0.dist-info').mkdir()\n"
        "(site / 'silk_event_readiness-1.0.0.dist-info' / 'METADATA').write_text("
        "'Metadata-Version: 2.1\\nName: silk-event-readiness\\nVersion: 1.0.0\\n')\n"
        "(site / 'silk_event_readiness-1.0.0.dist-info' / 'entry_points.txt').write_text("
        "'[silkcore]\\nevent_readiness = silk_event_readiness\\n')\n"
        "sys.path[:0] = [str(site), 'examples/plugin-event-readiness']\n"
        "importlib.invalidate_caches()\n"
        "silkcore.get_catalog.cache_clear()\n"
        "# the reader's names\n"
        "response_set = silkcore.load_document('examples/demo/response_sets/event-readiness-board.json')\n"
        "board_answers = silkcore.load_document('examples/demo/response_sets/evaluation-grid-board.json')\n"
        "workers_answers = silkcore.load_document('examples/demo/response_sets/evaluation-grid-workers.json')\n"
        "fw = silkcore.get_catalog().framework('silk.evaluation-grid')\n"
        "parsed_json = json.load(open('examples/documents/flow-cotton-import.json'))\n"
    ),
    ("docs/batch.md", "import distributed"): (
        "# the network guard refuses binding every interface, as the dashboard's :8787 would\n"
        "import functools, distributed\n"
        "distributed.LocalCluster = functools.partial(distributed.LocalCluster, dashboard_address=None)\n"
    ),
}

#: Examples whose output differs from the page because of a bug in silkcore (reported, not
#: fixed here): the page shows what silkcore should print. The test fails once they agree, so
#: that the entry is removed.
_BATCH_MESSAGE = (
    'silk batch gives jsonschema-rs\'s message ("es" does not match "^[A-Z]{2}$") where silk validate '
    "and every other door give python-jsonschema's ('es' does not match '^[A-Z]{2}$')"
)
KNOWN_BUGS: dict[tuple[str, str], str] = {
    ("docs/batch.md", "silk batch validate docs-batch.jsonl"): _BATCH_MESSAGE,
    ("docs/cli.md", "silk batch validate docs-batch.jsonl"): _BATCH_MESSAGE,
}


def prepare(page: str, work: Path) -> dict[str, str]:
    """The working directory of a page, and the environment its commands run in."""
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    inputs = ROOT / "examples" / "docs"  # the inputs of the pages not elsewhere in examples/
    for source in sorted(p for p in inputs.iterdir() if p.is_file() and p.name != "README.md"):
        target = work / source.name
        if source.suffix == ".txt" and Path(source.stem).suffix in DOCUMENT_SUFFIXES:
            target = target.with_suffix("")  # bad-flow.json.txt is the page's bad-flow.json
        shutil.copyfile(source, target)
    home = work.parent / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILKCORE_", "XDG_", "PYTEST_", "COV_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_CONFIG_HOME=str(home / ".config"),
        MPLCONFIGDIR=str(home / "matplotlib"),
        SILKCORE_TEST_LOOPBACK="1",  # the network guard allows this machine only (a node started here)
        COLUMNS="80",
        TZ="UTC",
    )
    (work / ".venv").symlink_to(Path(sys.executable).parent.parent)  # the venv `make demo` builds
    for folder in COPIES.get(page, []):
        shutil.copytree(ROOT / folder, work / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for link, target in LINKS.get(page, {}).items():
        (work / link).parent.mkdir(parents=True, exist_ok=True)
        (work / link).symlink_to(ROOT / target)
    env["PYTHONPATH"] = str(GUARD)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def install_plugins(work: Path, env: dict[str, str], plugins: list[tuple[str, str, str, str]]) -> None:
    """Make these plugins (entry-point name, distribution, version, module) the installed extra
    plugins of the commands that follow, as ``pip install`` would, in a folder of the test's own."""
    site = work.parent / f"site-{time.monotonic_ns()}"
    site.mkdir()
    for name, distribution, version, module in plugins:
        info = site / f"{distribution.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[silkcore]\n{name} = {module}\n")
    modules = [work / "examples" / "plugin-event-readiness", work / "examples" / "docs" / "docs_plugins"]
    env["PYTHONPATH"] = os.pathsep.join([str(GUARD), str(site), *map(str, modules)])


EXAMPLE_PLUGIN = ("event_readiness", "silk-event-readiness", "1.0.0", "silk_event_readiness")

#: The plugins installed from a block of a page on (page, index of the fenced block): the
#: example plugin once the page installs it, and the plugins the pages imagine (a broken one, a
#: scorer for another plugin's framework...), shipped in examples/docs/docs_plugins/.
PLUGINS_FROM_BLOCK: dict[tuple[str, int], list[tuple[str, str, str, str]]] = {
    ("docs/plugins/hooks.md", 3): [("acme_grid_scorer", "acme-silk-plugins", "0.3.0", "acme_grid_scorer")],
    ("docs/plugins/hooks.md", 4): [],
    ("docs/plugins/hooks.md", 16): [("hello", "silk-hello", "0.1.0", "hello_command")],
    ("docs/writing-a-plugin.md", 3): [EXAMPLE_PLUGIN],
    ("docs/writing-a-plugin.md", 7): [EXAMPLE_PLUGIN, ("broken_demo", "broken-demo", "0.1", "broken_demo")],
    ("docs/writing-a-plugin.md", 8): [("event_readiness", "silk-event-readiness", "1.0.0", "event_readiness_raising")],
    ("docs/writing-a-plugin.md", 9): [EXAMPLE_PLUGIN],
}


#: How many commands and snippets the extractor finds on each page: a page whose blocks stop
#: being read (a renamed fence, a changed prompt) fails here instead of silently running less.
EXAMPLES_PER_PAGE = {
    "README.md": 2,
    "docs/batch.md": 7,
    "docs/cli.md": 20,
    "docs/concepts.md": 1,
    "docs/exchange-format.md": 4,
    "docs/flows-and-exchange.md": 28,
    "docs/getting-started.md": 14,
    "docs/index.md": 2,
    "docs/install.md": 6,
    "docs/network-node.md": 7,
    "docs/node.md": 2,
    "docs/plugins/hooks.md": 18,
    "docs/protocol.md": 0,
    "docs/questionnaire.md": 4,
    "docs/reports-and-history.md": 11,
    "docs/signing.md": 7,
    "docs/tools/cases.md": 9,
    "docs/tools/evaluation-grid.md": 4,
    "docs/tools/flowchart.md": 7,
    "docs/tools/impact-grid.md": 5,
    "docs/tools/indicators.md": 3,
    "docs/tools/policy-brief.md": 5,
    "docs/writing-a-framework.md": 14,
    "docs/writing-a-plugin.md": 17,
}

#: The fence languages whose blocks are run; the others are data, files or other languages.
RUN_LANGUAGES = {"console", "sh", "python"}


def test_the_extractor_finds_every_example_of_every_page() -> None:
    found = {page: len(docs_commands.examples(ROOT / page, ROOT)) for page in ALL_PAGES}
    assert found == EXAMPLES_PER_PAGE
    for page in ALL_PAGES:  # every block of a runnable language gives at least one example
        text = (ROOT / page).read_text(encoding="utf-8")
        indexes = {example.index for example in docs_commands.examples(ROOT / page, ROOT)}
        for index, (language, content, _, _) in enumerate(docs_commands.blocks(text)):
            if language in RUN_LANGUAGES and content.strip():
                assert index in indexes, f"{page}: the {language} block {index} gives no command or snippet"


def test_every_page_runs_nearly_all_its_examples(docs_runs: dict[str, tuple[list[str], int]]) -> None:
    """Only the commands NOT_RUN names are left out (and one needing a program that is not
    installed), and the total is what the pages hold."""
    for page, (_, ran) in docs_runs.items():
        commands = [re.sub(r"\s+#.*$", "", e.code) for e in docs_commands.examples(ROOT / page, ROOT)]
        skipped = [c for c in commands if c in NOT_RUN or (c in NEEDS_PROGRAM and shutil.which(NEEDS_PROGRAM[c]) is None)]
        assert ran == EXAMPLES_PER_PAGE[page] - len(skipped), page
    if len(docs_runs) == len(ALL_PAGES):
        assert sum(ran for _, ran in docs_runs.values()) >= 160


def test_the_comparison_can_fail() -> None:
    """A shown output that differs - a changed line, a missing one, an extra one - is caught."""
    matches = docs_commands.matches
    assert matches("a\n...\nd", "a\nb\nc\nd")
    assert matches("error: x.json:…: at /y", "error: x.json:3:4: at /y")
    assert not matches("a\n...\nd", "a\nb\nc\ne")
    assert not matches("a\nb", "a\nb\nc")
    assert not matches("a\nb\nc", "a\nc")
    assert matches('{\n  "a": [1, ...],\n  "b": "x"\n}', '{"a": [1, 2], "b": "x"}')
    assert not matches('{\n  "a": [1, ...],\n  "b": "x"\n}', '{"a": [1, 2], "b": "y"}')
    assert matches("one\ntwo", "zero\none\n1.5\ntwo\nthree", partial=True)
    assert not matches("two\none", "one\ntwo", partial=True)


def test_an_example_that_goes_wrong_is_reported(tmp_path: Path) -> None:
    """The runner itself: a page whose command fails, or prints something else, has problems."""
    page = tmp_path / "page.md"
    page.write_text(
        "```console\n$ silk validate examples/documents/flow-cotton-import.json\n2 document(s) valid\n"
        "$ silk validate no-such-file.json\n```\n\n```python\nprint(1 + 1)  # 3\n```\n",
        encoding="utf-8",
    )
    examples = docs_commands.examples(page, tmp_path)
    assert [e.kind for e in examples] == ["shell", "shell", "python"]
    assert examples[0].shown == "2 document(s) valid" and examples[2].shown == "3"
    problems, ran = run_page("page.md", tmp_path / "run", root=tmp_path)
    assert ran == 3
    assert len(problems) == 3, problems
    assert "the page shows\n2 document(s) valid\nbut it prints\n1 document(s) valid" in problems[0]
    assert "exit status 1, the page says 0" in problems[1]
    assert "the page shows\n3\nbut it prints\n2" in problems[2]


#: Files a page shows in full that ship as files: the shown text is the shipped one.
SHOWN_FILES = {
    ("docs/exchange-format.md", "// Sketch: validate silkcore documents with Ajv"): "examples/docs/validate.mjs",
    ("docs/writing-a-plugin.md", "# fragment: test_event_readiness.py"): "examples/docs/test_event_readiness.py",
}


@pytest.mark.parametrize(("page", "start", "shipped"), [(p, s, f) for (p, s), f in SHOWN_FILES.items()])
def test_a_file_shown_in_full_is_the_one_shipped(page: str, start: str, shipped: str) -> None:
    text = (ROOT / page).read_text(encoding="utf-8")
    shown = [content for _, content, _, _ in docs_commands.blocks(text) if content.startswith(start)]
    assert shown == [(ROOT / shipped).read_text(encoding="utf-8")]


def test_readme_links_the_node_and_exchange_pages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/node.md", "docs/network-node.md", "docs/exchange-format.md", "docs/protocol.md"):
        assert f"]({page})" in readme, page
        assert (ROOT / page).is_file()


def test_the_translation_commands_are_those_of_babel_cfg() -> None:
    """questionnaire.md's maintainer commands are the ones babel.cfg gives (they moved once)."""
    config = (ROOT / "src" / "silkcore" / "locale" / "babel.cfg").read_text(encoding="utf-8")
    given = [line.lstrip("#").strip() for line in config.splitlines() if line.lstrip("# ").startswith("pybabel ")]
    page = [e.code for e in docs_commands.examples(ROOT / "docs" / "questionnaire.md", ROOT) if e.code.startswith("pybabel ")]
    assert page == given and len(given) == 2


def test_the_exported_provenance_shown_is_the_one_written(tmp_path: Path) -> None:
    """flows-and-exchange.md shows the provenance `silk export --format envelope ... -o out.json`
    writes, content hash included: it is the one written."""
    text = (DOCS / "flows-and-exchange.md").read_text(encoding="utf-8")
    [shown] = [content for language, content, _, _ in docs_commands.blocks(text) if content.startswith('"provenance": {')]
    out = tmp_path / "out.json"
    envelope = ROOT / "examples" / "documents" / "envelope-network-flow.json"
    silk = Path(sys.executable).with_name("silk")
    result = subprocess.run(
        [str(silk), "export", "--format", "envelope", "--audience", "network", str(envelope), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(GUARD)),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["provenance"] == json.loads("{" + shown + "}")["provenance"]
