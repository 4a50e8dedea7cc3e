"""Your own faces: record them with a camera, keep them on this machine, read them back
(notebook 12, ``python3 course.py record``).

A *session* is one recording: the seven expressions in turn, each made several times over
(*takes*: make the expression, hold it for a few frames, relax, make it again). A frame is kept
when exactly one face is found in it; the face is cropped as notebook 11's detector crops
(:data:`helpers.detector.MARGIN`) and saved as a 48x48 grey PNG in FER2013's folder form, so
the course's readers load it; the file name says the take and the frame's place in the
recording::

    data/my_faces/<session>/<emotion>/t01_0001.png, t01_0002.png, ..., t02_0006.png, ...
    data/my_faces/<session>/session.json   when, which camera, frames kept and dropped

* :class:`SessionWriter` writes one session. It writes into a hidden folder beside it
  (``.<session>.incomplete``) and renames that folder only when the session is finished, so a
  stopped session never passes for a finished one; it never writes over a session.
* :class:`Recorder` is the recording itself, one frame at a time, for any source of frames:
  a camera (``course.py record``), the browser's camera (notebook 12's widget), a video file
  (the tests). It shows the learner which expression to make, counts down, then keeps frames
  at a steady pace.
* :func:`sessions`, :func:`load_session` and :func:`load_sessions` read finished sessions back
  (:func:`take_of` says which take a face belongs to); :func:`delete` removes them, and the
  model notebook 12 trained on them (``course.py record --delete``).
* :func:`stand_in` writes a stand-in recording (one drawn person, two sessions in different
  light) for machines without a camera; notebook 12 says when it uses it.

Nothing here sends a frame anywhere: the faces stay in ``data/my_faces/``, which git ignores.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from helpers import config, data, detector, synthetic, video
from helpers.errors import DataError, DataNotFoundError, VideoError

#: Where the learner's own sessions go (git-ignored, like everything in data/).
MY_FACES_DIR: Path = config.DATA_DIR / "my_faces"
#: Where :func:`stand_in` writes the stand-in recording.
STAND_IN_DIR: Path = config.DATA_DIR / "my_faces_stand_in"
#: The file that marks a finished session and describes it.
SESSION_FILE = "session.json"
_INCOMPLETE = ".incomplete"

#: What to do for each expression: the cues people read it from (after Ekman and Friesen's
#: prototypes, as in helpers.synthetic).
CUES: dict[str, str] = {
    "angry": "brows down and pulled together, a hard stare, lips pressed thin",
    "disgust": "nose wrinkled, upper lip raised, as if something smells bad",
    "fear": "brows up and together, eyes wide, lips stretched sideways",
    "happy": "a real smile: cheeks up, corners of the mouth up",
    "sad": "inner brows up, corners of the mouth down, chin pushed up",
    "surprise": "brows high, eyes wide open, jaw dropped",
    "neutral": "a relaxed face, looking at the camera",
}

#: What the recorder says before the first frame, and what ``course.py record`` asks you to
#: accept. Notebook 12 shows the same text.
CONSENT = f"""\
What is recorded: pictures of your face from the camera, one expression after another.
Only 48x48 grey crops of the face are kept, a few a second, with a small JSON file per session
(date, camera size, how many frames were kept and dropped). Notebook 12 also saves a model
trained on them ({config.relative(config.MODELS_DIR)}/12_my_faces_yours.keras).
Where it stays: on the machine that runs the notebook's kernel, in {config.relative(MY_FACES_DIR)}/,
which git ignores. The course uploads nothing. On your own computer that is your computer; on a
remote JupyterLab, a hub or Colab, the browser sends the camera's frames to that server, and the
crops are stored there: delete them there when you are done.
A notebook you run on your own recording shows your faces in its outputs: clear the outputs
(Edit > Clear Outputs of All Cells) before you save it for others, share it or commit it.
How to delete it all: `python3 course.py record --delete` (every session, stopped ones too, and
the model trained on them), `python3 course.py record --delete <session>` (one session; the
model stays), or delete the folders yourself.
You can stop at any moment (Stop in the browser; q, Esc or Ctrl+C in a window); a stopped
session is marked incomplete and no reader uses it."""


def _is_plain(name: str) -> bool:
    """True for a name that is one folder inside the sessions' folder (not hidden, no path)."""
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name


