"""Execute the course's notebooks headless (used by ``course.py run`` and ``course.py outputs``).

``python -m coursebuild.runner run [NN ...]``
    Executes notebooks (all, or those whose number is given) top to bottom in a fresh
    kernel and writes the executed copies to ``build/executed/``. The notebooks in
    ``notebooks/`` are not touched, so a learner's own edits and answers are safe.

``python -m coursebuild.runner outputs [NN ...]``
    The maintainers' command behind the output policy: executes in *full* mode and
    writes the outputs into ``notebooks/`` itself, with execution counts from 1 and a
    ``course.executed_mode`` stamp that the tests check.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from coursebuild.notebooks import find_notebooks
from helpers import config

EXECUTED_DIR = config.ROOT / "build" / "executed"


def execute(path: Path, *, timeout: int = 3600):
    """Run one notebook in a fresh kernel (working folder: the notebook's) and return it.

    Raises ``nbclient.exceptions.CellExecutionError`` naming the failing cell.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        # The kernel's own log (e.g. ipykernel's notice that it talks over loopback TCP) is
        # not the learner's business here; cell output and errors are unaffected.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    # The kernel's raw stderr would echo TensorFlow's C++ start-up lines into the terminal
    # as well; the notebook still records them as cell output, where they belong.
    client.execute(stderr=subprocess.DEVNULL)
    return nb


def stamp(nb, mode: str) -> None:
    """Record how the outputs were made; remove per-run noise so re-runs diff cleanly."""
    from coursebuild import slides

    nb.metadata["course"] = {"executed_mode": mode}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    slides.apply(nb)  # slide types follow the headings, so a re-recorded notebook keeps them right


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursebuild.runner",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=["run", "outputs"])
    parser.add_argument("notebooks", nargs="*", help="numbers or name prefixes; default: all")
    args = parser.parse_args(argv)

    if args.command == "outputs" and config.FAST:
        raise SystemExit("`outputs` records full-mode outputs: unset COURSE_FAST and run it again.")
    import nbformat
    from nbclient.exceptions import CellExecutionError

    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        raise SystemExit(f"No notebooks found in {config.NOTEBOOKS_DIR}.")
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Executing {len(notebooks)} notebook(s) in {config.MODE} mode ({config.DATASET} data).")
    failed = []
    total = time.perf_counter()
    for path in notebooks:
        start = time.perf_counter()
        print(f"  {path.name} ...", end="", flush=True)
        try:
            nb = execute(path)
        except CellExecutionError as exc:
            print(f" FAILED after {time.perf_counter() - start:.0f} s")
            print(str(exc)[-3000:], file=sys.stderr)
            failed.append(path.name)
            continue
        stamp(nb, config.MODE)
        target = path if args.command == "outputs" else EXECUTED_DIR / path.name
        nbformat.write(nb, target)
        print(f" ok in {time.perf_counter() - start:.0f} s -> {os.path.relpath(target, config.ROOT)}")
    print(f"Done in {time.perf_counter() - total:.0f} s.", end=" ")
    if failed:
        print(f"{len(failed)} failed: {', '.join(failed)}")
        return 1
    print("All notebooks ran.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
