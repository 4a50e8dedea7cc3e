"""How old is the frame on screen? A camera's buffer, and a reader that keeps frames fresh.

A webcam delivers frames at its own rate (often 30 a second) and its driver keeps the last few
in a buffer (OpenCV's ``CAP_PROP_BUFFERSIZE``; many drivers hold 4 or more). ``cap.read()``
hands out the *oldest* frame in that buffer. A loop slower than the camera therefore works on
older and older frames, until the buffer is full and each frame shown is several frames late.
Notebook 11 measures it with:

* :class:`PacedCamera` -- a list of frames played like a camera: frame ``k`` arrives at
  ``k / fps`` seconds, a buffer of ``buffer`` frames, the oldest one handed out first. It
  knows when each frame was "captured", so the age of the frame shown can be measured.
* :class:`LatestFrame` -- wraps any capture: a background thread reads it all the time and
  keeps only the newest frame, so the loop always gets the freshest one and frames it was too
  slow for are dropped rather than queued. (The webcam widget solves the same problem in the
  browser: it sends the next frame only when the last one has come back.)

Both offer ``read()``, ``release()``, ``isOpened()`` and ``get()`` like ``cv2.VideoCapture``,
and a ``timestamp``: the ``time.perf_counter()`` time the last frame read was captured.
"""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np


class PacedCamera:
    """``frames`` played like a camera at ``fps`` frames a second, with a driver buffer of
    ``buffer`` frames (at least 1). The clock starts at the first ``read()``."""

    def __init__(self, frames, fps: float = 30.0, buffer: int = 4):
        if fps <= 0 or buffer < 1:
            raise ValueError(f"need fps > 0 and buffer >= 1, got fps={fps}, buffer={buffer}")
        self.frames, self.fps, self.buffer = list(frames), float(fps), int(buffer)
        self.timestamp: float | None = None
        self._start: float | None = None
        self._next = 0  # the next frame not handed out yet
        self._open = True

    def read(self):
        """``(True, frame)``: the oldest frame still in the buffer, waiting for the next one
        to arrive if the loop is ahead of the camera; ``(False, None)`` after the last frame."""
        if not self._open or self._next >= len(self.frames):
            return False, None
        now = time.perf_counter()
        if self._start is None:
            self._start = now
        arrived = int((now - self._start) * self.fps)  # the newest frame the camera has delivered
        if arrived < self._next:  # the loop is ahead: wait for the camera
            time.sleep(self._start + self._next / self.fps - now)
            arrived = self._next
        oldest = max(
            self._next, min(arrived, len(self.frames) - 1) - self.buffer + 1
        )  # older ones were dropped
        self._next = oldest + 1
        self.timestamp = self._start + oldest / self.fps
        return True, self.frames[oldest]

    def get(self, prop: int) -> float:
        """``CAP_PROP_FPS`` and ``CAP_PROP_BUFFERSIZE``, as a camera reports them; 0 otherwise."""
        return {cv2.CAP_PROP_FPS: self.fps, cv2.CAP_PROP_BUFFERSIZE: float(self.buffer)}.get(prop, 0.0)

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return self._open

    def release(self) -> None:
        self._open = False


class LatestFrame:
    """Read ``cap`` in a background thread and keep only its newest frame.

    ``read()`` returns the newest frame not returned before (waiting for one if needed); the
    frames in between are dropped. ``release()`` stops the thread and releases ``cap``.
    """

    def __init__(self, cap):
        self.cap = cap
        self.timestamp: float | None = None
        self._new = threading.Condition()
        self._frame: tuple[np.ndarray, float] | None = None
        self._done = False
        self._stop = False
        self._thread = threading.Thread(target=self._reader, daemon=True)
        self._thread.start()

    def _reader(self) -> None:
        while not self._stop:
            ok, frame = self.cap.read()
            stamp = getattr(self.cap, "timestamp", None) or time.perf_counter()
            with self._new:
                if not ok or frame is None:
                    self._done = True
                else:
                    self._frame = (frame, stamp)  # replaces any frame the loop has not taken
                self._new.notify()
            if not ok:
                return

    def read(self):
        """``(True, newest frame)``, or ``(False, None)`` once the capture has ended and its
        last frame was taken."""
        with self._new:
            while self._frame is None and not self._done:
                self._new.wait()
            if self._frame is None:
                return False, None
            frame, self.timestamp = self._frame
            self._frame = None
            return True, frame

    def get(self, prop: int) -> float:
        return self.cap.get(prop)

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return not self._done and self.cap.isOpened()

    def release(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.cap.release()
