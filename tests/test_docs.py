"""The docs are part of the work: every hook documented with its signature, examples run, site builds."""

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
from pathlib import Path

import pytest

from silkcore import _hookspecs as hookspecs

from . import docs_commands
from .conftest import GUARD, ROOT

DOCS = ROOT / "docs"
PAGES_WITH_EXAMPLES = ["getting-started.md", "plugins/hooks.md", "writing-a-plugin.md", "concepts.md", "writing-a-framework.md"]


def hookspec_names() -> list[str]:
    return [name for name, _ in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("silk_")]


def test_there_are_nine_hooks() -> None:
    assert len(hookspec_names()) == 9


@pytest.mark.parametrize("name", hookspec_names())
def test_every_hookspec_is_documented_with_its_signature(name: str) -> None:
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"{name}({params})" in (DOCS / "plugins" / "hooks.md").read_text()


def python_blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return [b for b in blocks if "fragment" not in b.splitlines()[0].lower()]


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_python_examples_run(page: str, tmp_path: Path) -> None:
    blocks = python_blocks(page)
    if not blocks:
        pytest.skip(f"{page} has no runnable Python example")
    script = tmp_path / "examples.py"
    script.write_text("\n\n".join(blocks))
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests" / "_guard"))
    result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr


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


def run_page(page: str, tmp_path: Path) -> list[str]:
    """Run every example of a page in order; the problems found, one text each."""
    examples = docs_commands.examples(ROOT / page, ROOT)
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
    try:
        for example in examples:
            if (page, example.index) in PLUGINS_FROM_BLOCK and installed_from != example.index:
                install_plugins(work, env, PLUGINS_FROM_BLOCK[(page, example.index)])
                installed_from = example.index
            if example.kind != "shell":
                output, error = next(python_results)
                if error:
                    problems.append(f"{example.kind} snippet {example.first_line!r} failed:\n{error}")
                    continue
                code = 0
            else:
                reason = NOT_RUN.get(re.sub(r"\s+#.*$", "", example.code))
                if reason is not None:
                    continue
                if example.code.startswith("pip install -e examples/plugin-event-readiness"):
                    continue  # optional in getting-started.md; PLUGINS_FROM_BLOCK installs it for writing-a-plugin.md
                command = example.code.replace("127.0.0.1:8080", address[0])
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
                )
                output, code = run.stdout, run.returncode
                expected_code = example.exit_code
                if expected_code is None and not re.search(r"(?i)error|fail|^\.\.\.$", example.shown or ""):
                    expected_code = 0  # an output with no error in it, or none shown: a success
                if expected_code is not None and code != expected_code:
                    problems.append(f"$ {example.code}\nexit status {code}, the page says {expected_code}:\n{output[:3000]}")
                    continue
            if example.shown is not None:
                actual = docs_commands.normalise(output, replacements)
                shown = docs_commands.normalise(example.shown)
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
    return problems


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
    log = work.parent / f"serve-{time.monotonic_ns()}.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(argv, cwd=work, stdout=handle, stderr=subprocess.STDOUT, env=env)
    for _ in range(1200):  # a hang guard, not a timing claim
        text = log.read_text(errors="replace")
        found = re.search(r"listening on http://(127\.0\.0\.1:\d+)", text)
        if found and "Application startup complete" in text:
            return process, found.group(1)
        if process.poll() is not None:
            raise AssertionError(f"{command} exited: {text}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"{command} did not start: {log.read_text(errors='replace')}")


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_example_of_the_page_runs(page: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if "tests/js/node_modules" in LINKS.get(page, {}).values() or "tests/js" in LINKS.get(page, {}).values():
        request.getfixturevalue("node_tools")  # npm packages installed (skipped without Node.js)
    problems = run_page(page, tmp_path)
    assert not problems, f"{len(problems)} problem(s) in {page}:\n\n" + "\n\n".join(problems)


#: The only commands of the docs that are not run here, each with its reason.
NOT_RUN = {
    "make demo": "builds .venv from nothing (pip, network): `make demo` is checked where it runs, on a fresh clone",
    "make test": "the test suite itself",
    "pip install -e .": "installs into the reader's environment (network); the test runs in the venv built that way",
    "(cd tests/js && npm ci)": "installs npm packages (network); the tests install them once (tests/conftest.py node_tools)",
}

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
    ("docs/plugins/hooks.md", 15): [("hello", "silk-hello", "0.1.0", "hello_command")],
    ("docs/writing-a-plugin.md", 3): [EXAMPLE_PLUGIN],
    ("docs/writing-a-plugin.md", 7): [EXAMPLE_PLUGIN, ("broken_demo", "broken-demo", "0.1", "broken_demo")],
    ("docs/writing-a-plugin.md", 8): [("event_readiness", "silk-event-readiness", "1.0.0", "event_readiness_raising")],
    ("docs/writing-a-plugin.md", 9): [EXAMPLE_PLUGIN],
}
