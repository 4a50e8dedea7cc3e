"""A webcam in the notebook, wherever the kernel runs (notebook 11).

``cv2.VideoCapture(0)`` opens a camera of the machine the *kernel* runs on, and
``cv2.imshow`` opens a window on that machine too: on a remote JupyterLab, a JupyterHub or
Colab the camera is in front of you and the kernel is elsewhere, so both fail. Here the
*browser* opens the camera (``getUserMedia``, after asking you), sends small JPEG frames to the
kernel, and shows what the kernel draws on them. The detector is the one of
``python3 course.py live``: :class:`helpers.detector.EmotionDetector`.

* :class:`WebcamWidget` -- the widget (anywidget; its JavaScript ships in ``helpers/static``,
  no CDN): Start and Stop buttons, the annotated frame, frames per second and the round trip.
* :func:`annotator` -- turns an ``EmotionDetector`` into the widget's frame handler.
* :func:`jpeg_round_trip` -- what the kernel does with one frame, callable without a browser.

Frames are bounded in size (``width`` x ``height``, 320x240 by default) and in rate: the
browser sends the next frame only when the annotated one has come back, and at most
``max_fps`` (15) a second, so a slow kernel drops frames instead of queueing them. With
``EmotionDetector(detect_every=3)`` the kernel needs about 10 ms a frame, well inside the
67 ms that 15 frames a second allow (``python3 course.py bench``, ``webcam``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anywidget
import cv2
import numpy as np
import traitlets

STATIC = Path(__file__).parent / "static"

#: A frame handler: a BGR frame in, the annotated BGR frame and one line of text out.
FrameHandler = Callable[[np.ndarray], tuple[np.ndarray, str]]


def jpeg_round_trip(jpeg: bytes, handler: FrameHandler, quality: int = 80) -> tuple[bytes, str]:
    """Decode a JPEG frame from the browser, run ``handler`` on it, encode the result."""
    frame = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    if frame is None:
        raise ValueError(f"the browser sent {len(jpeg)} bytes that are not a JPEG image")
    annotated, text = handler(frame)
    ok, encoded = cv2.imencode(".jpg", annotated, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the annotated frame as JPEG")
    return encoded.tobytes(), text


def annotator(detector, scale: float = 2.0) -> FrameHandler:
    """A frame handler that draws ``detector``'s boxes, labels and bars (as ``course.py live``).

    The browser's small frame is enlarged ``scale`` times first: the labels and probability
    bars are drawn for a 640x480 frame, and would cover most of a 320x240 one."""

    def handle(frame: np.ndarray) -> tuple[np.ndarray, str]:
        if scale != 1:
            frame = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_LINEAR)
        annotated, faces = detector.process(frame)
        if not faces:
            return annotated, "no face found in this frame"
        return annotated, "; ".join(f"{face.label} {face.confidence:.0%}" for face in faces)

    return handle


class WebcamWidget(anywidget.AnyWidget):
    """The browser's camera as a source of frames for ``handler``, and a place to show them.

    ``handler`` takes a BGR frame and returns the annotated frame and one line of text
    (:func:`annotator` builds one from an ``EmotionDetector``); ``done_when``, if given, is asked
    after each frame, and when it says True the browser releases the camera (a recording that
    has finished: :func:`helpers.my_faces.recording_widget`). ``frames`` counts the frames
    annotated so far; ``camera_on`` is True while the browser's camera runs; ``error`` names
    what went wrong when the browser has no camera or refused it (empty otherwise).
    """

    _esm = STATIC / "webcam.js"
    _css = STATIC / "webcam.css"

    width = traitlets.Int(320).tag(sync=True)
    height = traitlets.Int(240).tag(sync=True)
    max_fps = traitlets.Float(15.0).tag(sync=True)
    quality = traitlets.Float(0.8).tag(sync=True)
    status = traitlets.Unicode("Press Start camera: the browser will ask for your permission.").tag(sync=True)
    camera_on = traitlets.Bool(False).tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    frames = traitlets.Int(0).tag(sync=True)

    def __init__(self, handler: FrameHandler, *, done_when: Callable[[], bool] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.handler = handler
        self.done_when = done_when  # asked after each frame: True releases the camera (a recording ends)
        self.last_text = ""
        self.on_msg(self._on_message)

    def __repr__(self) -> str:  # what a page without a live kernel (the site, GitHub) shows
        return (
            f"WebcamWidget ({self.frames} frames annotated): a live widget. Run this cell in JupyterLab, "
            "Notebook 7 or Colab and press Start camera."
        )

    def _on_message(self, _widget, content, buffers) -> None:
        if not isinstance(content, dict) or content.get("type") != "frame" or not buffers:
            return
        try:
            jpeg, text = jpeg_round_trip(bytes(buffers[0]), self.handler)
        except Exception as exc:  # noqa: BLE001  (shown in the widget, the loop goes on)
            self.send({"type": "annotated", "sent": content.get("sent", 0), "text": f"error: {exc}"})
            return
        self.frames += 1
        self.last_text = text
        done = bool(self.done_when and self.done_when())
        self.send(
            {"type": "annotated", "sent": content.get("sent", 0), "text": text, "done": done}, buffers=[jpeg]
        )
