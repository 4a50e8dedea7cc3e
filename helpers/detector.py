"""The emotion detector: frame -> grey -> faces -> 48x48 crops -> model -> annotated frame.

Notebook 11 builds these steps one by one; this module is the same detector packaged for the
command a learner runs on their own webcam (``python3 course.py live``, whose capture loop is
:mod:`helpers.live`), the browser widget (:mod:`helpers.webcam`) and the benchmark.

* :class:`EmotionDetector` -- one frame in, the annotated frame and per-stage timings out.
  The face search skips faces smaller than 15 % of the frame height (Haar detection's cost
  grows with the number of window sizes and positions it tries), the model runs once per frame on all faces as one batch through a compiled
  ``tf.function``, and each face's probabilities are averaged over its last few frames so
  the label does not flicker.
* :class:`Smoother` -- that averaging, following faces from frame to frame by where they are and
  how they look (a new face in the same place starts with no history).
* :class:`Face` -- one face found: its box, its smoothed probabilities and its label.
* :func:`place_panel`, :func:`draw_probability_bars` -- each face's own per-emotion bars,
  drawn beside its box and over no face.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import cv2
import numpy as np

from helpers import stats, timing, video
from helpers.data import CLASS_NAMES, IMAGE_SIZE

STAGES = ("capture", "grey", "detect", "preprocess", "predict", "draw")
UNSURE = "unsure"  # the label of a face whose top probability is below the detector's threshold
UNSURE_COLOR = (0, 170, 255)  # BGR amber: an unsure face's box, beside the green of a named one


#: The smallest face searched for, as a fraction of the frame's height.
MIN_FACE = 0.15
#: How much a crop widens the face search's box on every side (FER2013's faces include a
#: little forehead and chin). The recorder of your own faces (helpers.my_faces) crops the same.
MARGIN = 0.1


@dataclass
class Face:
    """One detected face: its box ``(x, y, w, h)`` in the frame, the smoothed probabilities
    of the seven emotions, and the label and probability shown. ``label`` is the most likely
    emotion, or ``"unsure"`` when its probability is below ``unsure_below``; ``guess`` is
    always the most likely emotion."""

    box: tuple[int, int, int, int]
    probs: np.ndarray
    unsure_below: float = 0.0
    label: str = field(init=False)
    guess: str = field(init=False)
    confidence: float = field(init=False)
    panel: tuple[int, int, int, int] | None = field(default=None, init=False)  # where its bars were drawn

    def __post_init__(self):
        best = int(np.argmax(self.probs))
        self.guess, self.confidence = CLASS_NAMES[best], float(self.probs[best])
        self.label = UNSURE if self.confidence < self.unsure_below else self.guess

    @property
    def text(self) -> str:
        """What the box shows: ``"happy 87%"``, or ``"unsure (happy? 41%)"``."""
        if self.label == UNSURE:
            return f"{UNSURE} ({self.guess}? {self.confidence:.0%})"
        return f"{self.label} {self.confidence:.0%}"


def face_signature(crop: np.ndarray) -> np.ndarray:
    """A face crop reduced to what stays when the same face moves a little: blurred, shrunk to
    12x12, with its brightness and contrast taken out (zero mean, unit length). The dot product
    of two signatures is their similarity, 1 for the same picture."""
    small = cv2.resize(
        cv2.GaussianBlur(np.asarray(crop, np.uint8), (0, 0), 3), (12, 12), interpolation=cv2.INTER_AREA
    )
    vector = small.astype(np.float32).ravel()
    vector -= vector.mean()
    return vector / (np.linalg.norm(vector) + 1e-6)


class Smoother:
    """Average each face's probabilities over its last ``window`` frames.

    A face is followed from frame to frame as a *track*: the nearest track whose centre is less
    than half the box width away. A track starts again, with no history, when the face is not
    the same one, so that one person's emotion is never carried onto the next:

    * it looks different: given the crops, the similarity of their :func:`face_signature` to
      the track's last one is below ``min_similarity`` (a cut in a video, someone stepping in);
    * it was gone: a track not seen for more than ``max_gap`` frames is forgotten.

    ``window=1`` turns smoothing off. The price of smoothing is lag: a real change of expression
    shows only when it dominates the window.
    """

    def __init__(self, window: int = 5, *, min_similarity: float = 0.9, max_gap: int = 2):
        if window < 1:
            raise ValueError(f"window must be at least 1 frame, got {window}")
        self.window = window
        self.min_similarity = min_similarity
        self.max_gap = max_gap
        self.resets = 0  # tracks restarted because the face looked different
        self._tracks: list[dict] = []  # {"centre", "probs": deque, "missed", "signature"}

    def update(self, boxes, probs, crops=None) -> np.ndarray:
        """Smoothed probabilities for this frame's ``boxes`` (rows in the same order).
        ``crops``: the faces' grey crops, in the same order; without them faces are followed by
        position alone."""
        probs = np.asarray(probs, dtype=float).reshape(len(boxes), len(CLASS_NAMES))
        out = np.empty_like(probs)
        unused = list(range(len(self._tracks)))
        seen = []
        for i, (x, y, w, h) in enumerate(np.asarray(boxes).reshape(-1, 4)):
            centre = np.array([x + w / 2, y + h / 2])
            signature = face_signature(crops[i]) if crops is not None else None
            match = None
            if unused:
                dists = [np.linalg.norm(centre - self._tracks[t]["centre"]) for t in unused]
                best = int(np.argmin(dists))
                if dists[best] < w / 2:
                    candidate = self._tracks[unused[best]]
                    known = candidate.get("signature")
                    if signature is None or known is None or float(signature @ known) >= self.min_similarity:
                        match = unused.pop(best)
                    else:  # another face where that one was: the old track ends here
                        self.resets += 1
                        candidate["missed"] = self.max_gap + 1
                        unused.pop(best)
            if match is None:
                track = {"probs": deque(maxlen=self.window)}
                self._tracks.append(track)
            else:
                track = self._tracks[match]
            track.update(centre=centre, missed=0, signature=signature)
            track["probs"].append(probs[i])
            seen.append(track)
            out[i] = np.mean(track["probs"], axis=0)
        for track in self._tracks:
            if not any(track is s for s in seen):
                track["missed"] += 1
        self._tracks = [t for t in self._tracks if t["missed"] <= self.max_gap]
        return out


#: the two panel sizes tried beside a face: (row height, label width, bar width, font scale)
PANEL_SIZES = ((14, 58, 96, 0.38), (11, 48, 60, 0.3))


def panel_size(size: int = 0) -> tuple[int, int]:
    """Width and height in pixels of a probability panel of ``PANEL_SIZES[size]``."""
    row, label_w, bar_w, _ = PANEL_SIZES[size]
    return label_w + bar_w + 36, row * len(CLASS_NAMES) + 6


def _overlaps(a, b) -> bool:
    """Whether two ``(x, y, w, h)`` rectangles share any pixel."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def place_panel(box, frame_shape, avoid=(), taken=()) -> tuple[tuple[int, int, int, int], int] | None:
    """Where a face's probability panel goes: ``((x, y, w, h), size)`` beside its own ``box``
    (below it, else above, else to its right or left, the larger size first), inside the
    frame and over no face in ``avoid`` (all face boxes, its own included) and no panel in
    ``taken``; ``None`` when there is no such place (the box label still names the emotion)."""
    height, width = frame_shape[:2]
    x, y, w, h = (int(v) for v in box)
    for size in range(len(PANEL_SIZES)):
        pw, ph = panel_size(size)
        for px, py in (
            (x, y + h + 2),  # below
            (x, y - ph - 20),  # above, clear of the box's own label
            (x + w + 2, y),  # right
            (x - pw - 2, y),  # left
        ):
            rect = (px, py, pw, ph)
            if px < 0 or py < 0 or px + pw > width or py + ph > height:
                continue
            if any(_overlaps(rect, b) for b in avoid) or any(_overlaps(rect, t) for t in taken):
                continue
            return rect, size
    return None


