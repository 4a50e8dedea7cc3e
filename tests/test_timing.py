"""helpers.timing: the timer, repeated measurements, frame pacing and file-name timestamps."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from helpers import timing


def test_timer_measures_a_sleep_and_prints_its_label(capsys):
    with timing.Timer("nap") as t:
        assert t.seconds is None  # not known until the block ends
        time.sleep(0.02)
    assert t.seconds >= 0.02 and t.ms == pytest.approx(t.seconds * 1000)
    assert capsys.readouterr().out.startswith("nap: ")


def test_timer_without_label_prints_nothing(capsys):
    with timing.Timer():
        pass
    assert capsys.readouterr().out == ""


def test_measure_counts_calls_and_reports_per_call_durations():
    calls = []
    m = timing.measure(lambda: calls.append(1), repeat=4, number=5, warmup=2)
    assert len(calls) == 2 + 4 * 5
    assert len(m.runs) == 4 and m.number == 5
    assert m.best <= m.median <= m.worst
    assert "median" in str(m) and "4 runs of 5" in str(m)


def test_the_median_ignores_one_slow_run():
    durations = iter([0.0, 0.08, 0.0, 0.0, 0.0, 0.0])  # warm-up, then one slow run among fast ones
    m = timing.measure(lambda: time.sleep(next(durations)), repeat=5)
    assert m.median < 0.03 and m.worst >= 0.08


@pytest.mark.parametrize("kwargs", [{"repeat": 0}, {"number": 0}])
def test_measure_refuses_empty_measurements(kwargs):
    with pytest.raises(ValueError, match="at least 1"):
        timing.measure(lambda: None, **kwargs)


def test_timestamp_is_file_name_safe_and_sortable():
    stamp = timing.timestamp(datetime(2026, 3, 9, 7, 5, 1))
    assert stamp == "20260309-070501"
    assert ":" not in timing.timestamp()
    assert timing.timestamp(datetime(2026, 3, 9, 7, 5, 1)) < timing.timestamp(datetime(2026, 11, 1))
