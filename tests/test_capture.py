"""helpers.capture: a file played like a camera, and a reader that keeps only the newest frame."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from helpers import capture


def _frames(n):
    return [np.full((4, 4), k, np.uint8) for k in range(n)]  # each frame's pixels say its number


def test_paced_camera_waits_for_a_fast_loop_and_hands_a_slow_one_old_frames():
    cam = capture.PacedCamera(_frames(10), fps=200, buffer=3)
    got = [int(cam.read()[1][0, 0]) for _ in range(4)]
    assert got == [0, 1, 2, 3]  # a loop faster than the camera gets every frame, in order
    time.sleep(0.03)  # six frame periods: the buffer of 3 is full, older frames were dropped
    ok, frame = cam.read()
    newest = int((time.perf_counter() - cam._start) * 200)
    assert ok and newest - int(frame[0, 0]) >= 2  # the oldest in the buffer: frames late
    assert cam.timestamp == pytest.approx(cam._start + int(frame[0, 0]) / 200)
    assert cam.get(cv2.CAP_PROP_FPS) == 200 and cam.get(cv2.CAP_PROP_BUFFERSIZE) == 3
    while cam.read()[0]:
        pass
    assert cam.read() == (False, None)
    with pytest.raises(ValueError, match="buffer"):
        capture.PacedCamera(_frames(2), buffer=0)


def test_latest_frame_drops_what_a_slow_loop_missed_and_ends_cleanly():
    latest = capture.LatestFrame(capture.PacedCamera(_frames(30), fps=300, buffer=4))
    got = []
    while True:
        ok, frame = latest.read()
        if not ok:
            break
        got.append(int(frame[0, 0]))
        time.sleep(0.02)  # six frame periods per frame: a slow loop
    latest.release()
    assert got == sorted(set(got)) and len(got) < 30  # newer and newer, frames skipped
    assert not latest.isOpened()
