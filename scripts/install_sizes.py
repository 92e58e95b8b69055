"""Measure what each install of silkcore puts on disk: the core, each extra, and all of them.

Builds the wheel, installs it into one fresh venv per variant (from PyPI, no pip cache) and
prints a Markdown table of site-packages sizes without pip itself, with the packages each adds.
Run with ``make install-sizes``; the figures in docs/install.md come from it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("", "report", "serve", "field", "postgres", "dask", "all")
#: What the venv holds before silkcore is installed (not counted).
TOOLING = ("pip", "setuptools", "_distutils_hack", "distutils-precedence.pth", "pkg_resources")


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def _measure(wheel: Path, extra: str, workdir: Path) -> tuple[int, list[str]]:
    venv = workdir / (extra or "core")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    target = f"{wheel}[{extra}]" if extra else str(wheel)
    env_flags = ["--quiet", "--no-cache-dir", "--disable-pip-version-check"]
    subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", *env_flags, target], check=True)
    [site] = venv.glob("lib/python*/site-packages")
    kept = [p for p in site.iterdir() if not any(p.name.startswith(t) for t in TOOLING)]
    size = sum(_size(p) if p.is_dir() else p.stat().st_size for p in kept)
    names = sorted(p.name.split("-")[0] for p in kept if p.name.endswith(".dist-info"))
    return size, names


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="silkcore-sizes-") as tmp:
        workdir = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(workdir / "dist"), str(ROOT)],
            check=True,
            capture_output=True,
        )
        [wheel] = (workdir / "dist").glob("silkcore-*.whl")
        core_size, core_names = _measure(wheel, "", workdir)
        print("| install | site-packages | distributions | added to the core |")
        print("|---|---:|---:|---|")
        print(f"| `pip install silkcore` | {core_size / 1e6:.0f} MB | {len(core_names)} | - |")
        for extra in VARIANTS[1:]:
            size, names = _measure(wheel, extra, workdir)
            added = ", ".join(n for n in names if n not in core_names)
            print(f"| `pip install 'silkcore[{extra}]'` | {size / 1e6:.0f} MB | {len(names)} | {added} |")


if __name__ == "__main__":
    main()
