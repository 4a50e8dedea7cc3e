"""Exercises of notebook 03 (``time``)."""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from datetime import datetime

import numpy as np

from helpers.exercises import Exercise, call, close

#: The clocks of the ``time`` module a learner might time with, and what each one is.
_STOPWATCHES = ("perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns")
_WALL_CLOCKS = ("time", "time_ns")
_PROCESS_CLOCKS = ("process_time", "process_time_ns")


@contextlib.contextmanager
def _watching_clocks(fn):
    """The set of ``time`` clocks ``fn`` uses, filled while the block runs.

    Each clock of the ``time`` module is replaced, for the duration of the block, by one that
    notes its name (calls from this thread only) and then reads the real clock; that catches
    ``time.time()`` after ``import time``. A clock imported by name before the check
    (``from time import time``) is bound to the original, so the names ``fn`` uses are looked
    up too."""
    clocks = _STOPWATCHES + _WALL_CLOCKS + _PROCESS_CLOCKS
    originals = {name: getattr(time, name) for name in clocks}
    used: set[str] = set()
    thread = threading.get_ident()

    def spy(name, clock):
        def read():
            if threading.get_ident() == thread:
                used.add(name)
            return clock()

        return read

    codes, names = [getattr(fn, "__code__", None)], set()
    while codes:  # the function's own code and the code of functions and lambdas inside it
        code = codes.pop()
        if code is not None:
            names.update(code.co_names)
            codes.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    found = [getattr(fn, "__globals__", {}).get(name) for name in names]
    found += [cell.cell_contents for cell in getattr(fn, "__closure__", None) or () if _filled(cell)]
    used.update(name for name, clock in originals.items() if any(f is clock for f in found))
    for name, clock in originals.items():
        setattr(time, name, spy(name, clock))
    try:
        yield used
    finally:
        for name, clock in originals.items():
            setattr(time, name, clock)