def _folders(root: Path, name: str) -> tuple[Path, Path]:
    """The folders of session ``name``: where it is once finished, and where it is written."""
    return root / name, root / f".{name}{_INCOMPLETE}"


def _is_session(folder: Path) -> bool:
    """True for a finished session's folder or a stopped one's: the only folders :func:`delete` touches."""
    return folder.is_dir() and ((folder / SESSION_FILE).is_file() or folder.name.endswith(_INCOMPLETE))


def session_name(now: datetime | None = None) -> str:
    """A session's folder name from its start time, e.g. ``2026-12-07_141503``."""
    return (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")


class SessionWriter:
    """Writes one session into ``root``: ``add`` saves a face, ``drop`` counts a frame not kept,
    ``finish`` writes ``session.json`` and puts the session in place.

    Until ``finish``, everything goes into the hidden folder ``.<name>.incomplete``; readers
    skip it, so a session stopped half-way is never read as a finished one. A session that
    exists already is never written over: :class:`FileExistsError`. ``name`` defaults to the
    start time (:func:`session_name`); ``info`` is stored in ``session.json`` as it is.
    """

    def __init__(self, root=None, name: str | None = None, *, info: dict | None = None):
        self.root = Path(root) if root is not None else MY_FACES_DIR
        self.started = datetime.now()
        self.name = name or session_name(self.started)
        if name is None:  # a default name: another session started in the same second gets -2, -3...
            base, number = self.name, 2
            while any(folder.exists() for folder in _folders(self.root, self.name)):
                self.name, number = f"{base}-{number}", number + 1
        if not _is_plain(self.name):
            raise ValueError(f"a session name must be a plain folder name, got {self.name!r}")
        self.path, self.tmp = _folders(self.root, self.name)
        if self.path.exists() or self.tmp.exists():
            raise FileExistsError(
                f"The session {config.relative(self.path)} exists already, and a session is never "
                "written over. Choose another name, or delete that one first "
                f"(python3 course.py record --delete {self.name})."
            )
        self.info = dict(info or {})
        self.counts = {name: {"kept": 0, "no_face": 0, "several_faces": 0} for name in data.CLASS_NAMES}
        self.tmp.mkdir(parents=True)
        self.finished = False

    def add(self, emotion: str, face: np.ndarray, take: int = 1) -> Path:
        """Save one 48x48 grey face as the next PNG of ``emotion``, in take number ``take``
        (from 1); returns its path, e.g. ``angry/t02_0007.png``."""
        self._check_open(emotion)
        face = np.asarray(face)
        if face.shape != (data.IMAGE_SIZE, data.IMAGE_SIZE) or face.dtype != np.uint8:
            raise ValueError(
                f"a face to save must be a 48x48 uint8 grey image, got {face.dtype} {face.shape}"
            )
        self.counts[emotion]["kept"] += 1
        folder = self.tmp / emotion
        folder.mkdir(exist_ok=True)
        path = folder / f"t{int(take):02d}_{self.counts[emotion]['kept']:04d}.png"
        if not cv2.imwrite(str(path), face):
            raise OSError(f"could not write {path}: is the disk full or read-only?")
        return path

    def drop(self, emotion: str, reason: str) -> None:
        """Count a frame not kept for ``emotion``: ``reason`` is ``"no_face"`` or ``"several_faces"``."""
        self._check_open(emotion)
        if reason not in ("no_face", "several_faces"):
            raise ValueError(f"reason must be 'no_face' or 'several_faces', got {reason!r}")
        self.counts[emotion][reason] += 1

    def finish(self) -> Path:
        """Write ``session.json`` and move the session into place; returns its folder."""
        if self.finished:
            return self.path
        description = {
            "session": self.name,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now().isoformat(timespec="seconds"),
            **self.info,
            "frames": self.counts,
        }
        (self.tmp / SESSION_FILE).write_text(json.dumps(description, indent=2) + "\n")
        if self.path.exists():  # appeared meanwhile: leave both as they are
            raise FileExistsError(
                f"{config.relative(self.path)} appeared while recording; yours stays in {self.tmp}"
            )
        self.tmp.rename(self.path)
        self.finished = True
        return self.path

    def _check_open(self, emotion: str) -> None:
        if self.finished:
            raise RuntimeError(f"the session {self.name} is finished; start a new SessionWriter")
        if emotion not in self.counts:
            raise ValueError(f"unknown emotion {emotion!r}; expected one of {', '.join(data.CLASS_NAMES)}")


def find_one_face(
    grey: np.ndarray, *, min_face: float = detector.MIN_FACE
) -> tuple[np.ndarray | None, np.ndarray]:
    """``(face, boxes)``: the 48x48 crop when exactly one face is found in ``grey`` (cropped as
    notebook 11's detector crops), else ``None``; and every box found."""
    side = max(20, int(grey.shape[0] * min_face))
    boxes = video.detect_faces(grey, min_size=(side, side))
    if len(boxes) != 1:
        return None, boxes
    return video.crop_face(grey, boxes[0], data.IMAGE_SIZE, detector.MARGIN), boxes


@dataclass
class Recorder:
    """A recording session, one frame at a time: :meth:`step` takes a BGR frame and the time it
    was taken, and returns the frame annotated for the learner with one line of text.

    For each emotion in turn: ``countdown`` seconds showing its name and cues, then ``takes``
    takes. In a take a frame is kept every ``pace`` seconds until ``frames_per_take`` faces are
    kept (a frame with no face, or with several, is dropped and counted); between takes the
    learner relaxes for ``rest`` seconds and then makes the expression again, so that the takes
    are separate poses, not one held face cut in pieces. An emotion gets at most
    ``give_up_after`` seconds of recording (rests left out); then the recorder moves on with
    what it has. After the last emotion the session is finished (:meth:`SessionWriter.finish`)
    and ``done`` is True. ``scale`` enlarges small frames (the browser's 320x240) before the
    face search, as the webcam widget does.
    """

    writer: SessionWriter
    takes: int = 6
    frames_per_take: int = 5
    pace: float = 0.25
    countdown: float = 4.0
    rest: float = 1.5
    give_up_after: float = 30.0
    emotions: tuple[str, ...] = data.CLASS_NAMES
    scale: float = 1.0
    done: bool = False
    saved_to: Path | None = None
    failed: str = ""  # why the session was left incomplete, when it was
    _index: int = 0
    _take: int = 1
    _in_take: int = 0
    _phase_start: float | None = None
    _rest_until: float | None = None
    _recorded: float = 0.0
    _previous: float | None = None
    _last_kept: float | None = None

    def __post_init__(self):
        if self.takes < 1 or self.frames_per_take < 1:
            raise ValueError(f"need at least 1 take of 1 frame, got {self.takes} of {self.frames_per_take}")
        self.writer.info.update(takes=self.takes, frames_per_take=self.frames_per_take, pace=self.pace)

    @property
    def per_emotion(self) -> int:
        """Faces kept per emotion when every take is complete."""
        return self.takes * self.frames_per_take

    @property
    def emotion(self) -> str | None:
        """The emotion being recorded now (``None`` once done)."""
        return self.emotions[self._index] if self._index < len(self.emotions) else None

    def step(self, frame: np.ndarray, now: float | None = None) -> tuple[np.ndarray, str]:
        """Handle one frame taken at ``now`` (``time.perf_counter()`` when not given)."""
        now = time.perf_counter() if now is None else now
        if self.done:
            return frame, self.failed or f"session saved to {config.relative(self.saved_to)}"
        if self.scale != 1:
            frame = cv2.resize(frame, None, fx=self.scale, fy=self.scale, interpolation=cv2.INTER_LINEAR)
        shown = frame.copy()
        if self._phase_start is None:
            self._phase_start = now
        emotion = self.emotion
        cue = f"{emotion}: {CUES[emotion]}"
        if now - self._phase_start < self.countdown:
            left = self.countdown - (now - self._phase_start)
            _banner(shown, cue, f"starting in {left:.0f} s")
            return shown, f"next: {emotion} ({CUES[emotion]}) in {left:.0f} s"
        if self._rest_until is not None:
            if now < self._rest_until:
                text = f"relax, then make it again: take {self._take} of {self.takes}"
                _banner(shown, cue, text)
                return shown, f"{emotion}: {text}"
            self._rest_until = None
            self._last_kept = self._previous = now  # one pace to settle into the expression first
        if self._previous is not None:  # time spent recording this emotion, rests left out
            self._recorded += min(now - self._previous, 1.0)
        self._previous = now
        if self._last_kept is None or now - self._last_kept >= self.pace:
            self._last_kept = now
            grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
            face, boxes = find_one_face(grey)
            if face is None:
                self.writer.drop(emotion, "no_face" if len(boxes) == 0 else "several_faces")
            else:
                self.writer.add(emotion, face, take=self._take)
                self._in_take += 1
            for box in boxes:
                video.draw_face_box(shown, box, color=(0, 200, 0) if face is not None else (0, 0, 230))
        kept = self.writer.counts[emotion]["kept"]
        status = f"take {self._take} of {self.takes}: {self._in_take}/{self.frames_per_take}"
        _banner(shown, cue, status)
        text = f"recording {emotion}, {status} ({kept} kept)"
        if self._in_take >= self.frames_per_take:  # this take is complete
            self._take, self._in_take, self._last_kept, self._previous = self._take + 1, 0, None, None
            if self._take <= self.takes:
                self._rest_until = now + self.rest
        if self._take > self.takes or self._recorded >= self.give_up_after:
            self._next_emotion()
            if self.done:
                text = self.failed or f"session saved to {config.relative(self.saved_to)}"
        return shown, text

    def _next_emotion(self) -> None:
        self._index += 1
        self._take, self._in_take, self._recorded = 1, 0, 0.0
        self._phase_start = self._rest_until = self._last_kept = self._previous = None
        if self.emotion is None:
            empty = [e for e in self.emotions if self.writer.counts[e]["kept"] == 0]
            if empty:  # left incomplete: no reader should train on a session without these
                self.failed = f"no face was kept for {', '.join(empty)}: the session stays incomplete"
                self.done = True
                return
            self.saved_to = self.writer.finish()
            self.done = True

    def handle(self, frame: np.ndarray) -> tuple[np.ndarray, str]:
        """:meth:`step` at the current time: a frame handler for the webcam widget."""
        return self.step(frame)


def _banner(frame: np.ndarray, top: str, bottom: str) -> None:
    """Two lines of text on dark strips at the top and bottom of ``frame`` (in place)."""
    height, width = frame.shape[:2]
    scale = max(0.4, width / 1100)
    for text, y in ((top, 0), (bottom, height - int(34 * scale * 1.6))):
        strip = int(34 * scale * 1.6)
        frame[y : y + strip] = (frame[y : y + strip] * 0.35).astype(frame.dtype)
        cv2.putText(
            frame,
            text,
            (8, y + int(strip * 0.7)),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            (255, 255, 255),
            1,
            cv2.LINE_AA,
        )


def stopped_sessions(root=None) -> list[Path]:
    """The sessions in ``root`` that were stopped before they finished (hidden folders named
    ``.<name>.incomplete``): no reader uses them, but they hold face crops until deleted."""
    root = Path(root) if root is not None else MY_FACES_DIR
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir() if p.is_dir() and p.name.startswith(".") and p.name.endswith(_INCOMPLETE)
    )