def draw_probability_bars(frame: np.ndarray, probs, origin=(10, 10), size: int = 0) -> np.ndarray:
    """Draw one bar per emotion (name, bar, per cent) on a dark panel at ``origin`` of the BGR
    ``frame``, in place (``size`` picks one of :data:`PANEL_SIZES`); the highest bar is green.
    Returns the frame."""
    probs = np.asarray(probs, dtype=float)
    row, label_w, bar_w, scale = PANEL_SIZES[size]
    pw, ph = panel_size(size)
    x0, y0 = origin
    h, w = frame.shape[:2]
    panel = frame[y0 : min(h, y0 + ph), x0 : min(w, x0 + pw)]
    panel[:] = (panel * 0.35).astype(np.uint8)  # darken the background: readable on any frame
    best = int(np.argmax(probs))
    for i, (name, p) in enumerate(zip(CLASS_NAMES, probs, strict=True)):
        y = y0 + 4 + i * row
        color = (60, 220, 60) if i == best else (200, 200, 200)
        text_y = y + row - 4
        cv2.putText(frame, name, (x0 + 3, text_y), cv2.FONT_HERSHEY_SIMPLEX, scale, color, 1, cv2.LINE_AA)
        cv2.rectangle(frame, (x0 + label_w, y + 2), (x0 + label_w + int(bar_w * p), y + row - 3), color, -1)
        cv2.putText(
            frame,
            f"{p:4.0%}",
            (x0 + label_w + bar_w + 3, text_y),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            color,
            1,
            cv2.LINE_AA,
        )
    return frame


