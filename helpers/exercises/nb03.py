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
        "A frame's budget is one over fps seconds. In time: one budget after the old deadline, not after now, so that a late wake-up is not carried on. Too late: the old schedule is lost, so one budget after now.",
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