def sessions(root=None) -> list[Path]:
    """The finished sessions in ``root`` (default ``data/my_faces``), sorted by name (the default
    names, date and time, sort oldest first); stopped sessions (:func:`stopped_sessions`) are
    left out."""
    root = Path(root) if root is not None else MY_FACES_DIR
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / SESSION_FILE).is_file()
    )


def session_info(path) -> dict:
    """A session's ``session.json``, read."""
    path = Path(path)
    try:
        return json.loads((path / SESSION_FILE).read_text())
    except FileNotFoundError:
        raise DataNotFoundError(
            f"{path} is not a finished session: it has no {SESSION_FILE}. Record one with "
            "`python3 course.py record`, or use my_faces.stand_in()."
        ) from None


def take_of(source: str) -> str:
    """The take a face belongs to, from its ``sources`` entry: ``"mon/angry/t02_0007.png"`` ->
    ``"mon/angry/t02"``. Faces of one take are near-copies; different takes are separate poses."""
    folder, _, name = source.rpartition("/")
    return f"{folder}/{name.split('_')[0]}"


def load_session(path) -> data.FaceSplit:
    """The faces of one session, in FER2013's label order; ``sources`` name each file."""
    path = Path(path)
    session_info(path)  # a clear error for a folder that is not a finished session
    images, labels, sources = [], [], []
    for label, name in enumerate(data.CLASS_NAMES):
        folder = path / name
        if not folder.is_dir():
            continue  # an emotion with no face kept
        for file in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".png"):
            face = data.read_face(file)
            if face.shape != (data.IMAGE_SIZE, data.IMAGE_SIZE):
                raise DataError(
                    f"{file} is {face.shape[1]}x{face.shape[0]}, not 48x48: was it edited by hand?"
                )
            images.append(face)
            labels.append(label)
            sources.append(f"{path.name}/{name}/{file.name}")
    return data._face_split(images, labels, sources)


