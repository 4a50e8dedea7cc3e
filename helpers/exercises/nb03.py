"""Exercises of notebook 03 (``time``)."""

from __future__ import annotations

import contextlib
import statistics
import threading
import time
from datetime import datetime
from pathlib import Path

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

    def work():  # 20 ms a call, except a fast first one and a slow second one (the computer was busy)
        calls.append(1)
        time.sleep({1: 0.01, 2: 0.12}.get(len(calls), 0.02))

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
    if got < 15:
        return (
            f"{got:.1f} ms is the fastest call, not the middle one: of five calls taking about 10, 120, 20, 20 "
            "and 20 ms, the median is about 20 ms. Did you take the minimum?"
        )
    if got > 250:
        return (
            f"{got:.1f} ms is more than the five calls took together (about 190 ms): is each duration "
            "the end time minus the start time, in milliseconds?"
        )
    if got > 30:
        return (
            f"{got:.1f} ms is too high: the five calls took about 10, 120, 20, 20 and 20 ms, so the "
            "median is about 20 ms. Did you take the mean, or time all the calls together?"
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


def _fastest_ms(fn, repeat):  # the minimum: the fastest call, not the typical one
    return min(_durations(fn, repeat)) * 1000


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
    wrong_answers=[
        _mean_ms,
        _fastest_ms,
        _median_seconds,
        _wall_clock_ms,
        _wall_clock_imported_ms,
        _process_time_ms,
    ],
    other_answers=[_median_ms_timeit, _median_ms_warm_up],
)


def _missed(stamps, fps):
    """The frames a loop fell short of ``fps`` by, over the time its stamps cover (the solution's sum)."""
    return max(0, round((stamps[-1] - stamps[0]) * fps - (len(stamps) - 1)))


def _test_frames_missed(fn):
    cases = [  # (stamps, target fps), and what the case tries
        (([0.0, 0.1, 0.2, 1.0], 10), "a pause of 0.8 s after two frames on time"),
        (([0.0, 0.1, 0.2, 0.3], 10), "a loop right on target"),
        (([5.0, 5.04, 5.09, 5.13, 5.18], 10), "a loop faster than the target"),
        (([0.0, 0.04, 0.08, 0.12, 0.16, 0.6], 25), "a pause at 25 frames per second"),
        (([12778.1, 12778.2, 12778.8], 10), "perf_counter's large readings"),
        (([0.0, 0.37], 10), "one slow frame of 0.37 s"),
    ]
    for (stamps, fps), what in cases:
        want = _missed(stamps, fps)
        got = call(fn, list(stamps), fps)
        try:
            value = float(got)
        except (TypeError, ValueError):
            return f"return one whole number; your function returned {type(got).__name__} {got!r}"
        if value == want:
            continue
        shown, span = len(stamps) - 1, stamps[-1] - stamps[0]
        said = (
            f"frames shown at {stamps} ({what}) at a target of {fps} frames per second: {want} frames missed "
            f"({shown} shown in {span:.2f} s, where the target shows {span * fps:.1f}); your function returned "
            f"{value:g}"
        )
        gaps = np.diff(stamps)
        if value < 0:
            return f"{said}. A loop that ran faster than the target missed no frame: the count never goes below 0."
        if value == max(0, int(span * fps - shown)):
            return (
                f"{said}. The decimals were cut off, not rounded: clock readings are not exact, and "
                f"{span * fps - shown!r} is {want} frames, not {want - 1}."
            )
        if value == max(0, round(span * fps - len(stamps))):
            return (
                f"{said}. That counts the stamps as frames. The first stamp is taken before any frame, so n "
                "stamps enclose n - 1 frames."
            )
        if value == max(0, round((fps - 1 / statistics.median(gaps)) * span)):
            return (
                f"{said}. That takes the median gap for every gap. The median leaves out the unusually long "
                "gaps, but a pause is exactly where frames go missing: count over the whole time, pauses included."
            )
        if not value.is_integer():
            return f"{said}. Frames come whole: round the count to the nearest whole number."
        if value == max(0, round(fps - shown / span)):
            return (
                f"{said}. That is a difference of rates, in frames per second. The question asks for frames: "
                "a rate times a time."
            )
        return f"{said}."
    return None


