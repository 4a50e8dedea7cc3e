"""Exercises of notebook 03 (``time``)."""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import numpy as np

from helpers.exercises import Exercise, call, close


def _test_median_ms(fn):
    calls = []

    def work():  # 10 ms per call, except one call that is slow, as when the computer is busy
        calls.append(1)
        time.sleep(0.12 if len(calls) == 2 else 0.01)

    got = call(fn, work, 5)
    if len(calls) < 5:
        return f"median_ms(fn, 5) should call fn at least 5 times; it called it {len(calls)} time(s)"
    try:
        got = float(got)
    except (TypeError, ValueError):
        return f"expected a number of milliseconds, got {got!r}"
    if got < 1:
        return f"{got:.4f} looks like seconds: multiply by 1000 to get milliseconds"
    if got > 30:
        return (
            f"{got:.1f} ms is too high: one of the five calls took 120 ms and the others 10 ms, so the "
            "median is about 10 ms. Did you take the mean, or time all the calls together?"
        )
    if got < 9:
        return f"{got:.1f} ms is too low: each call sleeps at least 10 ms"
    return None


def _solution_median_ms():
    import statistics
    import time

    def median_ms(fn, repeat):
        durations = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            durations.append(time.perf_counter() - start)
        return statistics.median(durations) * 1000

    return median_ms


def _durations(fn, repeat):
    """Seconds per call of ``fn``, ``repeat`` times (what the known wrong answers below share)."""
    durations = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - start)
    return durations


def _mean_ms(fn, repeat):
    return statistics.mean(_durations(fn, repeat)) * 1000


def _median_seconds(fn, repeat):
    return statistics.median(_durations(fn, repeat))


def _median_ms_timeit(fn, repeat):
    import statistics
    import timeit

    return statistics.median(timeit.repeat(fn, number=1, repeat=repeat)) * 1000


median_ms = Exercise(
    key="03.1",
    title="the median time of a function, in milliseconds",
    test=_test_median_ms,
    hints=(
        "Time each call on its own with the clock notebook 03 recommends for durations, then summarise the times so that one slow call does not move the result.",
        "`time.perf_counter` before and after each call; keep the differences; `statistics.median` of them, converted from seconds to milliseconds.",
    ),
    solution=_solution_median_ms,
    wrong_answers=[_mean_ms, _median_seconds],
    other_answers=[_median_ms_timeit],
)


def _test_frames_per_second(fn):
    cases = [([0.0, 0.1, 0.2, 0.3], 10.0), ([5.0, 5.04, 5.1, 5.12, 5.2], 20.0), ([100.0, 100.5], 2.0)]
    for stamps, want in cases:
        got = call(fn, list(stamps))
        if not close(got, want, tol=1e-6):
            return (
                f"frames shown at {stamps} come {want:g} per second ({len(stamps) - 1} intervals in "
                f"{stamps[-1] - stamps[0]:.2f} s); your function returned {got!r}"
            )
    return None


def _solution_frames_per_second():
    def frames_per_second(stamps):
        intervals = len(stamps) - 1  # n frames have n - 1 gaps between them
        return intervals / (stamps[-1] - stamps[0])

    return frames_per_second


frames_per_second = Exercise(
    key="03.2",
    title="frames per second from frame times",
    test=_test_frames_per_second,
    hints=(
        "Count the intervals between frames, not the frames themselves.",
        "With n stamps there are n - 1 intervals, spanning the time from the first stamp to the last; frames per second is intervals over that time.",
    ),
    solution=_solution_frames_per_second,
    wrong_answers=[
        lambda stamps: len(stamps) / (stamps[-1] - stamps[0]),
        lambda stamps: 1 / (stamps[1] - stamps[0]),  # the first interval only
    ],
    other_answers=[lambda stamps: 1 / np.mean(np.diff(stamps))],
)


def _test_pause_for(fn):
    cases = [((0.01, 25), 0.03), ((0.05, 25), 0.0), ((0.0, 10), 0.1), ((0.02, 30), 1 / 30 - 0.02)]
    for args, want in cases:
        got = call(fn, *args)
        if not close(got, want):
            return (
                f"a frame whose work took {args[0]} s, at a target of {args[1]} frames per second, needs a "
                f"pause of {want:.4f} s; your function returned {got!r}"
            )
    return None


def _solution_pause_for():
    def pause_for(work_seconds, fps):
        budget = 1 / fps  # the time one frame may take in all
        return max(0.0, budget - work_seconds)

    return pause_for


pause_for = Exercise(
    key="03.3",
    title="how long to sleep to hold a frame rate",
    test=_test_pause_for,
    hints=(
        "A frame has a budget of 1/fps seconds; the work has already used part of it.",
        "Sleep what is left of the budget after the work, and never a negative time: the larger of zero and that remainder.",
    ),
    solution=_solution_pause_for,
    wrong_answers=[lambda work, fps: 1 / fps, lambda work, fps: 1 / fps - work],
    other_answers=[lambda work, fps: 1 / fps - work if work < 1 / fps else 0.0],
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
        return f"{prefix}_{when:%Y%m%d-%H%M%S}.keras"

    return stamped_name


stamped_name = Exercise(
    key="03.4",
    title="a file name with the date and time in it",
    test=_test_stamped_name,
    hints=(
        "A `datetime` can format itself with `strftime` codes inside an f-string; pick an order that sorts by time and avoid characters Windows forbids in file names.",
        "Year, month, day, then hour, minute, second, with a dash between date and time, no colons; the prefix first, then an underscore, and the `.keras` suffix.",
    ),
    solution=_solution_stamped_name,
    wrong_answers=[
        lambda prefix, when: f"{prefix}_{when.isoformat()}.keras",
        lambda prefix, when: f"{prefix}_{when:%d%m%Y-%H%M%S}.keras",
    ],
    other_answers=[lambda prefix, when: prefix + "_" + when.strftime("%Y%m%d-%H%M%S") + ".keras"],
)