def load_sessions(root=None) -> dict[str, data.FaceSplit]:
    """Every finished session in ``root``, by name, oldest first."""
    found = sessions(root)
    if not found:
        where = Path(root) if root is not None else MY_FACES_DIR
        raise DataNotFoundError(
            f"No finished recording in {config.relative(where)}. Record one with `python3 course.py record` "
            "(or the widget in notebook 12); without a camera, use my_faces.stand_in()."
        )
    return {p.name: load_session(p) for p in found}


#: The model notebook 12 trains on your sessions: deleting every session deletes it too.
YOUR_MODEL: Path = config.MODELS_DIR / "12_my_faces_yours.keras"


def delete(root=None, session: str | None = None, *, model=None) -> list[Path]:
    """Delete one session (by name) or, with ``session=None``, every session in ``root``,
    incomplete ones included, and ``model`` (default: :data:`YOUR_MODEL` when ``root`` is the
    default folder), the model trained on them. Only session folders are touched: a folder
    counts as one when it holds ``session.json`` or is a stopped session. Returns what was
    deleted."""
    default_root = root is None
    root = Path(root) if root is not None else MY_FACES_DIR
    if session is not None and not _is_plain(session):
        raise ValueError(f"a session name is a plain folder name, got {session!r}")
    if not root.is_dir():
        return []
    if session is not None:
        targets = [p for p in _folders(root, session) if _is_session(p)]
        if not targets:
            names = ", ".join(p.name for p in sessions(root)) or "none"
            raise DataNotFoundError(f"No session {session!r} in {config.relative(root)} (sessions: {names}).")
    else:
        targets = [p for p in sorted(root.iterdir()) if _is_session(p)]
    for target in targets:
        shutil.rmtree(target)
    model = Path(model) if model is not None else (YOUR_MODEL if default_root else None)
    if session is None and model is not None and model.is_file():
        model.unlink()
        targets.append(model)
    return targets