def _solution_frames_missed():
    def frames_missed(stamps, target_fps):
        shown = len(stamps) - 1  # the first stamp comes before any frame: n stamps, n - 1 frames
        # over the whole time the stamps cover, pauses included, the target rate shows this many
        expected = (stamps[-1] - stamps[0]) * target_fps
        # round, since clock readings are not exact (0.7 s can read 0.69999...); a loop that
        # kept up or ran faster missed nothing, so the count never goes below 0
        return max(0, round(expected - shown))

    return frames_missed


def _frames_missed_by_rate(stamps, target_fps):
    span = stamps[-1] - stamps[0]
    fps = (len(stamps) - 1) / span  # the rate run_loop prints
    behind = (target_fps - fps) * span  # frames per second short, times the seconds
    return round(behind) if behind > 0 else 0


def _frames_missed_loop(stamps, target_fps):
    covered = 0.0
    for i in range(1, len(stamps)):  # every gap, the long ones too
        covered += stamps[i] - stamps[i - 1]
    return max(0, round(covered * target_fps) - (len(stamps) - 1))


frames_missed = Exercise(
    key="03.2",
    title="frames missed against the target",
    test=_test_frames_missed,
    hints=(
        "Compare two counts over the same stretch of time: the frames the target rate would have shown, and "
        "the frames the loop did show.",
        "Answers usually go wrong in the count of frames shown, or in the time. The first stamp comes before "
        "any frame, so there is one frame fewer than stamps. The time runs from the first stamp to the last, "
        "pauses included: a typical gap, such as the median, hides a long pause. And a loop ahead of the "
        "target did not miss a negative number of frames.",
    ),
    solution=_solution_frames_missed,
    wrong_answers=[
        lambda stamps, fps: max(0, round((stamps[-1] - stamps[0]) * fps - len(stamps))),  # stamps, not frames
        lambda stamps, fps: round((stamps[-1] - stamps[0]) * fps - (len(stamps) - 1)),  # below 0 when faster
        lambda stamps, fps: max(  # the median gap for every gap
            0, round((fps - 1 / statistics.median(np.diff(stamps))) * (stamps[-1] - stamps[0]))
        ),
        lambda stamps, fps: max(
            0, int((stamps[-1] - stamps[0]) * fps - (len(stamps) - 1))
        ),  # cut, not rounded
        lambda stamps, fps: max(0, round(fps - (len(stamps) - 1) / (stamps[-1] - stamps[0]))),  # a rate
    ],
    other_answers=[_frames_missed_by_rate, _frames_missed_loop],
)


