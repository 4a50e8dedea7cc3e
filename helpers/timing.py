"""Small timing tools the notebooks share (taught in notebook 03, used from then on).

* :class:`Timer` -- ``with Timer() as t: ...`` then ``t.seconds``; ``time.perf_counter`` inside.
* :func:`measure` -- run a function several times and keep every duration; report the median.
* :func:`timestamp` -- a date-and-time string that is safe in a file name on every system.
* :class:`Laps` -- the time of each stage of a loop, lap after lap (the real-time detector).

All durations are in seconds as floats; ``perf_counter`` is monotonic (it never jumps
when the computer's clock is set) and has the finest resolution Python offers.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


class Timer:
    """Time the block of a ``with`` statement.

    >>> with Timer() as t:
    ...     total = sum(range(1000))
    >>> t.seconds >= 0
    True

    With a ``label``, the duration is printed when the block ends, in milliseconds.
    ``t.seconds`` is ``None`` until the block has finished.
    """

    def __init__(self, label: str | None = None):
        self.label = label
        self.seconds: float | None = None
        self._start: float | None = None

    def __enter__(self) -> Timer:
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self._start
        if self.label:
            print(f"{self.label}: {self.seconds * 1000:.2f} ms")

    @property
    def ms(self) -> float | None:
        """The duration in milliseconds (``None`` while the block is running)."""
        return None if self.seconds is None else self.seconds * 1000


@dataclass
class Measurement:
    """Durations of repeated runs of one piece of code (seconds per call)."""

    runs: list[float] = field(default_factory=list)
    number: int = 1  # calls per run; runs hold the time of one call (run time / number)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def best(self) -> float:
        return min(self.runs)

    @property
    def worst(self) -> float:
        return max(self.runs)

    def __str__(self) -> str:
        return (
            f"median {self.median * 1000:.3f} ms per call (best {self.best * 1000:.3f}, "
            f"worst {self.worst * 1000:.3f}; {len(self.runs)} runs of {self.number})"
        )


def measure(fn: Callable[[], object], *, repeat: int = 7, number: int = 1, warmup: int = 1) -> Measurement:
    """Call ``fn()`` ``warmup`` times untimed, then time ``repeat`` runs of ``number`` calls.

    Each entry of the result's ``runs`` is the time of *one* call (a run's time divided by
    ``number``); use a larger ``number`` for code that takes microseconds. Report the
    median: one slow run (the computer doing something else) moves the mean, not the median.
    """
    if repeat < 1 or number < 1:
        raise ValueError(f"repeat and number must be at least 1 (got repeat={repeat}, number={number})")
    for _ in range(warmup):
        fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - start) / number)
    return Measurement(runs=runs, number=number)


def timestamp(when: datetime | None = None) -> str:
    """``when`` (default: now) as ``YYYYmmdd-HHMMSS``: sortable, and without the ``:`` that
    Windows forbids in file names (``datetime.isoformat`` has them)."""
    return (when or datetime.now()).strftime("%Y%m%d-%H%M%S")


class Laps:
    """The milliseconds of each stage of a loop, taken one after another like a stopwatch's laps.

    ``lap("detect")`` records the time since the previous lap (or since :meth:`start`) under
    ``"detect"``; :attr:`ms` holds every stage's list (a dict given to the constructor is
    filled in place). :meth:`count` keeps counts of events beside them (frames, frames with a
    face); :meth:`medians` sums the laps up.
    """

    def __init__(self, ms: dict[str, list[float]] | None = None):
        self.ms = {} if ms is None else ms
        self.counts: dict[str, int] = {}
        self.start()

    def start(self) -> None:
        """Start the next lap now (what happened since the last lap is not counted)."""
        self._last = time.perf_counter()

    def lap(self, stage: str) -> float:
        """Record and return the milliseconds since the previous lap, under ``stage``."""
        now = time.perf_counter()
        ms = (now - self._last) * 1000
        self.ms.setdefault(stage, []).append(ms)
        self._last = now
        return ms

    def count(self, event: str, n: int = 1) -> None:
        self.counts[event] = self.counts.get(event, 0) + n

    def medians(self, stages=None) -> dict[str, float]:
        """The median milliseconds of each stage (``stages``: which, in that order)."""
        stages = self.ms if stages is None else [s for s in stages if s in self.ms]
        return {s: float(statistics.median(self.ms[s])) for s in stages}