#: The stand-in person: one face shape, skin, hair and glasses (helpers.synthetic's keys).
STAND_IN_PERSON = {
    "skin": 0.66,
    "hair": 0.16,
    "eye_dx": 17.6,
    "eye_w": 7.6,
    "brow_w": 5,
    "iris": 0.15,
    "glasses": 0.12,
    "face_width": 38.5,
    "face_height": 50.5,
    "hairline": 0.66,
}
#: The two stand-in sessions differ as two real ones do: the light (side, strength, overall
#: brightness), the background, and where the face sits in the crop.
STAND_IN_SESSIONS = {
    "stand-in_1_daylight": {
        "background": 0.7,
        "light_side": 1,
        "light": 0.15,
        "gain": 1.05,
        "shift": (0.0, 0.0),
        "scale": 1.0,
    },
    "stand-in_2_evening": {
        "background": 0.3,
        "light_side": -1,
        "light": 0.5,
        "gain": 0.7,
        "shift": (2.0, 1.5),
        "scale": 1.06,
    },
}


def stand_in(root=None, *, takes: int = 8, frames_per_take: int = 5, seed: int = config.SEED) -> Path:
    """Write the stand-in recording into ``root`` (default ``data/my_faces_stand_in``) unless it
    is there already with these settings; returns ``root``.

    One drawn person (:data:`STAND_IN_PERSON`) in two sessions (:data:`STAND_IN_SESSIONS`),
    ``takes`` takes of ``frames_per_take`` frames per emotion each, written by
    :class:`SessionWriter` exactly as a recording is. A take is one drawing of the expression;
    its frames are the same face moved by under half a pixel, with new sensor noise, like frames
    a quarter of a second apart. ``session.json`` says ``"stand_in": true``. The folder is the
    course's own, so a stand-in made with other settings is replaced.
    """
    root = Path(root) if root is not None else STAND_IN_DIR
    settings = {"takes": takes, "frames_per_take": frames_per_take, "seed": seed}

    def current(name):
        path = root / name / SESSION_FILE
        return path.is_file() and json.loads(path.read_text()).get("settings") == settings

    if all(current(name) for name in STAND_IN_SESSIONS):
        return root
    rng = np.random.default_rng(seed)
    for number, (name, conditions) in enumerate(STAND_IN_SESSIONS.items()):
        for old in (root / name, root / f".{name}{_INCOMPLETE}"):
            if old.is_dir():
                shutil.rmtree(old)  # the course's own stand-in, made with other settings or stopped
        person = {**STAND_IN_PERSON, **conditions}
        info = {"source": "stand-in: one drawn person", "stand_in": True, "settings": settings}
        writer = SessionWriter(root, name, info={**info, "takes": takes, "frames_per_take": frames_per_take})
        for label, emotion in enumerate(data.CLASS_NAMES):
            for take in range(1, takes + 1):
                face_rng = np.random.default_rng([seed, number, label, take])
                face = synthetic.render_face(emotion, face_rng, person=person).astype(np.float32)
                for _ in range(frames_per_take):
                    dx, dy = rng.uniform(-0.4, 0.4, size=2)
                    moved = cv2.warpAffine(
                        face,
                        np.float32([[1, 0, dx], [0, 1, dy]]),
                        face.shape[::-1],
                        borderMode=cv2.BORDER_REFLECT,
                    )
                    noisy = moved + rng.normal(0, 2, size=moved.shape)
                    writer.add(emotion, np.clip(noisy, 0, 255).round().astype(np.uint8), take=take)
        writer.finish()
    return root