def _filled(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True


def _test_median_ms(fn):
    calls = []

    def work():  # 10 ms per call, except one call that is slow, as when the computer is busy
        calls.append(1)
        time.sleep(0.12 if len(calls) == 2 else 0.01)

    with _watching_clocks(fn) as clocks:
        got = call(fn, work, 5)
    if len(calls) < 5:
        return f"median_ms(fn, 5) should call fn at least 5 times; it called it {len(calls)} time(s)"
    if clocks & set(_PROCESS_CLOCKS):
        return (
            "you timed the calls with time.process_time, which counts only the processor's work for "
            "this program: it stands still while a function sleeps or waits (for a camera, a file, the "
            "network), so it misses most of each call here. How long a call takes is what "
            "time.perf_counter measures."
        )
    if clocks & set(_WALL_CLOCKS) and not clocks & set(_STOPWATCHES):
        return (
            "you timed the calls with time.time, the wall clock: it says *when* something happens, and "
            "it jumps when the computer corrects its clock, which makes a duration wrong or even "
            "negative. Notebook 03's rule: time durations with time.perf_counter."
        )
    try:
        got = float(got)
    except (TypeError, ValueError):
        return f"expected a number of milliseconds, got {got!r}"
    if got <= 0:
        return f"{got:.4g} ms: a duration is the clock's reading after the call minus its reading before"
    if 0.005 <= got <= 0.05:
        return f"{got:.4f} looks like seconds: multiply by 1000 to get milliseconds"
    if got < 9:
        return (
            f"{got:.4g} ms is too low: each call sleeps at least 10 ms. Is every call timed, from "
            "just before it starts to just after it ends?"
        )
    if got > 200:
        return (
            f"{got:.1f} ms is more than the five calls took together (about 160 ms): is each duration "
            "the end time minus the start time, in milliseconds?"
        )
    if got > 30:
        return (
            f"{got:.1f} ms is too high: one of the five calls took 120 ms and the others 10 ms, so the "
            "median is about 10 ms. Did you take the mean, or time all the calls together?"
        )
    return None


def _solution_median_ms():
    import statistics
    import time

    def median_ms(fn, repeat):
        durations = []
        for _ in range(repeat):
            # perf_counter is a stopwatch: it never jumps, as the wall clock time.time can
            start = time.perf_counter()
            fn()
            durations.append(time.perf_counter() - start)  # this call alone, in seconds
        # the median, not the mean: one call slowed down by something else does not move it
        return statistics.median(durations) * 1000  # seconds to milliseconds

    return median_ms


def _durations(fn, repeat, clock=None):
    """Seconds per call of ``fn``, ``repeat`` times (what the known wrong answers below share)."""
    clock = clock or time.perf_counter
    durations = []
    for _ in range(repeat):
        start = clock()
        fn()
        durations.append(clock() - start)
    return durations


def _mean_ms(fn, repeat):
    return statistics.mean(_durations(fn, repeat)) * 1000


def _median_seconds(fn, repeat):
    return statistics.median(_durations(fn, repeat))


def _wall_clock_ms(fn, repeat):  # time.time: right today, wrong on the day the clock is corrected
    durations = []
    for _ in range(repeat):
        start = time.time()
        fn()
        durations.append(time.time() - start)
    return statistics.median(durations) * 1000


_wall = time.time  # as after `from time import time as _wall` at the top of a notebook


def _wall_clock_imported_ms(fn, repeat):
    return statistics.median(_durations(fn, repeat, clock=lambda: _wall())) * 1000


def _process_time_ms(fn, repeat):  # processor time: stands still while fn sleeps
    durations = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        durations.append(time.process_time() - start)
    return statistics.median(durations) * 1000


def _median_ms_timeit(fn, repeat):
    import statistics
    import timeit

    return statistics.median(timeit.repeat(fn, number=1, repeat=repeat)) * 1000


def _median_ms_warm_up(fn, repeat):
    from time import perf_counter  # a clock imported by name is the same stopwatch

    fn()  # one untimed call first, as timing.measure does
    durations = []
    for _ in range(repeat):
        start = perf_counter()
        fn()
        durations.append(perf_counter() - start)
    return float(np.median(durations) * 1000)


median_ms = Exercise(
    key="03.1",
    title="the median time of a function, in milliseconds",
    test=_test_median_ms,
    hints=(
        "Time each call on its own, with a stopwatch, and summarise the times with a statistic that one slow call cannot drag along.",
        "Answers usually go wrong in one of three places: the clock (notebook 03's table says which of its "
        "clocks is meant for durations, and why the others are not), the summary (the mean moves with the "
        "one slow call, the middle value does not), or the unit (the clocks count seconds).",
    ),
    solution=_solution_median_ms,
    wrong_answers=[_mean_ms, _median_seconds, _wall_clock_ms, _wall_clock_imported_ms, _process_time_ms],
    other_answers=[_median_ms_timeit, _median_ms_warm_up],
)


def frame_rate_problem(stamps, got) -> str | None:
    """What is wrong with ``got`` as the frame rate of frames shown at ``stamps`` (None: right).

    Shared by exercises 03.2 and 11.1, which ask the same question: the usual mistakes each
    get their own explanation."""
    gaps = np.diff(stamps)
    intervals, span = len(stamps) - 1, stamps[-1] - stamps[0]
    want = intervals / span
    if close(got, want, tol=1e-6):
        return None
    said = (
        f"frames shown at {stamps} come {want:g} per second ({intervals} intervals in {span:.2f} s); "
        f"your function returned {_seconds(got)}"
    )
    if len(set(np.round(gaps, 9))) > 1 and close(got, 1 / np.median(gaps)):
        return (
            f"{said}. That is one over the median gap between frames: the median leaves out the "
            "unusually long or short gaps, but they are part of the time the frames took. The frame "
            "rate counts all the intervals over the whole time, pauses included."
        )
    if close(got, len(stamps) / span):
        return f"{said}. That counts the stamps, not the intervals between them: n stamps enclose n - 1 intervals."
    if close(got, span / intervals):
        return f"{said}. That is seconds per frame; frames per second is its inverse."
    if close(got, 1 / gaps[0]):
        return f"{said}. That is the rate of the first interval alone; the others are longer or shorter."
    if close(got, np.mean(1 / gaps)):
        return (
            f"{said}. That is the mean of each interval's own rate, which counts a short interval as much as "
            "a long one; the frame rate is the number of intervals over the whole time."
        )
    return f"{said}."


def _test_frames_per_second(fn):
    cases = [
        [0.0, 0.1, 0.2, 0.3],
        [5.0, 5.02, 5.1, 5.12, 5.2],
        [100.0, 100.5],
        [0.0, 0.1, 0.2, 1.0],  # a pause: the median gap (0.1 s) says 10 fps, the frames came 3 a second
    ]
    for stamps in cases:
        problem = frame_rate_problem(stamps, call(fn, list(stamps)))
        if problem:
            return problem
    return None


def _solution_frames_per_second():
    def frames_per_second(stamps):
        intervals = len(stamps) - 1  # n frames have n - 1 gaps between them
        # over the whole time from first to last, so that every gap counts, a long pause too
        return intervals / (stamps[-1] - stamps[0])

    return frames_per_second


frames_per_second = Exercise(
    key="03.2",
    title="frames per second from frame times",
    test=_test_frames_per_second,
    hints=(
        "Frames per second is a count divided by a time: which count, and over which stretch of time?",
        "Two slips are common. Counting the stamps instead of the gaps between them (a fence of n posts has "
        "n - 1 gaps); and letting one gap, or a typical gap such as the median, stand for all of them: a "
        "long pause between two frames lowers the frame rate of the whole stretch.",
    ),
    solution=_solution_frames_per_second,
    wrong_answers=[
        lambda stamps: len(stamps) / (stamps[-1] - stamps[0]),
        lambda stamps: 1 / (stamps[1] - stamps[0]),  # the first interval only
        lambda stamps: 1 / statistics.median(np.diff(stamps)),  # a typical gap, not all of them
        lambda stamps: (stamps[-1] - stamps[0]) / (len(stamps) - 1),  # seconds per frame
    ],
    other_answers=[lambda stamps: 1 / np.mean(np.diff(stamps))],
)


def _seconds(value):
    """A returned value as a short number when it is one, else its repr (for messages)."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return repr(value)


def _test_next_deadline(fn):
    cases = [  # (deadline, now, fps), the new deadline, whether this frame's work ended in time
        ((1.0, 0.97, 10), 1.0 + 1 / 10, True),
        ((2.0, 1.99, 25), 2.0 + 1 / 25, True),
        ((1.0, 1.25, 10), 1.25 + 1 / 10, False),
        ((5.0, 5.3, 25), 5.3 + 1 / 25, False),
    ]
    for (deadline, now, fps), want, on_time in cases:
        got = call(fn, deadline, now, fps)
        if close(got, want):
            continue
        budget = 1 / fps
        said = (
            f"the deadline was {deadline} s and the work ended at {now} s, "
            f"{'in time' if on_time else 'too late'}; at {fps} frames per second the next deadline is "
            f"{want:.4g} s, and your function returned {_seconds(got)}"
        )
        if on_time and close(got, now + budget):
            return (
                f"{said}. You counted the next budget from now: that is the remainder pacing the notebook "
                "rejects. Every late wake-up then carries into the next frame, and the delays add up, as "
                "RemainderPacer showed on the pretend clock. When the frame is in time, count from the old deadline."
            )
        if not on_time and close(got, deadline + budget):
            return (
                f"{said}. The work overran, so the old deadline is past: one budget after it can be past too, "
                "and the next frames would skip their sleep to catch up. After an overrun, start a new "
                "schedule from now."
            )
        if close(got, max(0.0, deadline - now)):
            return f"{said}. That is how long to sleep; the exercise asks for the next deadline, a time on the clock."
        return f"{said}."
    return None


def _solution_next_deadline():
    def next_deadline(deadline, now, fps):
        budget = 1 / fps  # the time one frame may take in all
        if now < deadline:  # in time: the loop sleeps until the deadline
            return deadline + budget  # one budget later, however long the sleep really takes
        return now + budget  # the work overran: a new schedule from now

    return next_deadline


next_deadline = Exercise(
    key="03.3",
    title="the next deadline of a paced loop",
    test=_test_next_deadline,
    hints=(
        "First compare now with the deadline: the frame's work ended either in time or too late, and the two cases move the deadline differently.",
        "Answers usually go wrong on the frame that ended in time: counting its next budget from now lets "
        "every late wake-up push all the later frames back, as RemainderPacer did on the pretend clock. Only "
        "an overrun loses the old schedule.",
    ),
    solution=_solution_next_deadline,
    wrong_answers=[
        lambda deadline, now, fps: now + 1 / fps,  # remainder pacing: the budget counted from now
        lambda deadline, now, fps: deadline + 1 / fps,  # never starts afresh after an overrun
        lambda deadline, now, fps: max(0.0, deadline - now),  # the sleep, not the deadline
    ],
    other_answers=[lambda deadline, now, fps: max(deadline, now) + 1 / fps],
)


def _test_stamped_name(fn):
    when = datetime(2026, 11, 24, 9, 30, 5)
    want = "emotion_cnn_20261124-093005.keras"
    got = call(fn, "emotion_cnn", when)
    if got != want:
        return f"for 'emotion_cnn' at {when} the name should be {want!r}; yours is {got!r}"
    earlier = call(fn, "run", datetime(2026, 2, 3, 23, 59, 59))
    later = call(fn, "run", datetime(2026, 11, 1, 0, 0, 0))
    if not earlier < later:
        return f"names should sort in time order: {earlier!r} should come before {later!r}"
    return None


def _solution_stamped_name():
    def stamped_name(prefix, when):
        # largest unit first (year, month, day, hour...), so that names sort in time order;
        # digits and a dash only: Windows forbids colons in file names
        return f"{prefix}_{when:%Y%m%d-%H%M%S}.keras"

    return stamped_name


stamped_name = Exercise(
    key="03.4",
    title="a file name with the date and time in it",
    test=_test_stamped_name,
    hints=(
        "A `datetime` can format itself with `strftime` codes inside an f-string; pick an order that sorts by time and avoid characters Windows forbids in file names.",
        "Compare your name with the example character by character: `isoformat` puts colons in it, which "
        "Windows forbids in file names, and a date written day first does not sort in time order. The "
        "`strftime` codes are the ones notebook 03 prints dates with.",
    ),
    solution=_solution_stamped_name,
    wrong_answers=[
        lambda prefix, when: f"{prefix}_{when.isoformat()}.keras",
        lambda prefix, when: f"{prefix}_{when:%d%m%Y-%H%M%S}.keras",
    ],
    other_answers=[lambda prefix, when: prefix + "_" + when.strftime("%Y%m%d-%H%M%S") + ".keras"],
)