class FaceTracker:
    """Follow face boxes from one grey frame to the next with optical flow, instead of
    searching the whole frame again (notebook 11 measures the trade-off).

    :meth:`start` takes the boxes a detection found; :meth:`follow` moves each box to the
    next frame: it picks corners inside the box (``cv2.goodFeaturesToTrack``), follows them
    with pyramidal Lucas-Kanade optical flow (``cv2.calcOpticalFlowPyrLK``), keeps those that
    also track back to where they started (within ``max_error`` pixels), and moves the box
    by their median shift and scales it by the median change of their spread. When a box
    keeps fewer than ``min_points`` corners (the face turned, left, or another face took its
    place), :meth:`follow` returns ``None``: the caller detects again.
    """

    def __init__(self, *, min_points: int = 8, max_error: float = 1.0):
        self.min_points = min_points
        self.max_error = max_error
        self._grey: np.ndarray | None = None
        self._boxes = np.zeros((0, 4), int)

    @property
    def ready(self) -> bool:
        """Whether there are boxes to follow."""
        return self._grey is not None and len(self._boxes) > 0

    def start(self, grey: np.ndarray, boxes) -> None:
        """Follow ``boxes`` (``(k, 4)``, ``x, y, w, h``) found in ``grey`` from now on."""
        self._grey, self._boxes = grey, np.asarray(boxes, int).reshape(-1, 4)

    def follow(self, grey: np.ndarray) -> np.ndarray | None:
        """The boxes moved to ``grey``, or ``None`` when any face could not be followed."""
        if not self.ready:
            return None
        corners, owner = [], []
        for k, (x, y, w, h) in enumerate(self._boxes):
            x0, y0 = (
                max(0, x + w // 5),
                max(0, y + h // 5),
            )  # the middle of the face, away from the background
            found = cv2.goodFeaturesToTrack(
                self._grey[y0 : y + h - h // 5, x0 : x + w - w // 5],
                maxCorners=40,
                qualityLevel=0.01,
                minDistance=4,
            )
            if found is None or len(found) < self.min_points:
                return None
            corners.append(found + np.float32([x0, y0]))
            owner += [k] * len(found)
        corners, owner = np.concatenate(corners), np.array(owner)
        flow = {"winSize": (15, 15), "maxLevel": 2}  # all faces' corners in one call each way
        ahead, ok, _ = cv2.calcOpticalFlowPyrLK(self._grey, grey, corners, None, **flow)
        back, ok_back, _ = cv2.calcOpticalFlowPyrLK(grey, self._grey, ahead, None, **flow)
        good = (ok[:, 0] == 1) & (ok_back[:, 0] == 1)
        good &= np.linalg.norm((back - corners)[:, 0], axis=1) < self.max_error  # there and back again
        moved = []
        for k, (x, y, w, h) in enumerate(self._boxes):
            mine = good & (owner == k)
            if mine.sum() < self.min_points:
                return None
            old, new = corners[mine, 0], ahead[mine, 0]
            shift = np.median(new - old, axis=0)
            spread_old = np.linalg.norm(old - old.mean(axis=0), axis=1)
            spread_new = np.linalg.norm(new - new.mean(axis=0), axis=1)
            scale = float(np.median(spread_new[spread_old > 1] / spread_old[spread_old > 1]))
            cx, cy = x + w / 2 + shift[0], y + h / 2 + shift[1]
            moved.append([cx - w * scale / 2, cy - h * scale / 2, w * scale, h * scale])
        self._grey, self._boxes = grey, np.round(moved).astype(int)
        return self._boxes.copy()


class EmotionDetector:
    """Detect faces in a BGR frame and label each with its emotion.

    ``model``: a Keras model taking ``(k, 48, 48, 1)`` raw 0-255 pixels (the rescaling is
    inside it, notebook 10) and returning 7 probabilities per face.
    ``detect_width``: search faces on a copy of the grey frame scaled to this width (faster,
    but on the course's video it loses some faces; ``None``, the default, searches the full
    frame); ``min_face``: the smallest face looked for, as a
    fraction of the frame height; ``smoothing``: frames averaged per face (1 = off);
    ``margin``: how much the crop widens the detector's box (FER2013 faces include a
    little forehead and chin); ``temperature`` and ``unsure_below``: the calibration notebook
    10 fits on validation faces (:func:`helpers.models.load_calibration`): the probabilities
    are softened by the temperature before smoothing, and a face whose top probability stays
    below ``unsure_below`` is labelled unsure (the defaults change nothing);
    ``detect_every``: search the whole frame for faces only every this many frames, and
    follow the faces found with :class:`FaceTracker` in between (1, the default, searches
    every frame); a face the tracker loses is searched for at once.
    ``flip``: test-time flips, each face read twice, as it is and mirrored left to right, in one
    call, and the two probability vectors averaged (about twice the model's time per face; a
    calibration fitted without flips is applied to the average as it is).
    ``model`` may also be a list of models: an *ensemble*, whose probabilities are averaged in
    one compiled call (each model's time per face, added up).
    """

    def __init__(
        self,
        model,
        *,
        detect_width: int | None = None,
        min_face: float = MIN_FACE,
        smoothing: int = 5,
        margin: float = MARGIN,
        min_neighbors: int = 5,
        temperature: float = 1.0,
        unsure_below: float = 0.0,
        detect_every: int = 1,
        flip: bool = False,
    ):
        import tensorflow as tf

        if not temperature > 0:
            raise ValueError(f"the temperature must be positive, got {temperature}")
        self.temperature = temperature
        self.unsure_below = unsure_below
        members = list(model) if isinstance(model, list | tuple) else [model]
        if not members:
            raise ValueError("an ensemble needs at least one model")
        self.model = members[0]
        self.detect_width = detect_width
        self.min_face = min_face
        self.margin = margin
        self.min_neighbors = min_neighbors
        self.smoother = Smoother(smoothing)
        if detect_every < 1:
            raise ValueError(f"detect_every must be 1 or more, got {detect_every}")
        self.detect_every = detect_every
        self.flip = flip
        self.tracker = FaceTracker()
        self._followed = 0  # frames followed since the last search
        # Compiled once per batch size: the per-call Python overhead of model(x) disappears.
        if len(members) == 1:
            self.predict_fn = tf.function(lambda x: self.model(x, training=False), reduce_retracing=True)
        else:  # an ensemble: the members' probabilities averaged
            self.predict_fn = tf.function(
                lambda x: tf.add_n([m(x, training=False) for m in members]) / len(members),
                reduce_retracing=True,
            )

    def detect(self, grey: np.ndarray) -> np.ndarray:
        """Face boxes ``(k, 4)`` in full-frame pixels (searched on a downscaled copy when
        ``detect_width`` is set)."""
        scale = 1.0
        small = grey
        if self.detect_width and grey.shape[1] > self.detect_width:
            scale = grey.shape[1] / self.detect_width
            small = cv2.resize(
                grey, (self.detect_width, int(round(grey.shape[0] / scale))), interpolation=cv2.INTER_AREA
            )
        side = max(20, int(small.shape[0] * self.min_face))
        boxes = video.detect_faces(small, min_neighbors=self.min_neighbors, min_size=(side, side))
        return np.round(boxes * scale).astype(int)

    def locate(self, grey: np.ndarray) -> np.ndarray:
        """This frame's face boxes: searched (:meth:`detect`) every ``detect_every`` frames,
        or when a face was lost, and followed with optical flow in between."""
        if self.detect_every > 1 and self._followed < self.detect_every - 1 and self.tracker.ready:
            boxes = self.tracker.follow(grey)
            if boxes is not None:
                self._followed += 1
                return boxes
        boxes = self.detect(grey)
        self.tracker.start(grey, boxes)
        self._followed = 0
        return boxes

    def predict(self, crops: np.ndarray) -> np.ndarray:
        """Probabilities ``(k, 7)`` for ``k`` grey 48x48 crops, in one compiled call
        (softened by the detector's temperature, when it has one)."""
        if len(crops) == 0:
            return np.zeros((0, len(CLASS_NAMES)), np.float32)
        x = np.asarray(crops, np.float32).reshape(-1, IMAGE_SIZE, IMAGE_SIZE, 1)
        if self.flip:  # the faces and their mirror images in one call, then each pair averaged
            both = np.asarray(self.predict_fn(np.concatenate([x, x[:, :, ::-1]])))
            probs = (both[: len(x)] + both[len(x) :]) / 2
        else:
            probs = np.asarray(self.predict_fn(x))
        return probs if self.temperature == 1.0 else stats.apply_temperature(probs, self.temperature)

    def process(self, frame: np.ndarray, timings: dict | None = None) -> tuple[np.ndarray, list[Face]]:
        """Annotate ``frame`` in place and return it with the faces found. When a ``timings``
        dict is given, each stage's milliseconds are appended to ``timings[stage]``."""
        lap = timing.Laps(timings).lap

        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        lap("grey")
        boxes = self.locate(grey)
        lap("detect")
        crops = (
            np.stack([video.crop_face(grey, b, IMAGE_SIZE, self.margin) for b in boxes]) if len(boxes) else []
        )
        lap("preprocess")
        probs = self.smoother.update(boxes, self.predict(crops), crops)  # a frame with no face counts too
        lap("predict")
        faces = [
            Face(tuple(int(v) for v in b), p, self.unsure_below) for b, p in zip(boxes, probs, strict=True)
        ]
        taken, face_boxes = [], [f.box for f in faces]
        for face in sorted(faces, key=lambda f: -f.box[2] * f.box[3]):  # the largest face chooses first
            video.draw_face_box(
                frame, face.box, face.text, color=UNSURE_COLOR if face.label == UNSURE else (0, 200, 0)
            )
            place = place_panel(face.box, frame.shape, avoid=face_boxes, taken=taken)
            if place is not None:  # each face's own bars, beside its own box, over no face
                face.panel = place[0]
                taken.append(place[0])
                draw_probability_bars(frame, face.probs, origin=place[0][:2], size=place[1])
        lap("draw")
        return frame, faces
