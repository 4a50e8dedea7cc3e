"""Faces in pictures and video with OpenCV: detect, crop, draw, capture, write.

Notebook 02 teaches each step with plain ``cv2`` calls; these functions are the same steps
packaged for the notebooks after it (the real-time detector of notebook 11 above all).

* :func:`detect_faces` / :func:`largest_face` / :func:`crop_face` -- Haar-cascade face
  detection on a grey image and the 48x48 crop a FER2013 model takes.
* :func:`draw_face_box` -- a box and a readable label on a colour (BGR) frame.
* :func:`camera_available`, :func:`open_video`, :func:`open_camera_or_video` -- a capture
  that checks it really opened, with a video file as the fallback when there is no camera.
* :func:`read_frames` -- frames from a capture; always releases it, on every exit path.
* :func:`write_video`, :func:`demo_frames` -- the course's own test video, made from a real
  photo, so that everything runs on a machine without a camera.

Colour frames are BGR ``uint8`` arrays of shape (height, width, 3), as OpenCV reads them.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from helpers import files
from helpers.errors import VideoError

FACE_CASCADE = "haarcascade_frontalface_default.xml"


@functools.lru_cache(maxsize=4)
def face_detector(name: str = FACE_CASCADE) -> cv2.CascadeClassifier:
    """OpenCV's pre-trained Haar cascade ``name`` (loaded once, then cached)."""
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if folder is None or not hasattr(cv2, "CascadeClassifier"):
        raise VideoError(
            f"This OpenCV ({cv2.__version__}) ships no Haar cascades: the course needs opencv-python 4.x "
            "(OpenCV 5 moved CascadeClassifier out of the main package). Run `python3 course.py setup`."
        )
    path = Path(folder) / name
    detector = cv2.CascadeClassifier(str(path))
    if detector.empty():
        raise VideoError(f"Could not load the face detector {path}: is opencv-python installed completely?")
    return detector


def detect_faces(grey: np.ndarray, *, scale_factor: float = 1.1, min_neighbors: int = 5, min_size=(40, 40)):
    """Boxes ``(x, y, w, h)`` of the faces in a grey image, as an int array of shape (k, 4).

    ``scale_factor``: how much the search window grows per step (smaller finds more, slower);
    ``min_neighbors``: how many overlapping hits a face needs (higher, fewer false faces);
    ``min_size``: the smallest face looked for, in pixels.
    """
    grey = np.asarray(grey)
    if grey.ndim != 2 or grey.dtype != np.uint8:
        raise ValueError(
            f"detect_faces needs a grey uint8 image of shape (height, width); got {grey.dtype} {grey.shape}. "
            "Convert a colour frame first: cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)."
        )
    boxes = face_detector().detectMultiScale(
        grey, scaleFactor=scale_factor, minNeighbors=min_neighbors, minSize=tuple(min_size)
    )
    return np.asarray(boxes, dtype=int).reshape(-1, 4)


def largest_face(boxes) -> tuple[int, int, int, int] | None:
    """The biggest box (by area) of ``detect_faces``' result, or ``None`` when there is none."""
    boxes = np.asarray(boxes).reshape(-1, 4)
    if len(boxes) == 0:
        return None
    x, y, w, h = boxes[np.argmax(boxes[:, 2] * boxes[:, 3])]
    return int(x), int(y), int(w), int(h)


def crop_face(grey: np.ndarray, box, size: int = 48, margin: float = 0.0) -> np.ndarray:
    """Cut ``box`` out of a grey image and resize it to ``size`` x ``size`` (``uint8``).

    ``margin`` widens the box by that fraction on every side (clipped at the image edge);
    ``INTER_AREA`` averages pixels when shrinking, which keeps the small face smooth.
    """
    x, y, w, h = (int(v) for v in box)
    dx, dy = int(round(w * margin)), int(round(h * margin))
    top, bottom = max(0, y - dy), min(grey.shape[0], y + h + dy)
    left, right = max(0, x - dx), min(grey.shape[1], x + w + dx)
    if bottom <= top or right <= left:
        raise ValueError(f"box {tuple(box)} lies outside the {grey.shape[1]}x{grey.shape[0]} image")
    return cv2.resize(grey[top:bottom, left:right], (size, size), interpolation=cv2.INTER_AREA)