def _seconds(value):
    """A returned value as a short number when it is one, else its repr (for messages)."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return repr(value)


def _pair(got):
    """``got`` as two floats, or None when it is not two numbers."""
    try:
        first, second = got
        return float(first), float(second)
    except (TypeError, ValueError):
        return None


def _test_timetable_wait(fn):
    cases = [  # (deadline, now, fps) and the right (sleep, next deadline)
        ((1.0, 0.97, 10), (0.03, 1.1)),  # in time: sleep until the deadline
        ((2.0, 2.0, 25), (0.0, 2.04)),  # right on the deadline: nothing was missed
        ((1.0, 1.02, 10), (0.08, 1.2)),  # 20 ms late: 1.0 is missed, the next time is 1.1
        ((1.0, 1.25, 10), (0.05, 1.4)),  # 250 ms late: 1.0, 1.1 and 1.2 are missed
        ((5.0, 5.09, 25), (0.03, 5.16)),  # 90 ms late at 25 fps: 5.0, 5.04 and 5.08 are missed
        ((12778.4, 12778.47, 10), (0.03, 12778.6)),  # perf_counter's readings are large numbers
    ]
    for (deadline, now, fps), want in cases:
        got = call(fn, deadline, now, fps)
        pair = _pair(got)
        if pair is None:
            return (
                f"timetable_wait({deadline}, {now}, {fps}) returned {_seconds(got)}: return two numbers, "
                "the sleep and the next deadline, separated by a comma"
            )
        if close(pair, want):
            continue
        pause, following = pair
        budget, late = 1 / fps, now > deadline
        said = (
            f"with the deadline at {deadline} s, work that ended at {now} s and {fps} frames per second, "
            f"the sleep is {want[0]:g} s and the next deadline {want[1]:g} s; "
            f"your function returned ({pause:.4g}, {following:.4g})"
        )
        if close((following, pause), want):
            return (
                f"{said}. The two numbers are the other way round: the sleep first, then the next deadline."
            )
        if pause < -1e-9:
            return (
                f"{said}. A sleep cannot be negative: time.sleep refuses it with a ValueError. A late loop "
                "waits for a time on the timetable that is still ahead."
            )
        if late and close(following, now + budget):
            return (
                f"{said}. That is FramePacer's way: a new schedule from now, so every later frame moves off "
                "the timetable. Here the timetable stays: the deadlines are always the first one plus whole budgets."
            )
        if late and close(following, deadline + budget):
            return (
                f"{said}. The missed deadline was kept: this frame then goes out off the timetable, and after "
                "a long overrun the next deadline is already past too, so the loop rushes through frames "
                "without sleeping. Skip the missed times, and wait for the next one."
            )
        if late and following < want[1] - 1e-9:
            return (
                f"{said}. Not every missed time was skipped: each time on the timetable before now is "
                "missed, and the loop waits for the first one after now."
            )
        if late and close(pause, 0.0):
            return (
                f"{said}. The loop is late, but it must still wait: for the next time on the timetable, "
                "which is still ahead."
            )
        if not late and close(pause, want[0] + budget):
            return (
                f"{said}. The work ended right on its deadline, so no time was missed: skip a time only "
                "when the clock is already past it."
            )
        if close(following, want[1] - budget):
            return (
                f"{said}. The second number is the time this frame sleeps until; the exercise asks for the "
                "deadline of the frame after it, one budget later."
            )
        return f"{said}."
    return None


def _solution_timetable_wait():
    import math

    def timetable_wait(deadline, now, fps):
        budget = 1 / fps
        if now > deadline:  # late: this time on the timetable is gone, like a missed bus
            # how many budgets the work ran past the deadline, rounded up to a whole number:
            # that many times were missed, and the deadline moves on along the same timetable
            missed = math.ceil((now - deadline) / budget)
            deadline += missed * budget
        # the deadline is now never behind the clock, so the sleep is never negative
        return deadline - now, deadline + budget

    return timetable_wait


def _timetable_wait_loop(deadline, now, fps):
    while deadline < now:  # step along the timetable past every time already missed
        deadline += 1 / fps
    return deadline - now, deadline + 1 / fps


def _frame_pacer_way(deadline, now, fps):  # after an overrun, a new schedule from now
    if now < deadline:
        return deadline - now, deadline + 1 / fps
    return 0.0, now + 1 / fps


def _skips_one(deadline, now, fps):  # skips one missed time, however late the work ended
    if now > deadline:
        deadline += 1 / fps
    return max(0.0, deadline - now), deadline + 1 / fps


def _skips_on_time(deadline, now, fps):  # `<=`: skips a time the work ended right on
    budget = 1 / fps
    while deadline <= now:
        deadline += budget
    return deadline - now, deadline + budget


timetable_wait = Exercise(
    key="03.3",
    title="keep to a timetable",
    test=_test_timetable_wait,
    hints=(
        "Think of a bus timetable: when you miss the 9:10 bus, you wait for the 9:20 one. You do not write a "
        "new timetable that starts when you reached the stop.",
        "Answers usually go wrong on a frame that ended late. Its deadline has gone by, and perhaps the next "
        "ones too: the new deadline is the first time on the timetable that is not past yet, however many "
        "were missed. A frame that ended exactly on its deadline missed nothing.",
    ),
    solution=_solution_timetable_wait,
    wrong_answers=[
        _frame_pacer_way,
        lambda deadline, now, fps: (max(0.0, deadline - now), deadline + 1 / fps),  # keeps a missed deadline
        lambda deadline, now, fps: (deadline - now, deadline + 1 / fps),  # sleeps a negative time
        _skips_one,
        _skips_on_time,
    ],
    other_answers=[_timetable_wait_loop],
)


#: The pattern of the course's timestamps, as notebook 03 writes them with ``strftime``.
_STAMP = "%Y%m%d-%H%M%S"


def _test_saved_when(fn):
    cases = [  # the name, the moment in it, and what the name tries
        (
            "models/emotion_cnn_20261124-093005.keras",
            datetime(2026, 11, 24, 9, 30, 5),
            "the prompt's example",
        ),
        (
            "run_20251231-235900",
            datetime(2025, 12, 31, 23, 59, 0),
            "a name from the pitfall's cell: no suffix",
        ),
        ("figures/curves_20260201-080000.png", datetime(2026, 2, 1, 8, 0, 0), "a figure: a .png"),
        (
            "models/cnn_v2_lr_0.001_20260305-070809.keras",
            datetime(2026, 3, 5, 7, 8, 9),
            "a prefix with underscores, digits and a dot of its own",
        ),
    ]
    for name, want, what in cases:
        try:
            got = call(fn, name)
        except ValueError as exc:
            return (
                f"for {name!r} ({what}) your function raised ValueError: {exc}. Is the text you read back "
                "exactly the 15 characters of the date and time? Does each code of the pattern match its part, "
                "the case of its letter included?"
            )
        if got == want and isinstance(got, datetime):
            continue
        said = f"for {name!r} ({what}) the moment is {want!r}; your function returned {got!r}"
        if isinstance(got, str):
            return f"{said}. That is text: return a datetime, which can be compared and subtracted."
        swapped = want.replace(month=want.minute, minute=want.month) if want.minute <= 12 else None
        if got == swapped:
            return f"{said}. The month and the minute are swapped: in the codes, a small m is the month, a capital M the minute."
        return f"{said}."
    return None


def _solution_saved_when():
    from datetime import datetime
    from pathlib import Path

    def saved_when(filename):
        # the stem drops the folders and the suffix (.keras, .png, or none); the stamp is its
        # last 15 characters, counted from the end, whatever underscores the prefix holds
        stamp = Path(filename).stem[-15:]
        # read back with the very codes strftime wrote it with: %m is the month, %M the minute
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S")

    return saved_when


def _saved_when_by_hand(filename):
    stamp = filename.rsplit("_", 1)[1][:15]  # after the last underscore: the stamp, then any suffix
    numbers = [stamp[0:4], stamp[4:6], stamp[6:8], stamp[9:11], stamp[11:13], stamp[13:15]]
    return datetime(*[int(n) for n in numbers])


saved_when = Exercise(
    key="03.4",
    title="read the time back from a file name",
    test=_test_saved_when,
    hints=(
        "Two steps: cut the date and time out of the name, then read them with the codes that wrote them.",
        "Answers usually go wrong in the cutting. The prefix may hold underscores and digits of its own, and "
        "the name may end in a suffix or in none, so find the stamp from the end of the name, once the suffix "
        "is gone. In the pattern, the case of a letter matters: a small m is the month, a capital M the minute.",
    ),
    solution=_solution_saved_when,
    wrong_answers=[
        lambda filename: datetime.strptime(filename.split("_")[1], _STAMP),  # the second part: 'cnn'
        lambda filename: datetime.strptime(filename.split("_")[-1], _STAMP),  # the suffix still on
        lambda filename: datetime.strptime(filename[-21:-6], _STAMP),  # only a 6-letter suffix, .keras
        lambda filename: datetime.strptime(Path(filename).stem[-15:], "%Y%M%d-%H%m%S"),  # month and minute
        lambda filename: Path(filename).stem[-15:],  # the text, not a moment
    ],
    other_answers=[
        _saved_when_by_hand,
        lambda filename: datetime.fromisoformat(
            Path(filename).stem[-15:]
        ),  # Python 3.11 and later read this form too
    ],
)