# --- python3 course.py record ------------------------------------------------------------

_USAGE = """\
    python3 course.py record                   record a session with your webcam, in a window
    python3 course.py record --camera 1        another camera
    python3 course.py record --video FILE      record from a video file of your face instead
    python3 course.py record --list            list your sessions
    python3 course.py record --delete          delete every session (and any stopped one)
    python3 course.py record --delete NAME     delete one session

A session takes two to three minutes: for each of the seven expressions, its name and cues, a
short countdown, then 6 takes (--takes): make the expression, hold it while 5 frames are kept a
quarter of a second apart (--frames-per-take, --pace), relax, make it again.
Sessions go to data/my_faces/<date_time>/ (git ignores it); notebook 12 reads them.
"""


def parse(argv):
    import argparse

    parser = argparse.ArgumentParser(
        prog="python3 course.py record",
        description="Record your own faces, one expression after another (notebook 12).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_USAGE,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=int, default=None, metavar="N", help="camera index (default 0)")
    source.add_argument("--video", type=Path, help="a video file of your face, instead of a camera")
    parser.add_argument("--takes", type=int, default=6, metavar="N", help="takes per expression (6)")
    parser.add_argument("--frames-per-take", type=int, default=5, metavar="N", help="faces kept per take (5)")
    parser.add_argument(
        "--rest", type=float, default=1.5, metavar="S", help="seconds to relax between takes (1.5)"
    )
    parser.add_argument(
        "--pace", type=float, default=0.25, metavar="S", help="seconds between kept frames (0.25)"
    )
    parser.add_argument(
        "--countdown", type=float, default=4.0, metavar="S", help="seconds before each expression (4)"
    )
    parser.add_argument("--name", default=None, help="the session's folder name (default: the date and time)")
    parser.add_argument("--root", type=Path, default=None, help="where sessions go (default data/my_faces)")
    parser.add_argument("--yes", action="store_true", help="accept the consent text without being asked")
    parser.add_argument("--show", action="store_true", help="show a window for a video file too")
    parser.add_argument("--list", action="store_true", help="list the sessions and their counts")
    parser.add_argument("--delete", nargs="?", const="", default=None, metavar="NAME", help="delete sessions")
    args = parser.parse_args(argv)
    if args.takes < 1 or args.frames_per_take < 1 or min(args.pace, args.countdown, args.rest) < 0:
        parser.error(
            "--takes and --frames-per-take must be at least 1; --pace, --countdown, --rest not negative"
        )
    return args


def _say(text: str, *, error: bool = False) -> None:
    import sys

    print(f"[record] {text}", file=sys.stderr if error else sys.stdout)


def main(argv=None) -> int:
    """``python3 course.py record``; returns the exit status."""
    import sys

    args = parse(argv)
    root = args.root or MY_FACES_DIR
    if args.delete is not None:
        try:
            removed = delete(args.root, args.delete or None)  # None: the default folder, and the model too
        except (DataNotFoundError, ValueError) as exc:
            _say(str(exc), error=True)
            return 1
        _say(
            f"deleted {len(removed)} item(s)"
            + (":" if removed else f": nothing to delete in {config.relative(root)}")
        )
        for path in removed:
            print(f"  {config.relative(path)}")
        return 0
    if args.list:
        found = sessions(root)
        if not found:
            _say(f"no finished session in {config.relative(root)}")
        for path in found:
            counts = session_info(path)["frames"]
            print(f"{path.name}: " + ", ".join(f"{e} {c['kept']}" for e, c in counts.items()))
        for path in stopped_sessions(root):
            print(f"{path.name}: stopped before the end, not used, still on disk (--delete removes it)")
        return 0
    use_camera = args.video is None
    show = use_camera or args.show
    if show and not video.has_screen():
        _say(
            "There is no screen to show the prompts on (no DISPLAY). On a remote machine or JupyterLab, "
            "record in notebook 12 with the browser's camera instead, or give a video file: --video FILE.",
            error=True,
        )
        return 1
    print(CONSENT)
    if not args.yes:
        if not sys.stdin.isatty():
            _say("Not recording: add --yes to accept the text above when there is no keyboard.", error=True)
            return 1
        if input("\nType yes to start recording: ").strip().lower() not in ("yes", "y"):
            _say("Not recording. Nothing was saved.")
            return 0
    try:
        cap = video.open_video(args.camera or 0 if use_camera else args.video)
    except VideoError as exc:
        _say(f"{exc} Without a camera, notebook 12 runs on a stand-in recording.", error=True)
        return 1
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    width, height = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
    source = f"camera {args.camera or 0}" if use_camera else f"video file {args.video.name}"
    try:
        writer = SessionWriter(
            root, args.name, info={"source": source, "camera": [width, height], "stand_in": False}
        )
    except (FileExistsError, ValueError) as exc:
        cap.release()
        _say(str(exc), error=True)
        return 1
    recorder = Recorder(
        writer,
        takes=args.takes,
        frames_per_take=args.frames_per_take,
        pace=args.pace,
        countdown=args.countdown,
        rest=args.rest,
    )
    _say(
        f"recording from {source} into {config.relative(writer.tmp)} ({'q or Esc stops' if show else 'Ctrl+C stops'})"
    )
    stopped = False
    try:
        for number, frame in enumerate(video.read_frames(cap)):
            # a camera's frames are timed by the clock; a file's by its own frame rate
            shown, text = recorder.step(frame, None if use_camera else number / fps)
            if show:
                cv2.imshow("course.py record (q stops)", shown)
                if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
                    stopped = True
                    break
            if recorder.done:
                break
    except KeyboardInterrupt:
        stopped = True
    finally:
        cap.release()
        if show:
            cv2.destroyAllWindows()
    if recorder.failed:
        _say(
            f"{recorder.failed} ({config.relative(writer.tmp)}): check the light and the camera's angle, then "
            "record again; `python3 course.py record --delete` removes it.",
            error=True,
        )
        return 1
    if not recorder.done:
        why = "stopped" if stopped else f"the {'camera' if use_camera else 'video'} ran out of frames"
        _say(
            f"{why} before the last expression: the session is kept as {config.relative(writer.tmp)}, marked "
            "incomplete, and no reader uses it. `python3 course.py record --delete` removes it.",
            error=True,
        )
        return 1
    kept = sum(c["kept"] for c in writer.counts.values())
    dropped = sum(c["no_face"] + c["several_faces"] for c in writer.counts.values())
    _say(
        f"saved {kept} faces to {config.relative(recorder.saved_to)} ({dropped} frames dropped: no face or several)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def recording_widget(root=None, name: str | None = None, **settings):
    """The webcam widget of notebook 11 in recording mode: the browser's camera feeds a
    :class:`Recorder` (``settings`` are its ``takes``, ``frames_per_take``, ``pace``...), and the
    browser releases the camera when the session is saved. The session starts (hidden and
    incomplete) with the first frame; ``widget.recorder`` is its recorder from then on."""
    from helpers.webcam import WebcamWidget

    root = Path(root) if root is not None else MY_FACES_DIR
    if name is not None and any(folder.exists() for folder in _folders(root, name)):
        raise FileExistsError(f"The session {name} exists already, and a session is never written over.")
    width, height = settings.pop("width", 320), settings.pop("height", 240)
    scale = settings.pop("scale", 2.0)  # the browser's small frames, enlarged as the live widget does

    def handle(frame):
        if widget.recorder is None:
            info = {"source": "browser camera", "camera": [width, height], "stand_in": False}
            widget.recorder = Recorder(SessionWriter(root, name, info=info), scale=scale, **settings)
        return widget.recorder.handle(frame)

    widget = WebcamWidget(handle, done_when=lambda: widget.recorder is not None and widget.recorder.done)

    def stopped(change):  # Stop pressed mid-session: that session stays incomplete; Start begins a new one
        if not change["new"] and widget.recorder is not None and not widget.recorder.done:
            widget.status = (
                f"stopped: {config.relative(widget.recorder.writer.tmp)} stays incomplete and unused "
                "(record --delete removes it); Start camera begins a new session"
            )
            widget.recorder = None

    widget.observe(stopped, names="camera_on")
    widget.width, widget.height = width, height
    widget.status = "Press Start camera to record: the browser will ask for your permission."
    widget.recorder = None
    return widget