def draw_face_box(frame: np.ndarray, box, label: str | None = None, color=(0, 200, 0)) -> np.ndarray:
    """Draw ``box`` and an optional ``label`` (on a filled strip, so it reads on any
    background) onto the BGR ``frame`` in place; returns the frame."""
    x, y, w, h = (int(v) for v in box)
    thickness = max(2, frame.shape[1] // 320)
    cv2.rectangle(frame, (x, y), (x + w, y + h), color, thickness)
    if label:
        scale = max(0.5, w / 200)
        (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
        while x + tw + 6 > frame.shape[1] and scale > 0.35:  # smaller text rather than cut off
            scale *= 0.9
            (tw, th), base = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, scale, 1)
        top = y - th - base - 4 if y - th - base - 4 >= 0 else y + h  # above the box, or below it
        cv2.rectangle(frame, (x, top), (x + tw + 6, top + th + base + 4), color, cv2.FILLED)
        cv2.putText(
            frame, label, (x + 3, top + th + 2), cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 1, cv2.LINE_AA
        )
    return frame


@contextlib.contextmanager
def opencv_quiet():
    """Silence OpenCV's own log lines for a moment (probing for a camera prints several,
    and ``cv2.imread`` warns about every file it cannot read)."""
    old = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        yield
    finally:
        cv2.utils.logging.setLogLevel(old)


def _working_camera(index: int) -> cv2.VideoCapture | None:
    """Camera ``index`` opened, if it opens and delivers a frame; otherwise ``None`` (released)."""
    with opencv_quiet():
        cap = cv2.VideoCapture(index)
        if cap.isOpened() and cap.read()[0]:
            return cap
        cap.release()
        return None


def has_screen() -> bool:
    """False on Linux without a display (a server, a container, CI): ``cv2.imshow`` would fail
    there. ``course.py live`` and ``course.py record`` check it before opening a window."""
    import os
    import sys

    return not sys.platform.startswith("linux") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def camera_available(index: int = 0) -> bool:
    """True when camera ``index`` opens and delivers a frame (the camera is released again)."""
    cap = _working_camera(index)
    if cap is None:
        return False
    cap.release()
    return True


def open_video(source: int | str | Path) -> cv2.VideoCapture:
    """Open a camera (an int index) or a video file, and check that it really opened.

    ``cv2.VideoCapture`` never raises: on failure it returns a capture whose ``read()``
    gives ``(False, None)``, and the crash comes later, far from the cause. This raises
    :class:`VideoError` at once, saying what to check.
    """
    if isinstance(source, int):
        cap = _working_camera(source)  # opened and delivering frames, not only "opened"
        if cap is None:
            raise VideoError(
                f"No camera at index {source} (or it delivers no frames). Check that one is connected and not "
                "used by another program (close video calls), try another index (1, 2), or give a video file."
            )
        return cap
    path = Path(source)
    if not path.is_file():
        raise VideoError(
            f"No video file at {path}. Check the path, or make one with helpers.video.write_video."
        )
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        cap.release()
        raise VideoError(f"OpenCV cannot decode {path}: the file is corrupt or not a video.")
    return cap


def open_camera_or_video(index: int, video_path: str | Path) -> tuple[cv2.VideoCapture, str]:
    """Camera ``index`` if one works, else the video file; returns the capture and a sentence
    saying which one was used and why."""
    cap = _working_camera(index)  # opened once: the probe's capture is the one returned
    if cap is not None:
        return cap, f"camera {index}"
    return open_video(video_path), f"video file {Path(video_path).name} (no camera at index {index})"


def read_frames(cap: cv2.VideoCapture, max_frames: int | None = None) -> Iterator[np.ndarray]:
    """Yield frames from ``cap`` until it runs out or ``max_frames`` were read.

    Every ``read()`` is checked (a camera can stop delivering at any time), and the capture
    is released when the loop ends, breaks early or fails, so the camera is never left busy.
    """
    try:
        count = 0
        while max_frames is None or count < max_frames:
            ok, frame = cap.read()
            if not ok or frame is None:
                return
            count += 1
            yield frame
    finally:
        cap.release()


def write_video(
    path: str | Path, frames: Iterable[np.ndarray], fps: float = 15, fourcc: str = "mp4v"
) -> Path:
    """Write BGR (or grey) frames of one size to a video file and return its path.

    ``mp4v`` in an ``.mp4`` works with the opencv-python wheels on every system; ``MJPG``
    in an ``.avi`` is the other safe choice. Raises :class:`VideoError` when OpenCV cannot
    write the file or when the frames change size (OpenCV would silently drop them).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = None
    count = 0
    try:
        for frame in frames:
            if frame.ndim == 2:
                frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
            if writer is None:
                size = (frame.shape[1], frame.shape[0])
                writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, size)
                if not writer.isOpened():
                    raise VideoError(
                        f"OpenCV cannot write {path} with codec {fourcc!r}: try 'MJPG' and an .avi name."
                    )
            elif (frame.shape[1], frame.shape[0]) != size:
                raise VideoError(
                    f"frame {count} is {frame.shape[1]}x{frame.shape[0]}, the video is {size[0]}x{size[1]}"
                )
            writer.write(np.ascontiguousarray(frame, dtype=np.uint8))
            count += 1
    finally:
        if writer is not None:
            writer.release()
    if count == 0:
        raise VideoError(f"no frames were given, so {path} was not written")
    return path


def demo_frames(n: int = 30, size: tuple[int, int] = (640, 480)) -> list[np.ndarray]:
    """``n`` BGR frames of ``size`` (width, height): a real photo (scikit-image's astronaut,
    which ships with the package) gliding across a plain background and back.

    Deterministic; every frame holds one face that the Haar cascade finds.
    """
    from skimage import data as skdata

    width, height = size
    side = int(min(width, height) * 0.75)
    photo = cv2.resize(
        cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2BGR), (side, side), interpolation=cv2.INTER_AREA
    )
    background = np.empty((height, width, 3), np.uint8)
    background[:] = np.linspace(70, 110, width, dtype=np.uint8)[None, :, None]  # a soft grey gradient
    frames = []
    top = (height - side) // 2
    for i in range(n):
        phase = np.sin(np.pi * i / max(1, n - 1))  # 0 -> 1 -> 0: across and back
        left = int(round(phase * (width - side)))
        frame = background.copy()
        frame[top : top + side, left : left + side] = photo
        frames.append(frame)
    return frames


def make_demo_video(path, *, fps: float = 15, size=(640, 480), overwrite: bool = False) -> Path:
    """Write the course's demo video: a real face (scikit-image's astronaut) gliding across,
    then synthetic faces, two at a time, showing each of the seven emotions.

    Deterministic. An existing file is kept unless ``overwrite`` (it is only re-made when
    missing). Returns the path.
    """
    from helpers import config, synthetic

    path = Path(path)
    if path.exists() and not overwrite:
        return path
    width, height = size
    names = list(synthetic.EXPRESSIONS)  # the seven emotions, in FER2013's order
    frames = demo_frames(int(fps * 2), size)
    faces = synthetic.render_faces(names * 2, seed=config.SEED)
    side = int(height * 0.45)
    background = frames[0].copy()
    background[:] = np.linspace(70, 110, width, dtype=np.uint8)[None, :, None]
    for k in range(len(names)):
        pair = (faces[k], faces[len(names) + (k + 3) % len(names)])
        for step in range(int(fps)):  # one second per pair, drifting slowly
            frame = background.copy()
            for j, face in enumerate(pair):
                big = cv2.resize(face, (side, side), interpolation=cv2.INTER_CUBIC)
                left = int(width * (0.06 + 0.5 * j)) + step * 2
                top = (height - side) // 2 + (step if j else -step)
                frame[top : top + side, left : left + side] = big[:, :, None]
            frames.append(frame)
    with files.replaced_atomically(path) as tmp:  # a reader never finds half a video
        write_video(tmp, frames, fps=fps)
    return path


def demo_video_path() -> Path:
    """Where the course keeps its demo video (inside the mode's data folder, git-ignored)."""
    from helpers import config

    return config.DATA_DIR / "videos" / "demo_faces.mp4"


def write_y4m(path: str | Path, frames: Iterable[np.ndarray], fps: int = 15) -> Path:
    """Write BGR frames of one size as an uncompressed YUV4MPEG2 (``.y4m``) video, 4:2:0.

    Chromium plays such a file as a fake camera (``--use-file-for-fake-video-capture``): the
    browser test of notebook 11's webcam widget films the course's demo video with it. Width
    and height must be even (4:2:0 halves them for the colour planes).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        size = None
        for frame in frames:
            h, w = frame.shape[:2]
            if size is None:
                if h % 2 or w % 2:
                    raise VideoError(f"Y4M 4:2:0 needs an even width and height, not {w}x{h}")
                size = (w, h)
                out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
            elif (w, h) != size:
                raise VideoError(f"frame of {w}x{h} in a {size[0]}x{size[1]} video")
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
        if size is None:
            raise VideoError(f"no frames to write to {path}")
    return path
