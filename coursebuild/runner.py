"""Execute the course's notebooks headless (used by ``course.py run`` and ``course.py outputs``).

``python -m coursebuild.runner run [NN ...]``
    Executes notebooks (all, or those whose number is given) top to bottom in a fresh
    kernel and writes the executed copies to ``build/executed/``. The notebooks in
    ``notebooks/`` are not touched, so a learner's own edits and answers are safe.

``python -m coursebuild.runner outputs [NN ...]``
    The maintainers' command behind the output policy: executes in *full* mode and
    writes the outputs into ``notebooks/`` itself, with execution counts from 1 and a
    ``course.executed_mode`` stamp that the tests check.

While a notebook runs, :class:`Progress` shows which cell of how many is running, the time so
far and the last line the cell printed: redrawn in place on a terminal, as plain lines in a log.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from coursebuild.notebooks import find_notebooks
from helpers import config

EXECUTED_DIR = config.ROOT / "build" / "executed"


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def last_line(text: str) -> str:
    """The last non-empty line of a cell's printed ``text``, as a terminal would leave it:
    after the last newline or carriage return (Keras' progress bars redraw with ``\\r`` and
    backspaces), with colour codes and other control characters removed."""
    for piece in reversed(re.split(r"[\r\n]", ANSI.sub("", text))):
        kept: list[str] = []
        for char in piece:
            if char == "\b":  # a backspace erases the character before it
                kept = kept[:-1]
            else:
                kept.append(char)
        piece = CONTROL.sub("", "".join(kept)).strip()
        if piece:
            return piece
    return ""


class Progress:
    """Progress of one notebook while it runs: the cell being run out of how many code cells,
    the time so far, and the last line the cell printed (Keras' epoch line, when training).

    Use it as a context manager around the run (:func:`execute` does). On a terminal it is one
    status line redrawn in place (with a carriage return only, so any console shows it) at least
    once a second. Anywhere else (CI, a log file) it writes plain lines, one per change, no
    control characters: at most one every ``interval`` seconds (quick cells are summed up by the
    next line), and one every ``heartbeat`` seconds while a long cell is silent, so that a log
    shows the run is alive.
    """

    def __init__(
        self,
        name: str,
        n_cells: int,
        *,
        stream=None,
        tty: bool | None = None,
        interval: float = 10.0,
        heartbeat: float = 60.0,
        width: int | None = None,
        clock=time.monotonic,
    ):
        import threading

        self.name, self.n_cells = name, n_cells
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval, self.heartbeat = interval, heartbeat
        self.width = width or (shutil.get_terminal_size().columns if self.tty else 160)
        self.clock = clock
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = None
        self.restart()

    def restart(self) -> None:
        """Back to "starting the kernel" with the time at zero."""
        self.start = self._last_write = self.clock()
        self.cell, self.line = 0, ""
        self._shown = None  # (cell, line) of the last line written
        self._drawn = 0  # characters on the terminal line

    def __enter__(self):
        import threading

        self.restart()
        self._stop.clear()
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._ticker.join()
        if self.tty:  # leave the terminal line empty for the result
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()

    def status(self) -> str:
        elapsed = int(self.clock() - self.start)
        where = f"cell {self.cell}/{self.n_cells}" if self.cell else "starting the kernel"
        text = f"  {self.name}  {where}  {elapsed // 60}:{elapsed % 60:02d}"
        if self.line:
            text += f"  | {self.line}"
        return text[: self.width - 1]

    def cell_started(self, number: int) -> None:
        """Code cell ``number`` (counting from 1) has started."""
        with self._lock:
            self.cell, self.line = number, ""
            self.update()

    def printed(self, text: str) -> None:
        """The running cell printed ``text``."""
        line = last_line(text)
        if line:
            with self._lock:
                self.line = line
                self.update()

    def update(self, tick: bool = False) -> None:
        """Show the status if it is due (``tick``: called by the clock, not by an event)."""
        now = self.clock()
        changed = (self.cell, self.line) != self._shown
        if self.tty:
            if not tick and now - self._last_write < 0.1:
                return  # at most ten redraws a second; the next tick shows the latest
            text = self.status()
            self.stream.write("\r" + text.ljust(self._drawn))
            self._drawn = len(text)
        else:
            wait = self.interval if changed else self.heartbeat
            if now - self._last_write < wait or not (changed or tick):
                return
            self.stream.write(self.status() + "\n")
        self._shown = (self.cell, self.line)
        self._last_write = now
        self.stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0 if self.tty else min(1.0, max(self.interval, 0.1))):
            with self._lock:
                self.update(tick=True)


def execute(path: Path, *, timeout: int | None = None, progress: bool | Progress = False):
    """Run one notebook in a fresh kernel (working folder: the notebook's) and return it.

    ``timeout`` limits each cell (seconds; ``None``: no limit, as training on real FER2013 takes
    half an hour). ``progress=True`` reports progress on standard output (:class:`Progress`), or
    pass a :class:`Progress` of your own. Raises ``nbclient.exceptions.CellExecutionError``
    naming the failing cell.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    code_cells = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    if progress is True:
        progress = Progress(path.name, len(code_cells))

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            if progress and msg["msg_type"] == "stream":
                progress.printed(msg["content"].get("text", ""))
            return super().output(outs, msg, display_id, cell_index)

    client = Client(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        # The kernel's own log (e.g. ipykernel's notice that it talks over loopback TCP) is
        # not the learner's business here; cell output and errors are unaffected.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    if progress:

        def cell_started(cell, cell_index):  # nbclient calls this for markdown cells too
            if cell_index in code_cells:
                progress.cell_started(code_cells.index(cell_index) + 1)

        client.on_cell_start = cell_started
    # The kernel's raw stderr would echo TensorFlow's C++ start-up lines into the terminal
    # as well; the notebook still records them as cell output, where they belong.
    with progress or contextlib.nullcontext():
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
    if args.command == "outputs":  # stored outputs never hold a maintainer's own recorded face
        os.environ["COURSE_MY_FACES"] = "stand-in"
    import nbformat
    from nbclient.exceptions import CellExecutionError

    try:
        notebooks = find_notebooks(args.notebooks)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if not notebooks:
        raise SystemExit(f"No notebooks found in {config.NOTEBOOKS_DIR}.")
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Executing {len(notebooks)} notebook(s) in {config.MODE} mode ({config.DATASET} data).")
    failed = []
    total = time.perf_counter()
    for path in notebooks:
        start = time.perf_counter()
        print(f"{path.name} ...", flush=True)
        try:
            nb = execute(path, progress=True)
        except CellExecutionError as exc:
            print(f"{path.name}: FAILED after {time.perf_counter() - start:.0f} s", flush=True)
            print(str(exc)[-3000:], file=sys.stderr)
            failed.append(path.name)
            continue
        stamp(nb, config.MODE)
        target = path if args.command == "outputs" else EXECUTED_DIR / path.name
        nbformat.write(nb, target)
        print(
            f"{path.name}: ok in {time.perf_counter() - start:.0f} s -> {os.path.relpath(target, config.ROOT)}"
        )
    print(f"Done in {time.perf_counter() - total:.0f} s.", end=" ")
    if failed:
        print(f"{len(failed)} failed: {', '.join(failed)}")
        return 1
    print("All notebooks ran.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
