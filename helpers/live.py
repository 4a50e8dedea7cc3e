"""The real-time emotion detector as a command (notebook 11 explains every step), and its
capture loop :func:`run` (camera or file, an optional window, an optional annotated video).

    python3 course.py live                          your webcam in a window; q quits
    python3 course.py live --camera 1               another camera
    python3 course.py live --video FILE             annotate a video file, headless
    python3 course.py live --demo                   annotate the course's own demo video, headless

    python3 course.py live --model reference        the reference model, trained on real FER2013
    python3 course.py live --flip                   each face read twice, as it is and mirrored (test-time flips)
    python3 course.py live --with-reference         your model and the reference model averaged (an ensemble)

Headless runs write the annotated video to build/live/ (or --out FILE) and print the frames
per second and the milliseconds of each stage. The model is notebook 10's
(models/10_emotion_cnn_<data set>.keras) unless --model names another .keras file, or
`reference`: the mini-Xception trained on real FER2013 faces that the course installs
(helpers.reference), to compare with your own model on your own face. A model file's
calibration, saved beside it by notebook 10 (<name>.calibration.json), is used when present:
calibrated percentages, and "unsure" on faces below the threshold chosen on validation faces.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from helpers import config, models, reference, timing, video
from helpers.detector import STAGES, EmotionDetector
from helpers.errors import ModelFileError, VideoError

REFERENCE = "reference"


@dataclass
class RunSummary:
    """What :func:`run` did: frames processed, frames with a face, frames per second over the
    whole loop, the median milliseconds of each stage, and the median age of the frames shown
    (from capture to the annotated frame, in ms; from the moment ``read()`` returned when the
    capture does not say when its frames were captured)."""

    frames: int
    frames_with_face: int
    fps: float
    stage_ms: dict[str, float]
    output: Path | None = None
    age_ms: float | None = None

    def __str__(self) -> str:
        stages = ", ".join(f"{k} {v:.1f}" for k, v in self.stage_ms.items())
        age = f"; frames shown {self.age_ms:.0f} ms after capture" if self.age_ms is not None else ""
        out = f"; annotated video: {config.relative(self.output)}" if self.output else ""
        return (
            f"{self.frames} frames ({self.frames_with_face} with a face) at {self.fps:.1f} frames/s; "
            f"median ms per stage: {stages}{age}{out}"
        )


def run(
    detector: EmotionDetector,
    cap: cv2.VideoCapture,
    *,
    output=None,
    show: bool = False,
    max_frames: int | None = None,
    fps: float | None = None,
) -> RunSummary:
    """Run ``detector`` over every frame of the open capture ``cap``.

    ``output``: write the annotated frames to this video file (it must not exist yet);
    ``show``: display them in a window (``q`` or Esc quits); ``max_frames``: stop after that
    many. The capture, the writer and the window are released on every exit path, including
    an exception or Ctrl+C.
    """
    output = Path(output) if output else None
    if output is not None and output.exists():
        raise FileExistsError(f"{output} exists already; give another --out name or delete it first.")
    laps = timing.Laps()  # each stage's milliseconds, and the frames counted
    ages = []  # each shown frame's age, capture to annotated, in ms

    def annotated():
        recent = deque(maxlen=30)  # time stamps of the last frames, for the fps shown
        laps.start()
        for frame in video.read_frames(cap, max_frames):  # checks every read; stops at the end
            laps.lap("capture")
            captured = (
                getattr(cap, "timestamp", None) or time.perf_counter()
            )  # a camera's own time, if it has one
            frame, faces = detector.process(frame, laps.ms)
            laps.count("frames")
            laps.count("with a face", bool(faces))
            recent.append(time.perf_counter())
            if len(recent) > 1:
                rate = (len(recent) - 1) / (recent[-1] - recent[0])
                cv2.putText(
                    frame,
                    f"{rate:4.1f} fps",
                    (frame.shape[1] - 110, 24),
                    cv2.FONT_HERSHEY_SIMPLEX,
                    0.6,
                    (255, 255, 255),
                    2,
                    cv2.LINE_AA,
                )
            ages.append(1000 * (time.perf_counter() - captured))
            yield frame
            if show:
                cv2.imshow("Emotion detector (q quits)", frame)
                if cv2.waitKey(1) & 0xFF in (ord("q"), 27):
                    return
            laps.start()  # the next capture starts now

    start = time.perf_counter()
    try:
        if output is not None:  # write_video checks the writer opened and releases it on every path
            video.write_video(output, annotated(), fps=fps or cap.get(cv2.CAP_PROP_FPS) or 15)
        else:
            for _ in annotated():
                pass
    finally:
        cap.release()
        if show:
            cv2.destroyAllWindows()
    seconds = time.perf_counter() - start
    frames = laps.counts.get("frames", 0)
    return RunSummary(
        frames=frames,
        frames_with_face=laps.counts.get("with a face", 0),
        fps=frames / seconds if seconds > 0 else 0.0,
        stage_ms=laps.medians(STAGES),
        output=output if output is not None and frames else None,
        age_ms=float(np.median(ages)) if ages else None,
    )


def parse(argv):
    parser = argparse.ArgumentParser(
        prog="python3 course.py live",
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__,
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--camera", type=int, default=None, metavar="N", help="camera index (default 0)")
    source.add_argument("--video", type=Path, help="a video file to annotate instead of a camera")
    source.add_argument(
        "--demo", action="store_true", help="annotate the course's demo video (made if missing)"
    )
    parser.add_argument(
        "--model",
        type=Path,
        default=None,
        help="a trained .keras model (default: notebook 10's), or `reference` for the model trained on real FER2013",
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write the annotated video here (must not exist)"
    )
    parser.add_argument("--show", action="store_true", help="show a window for a video file too")
    parser.add_argument("--frames", type=int, default=None, help="stop after this many frames")
    parser.add_argument("--smoothing", type=int, default=5, help="frames averaged per face (1 = off)")
    parser.add_argument(
        "--detect-every",
        type=int,
        default=3,
        metavar="N",
        help="search for faces every N frames and follow them in between (1 = search every frame)",
    )
    parser.add_argument(
        "--with-reference",
        action="store_true",
        help="an ensemble: average the model's probabilities with the reference model's (their two times added up)",
    )
    parser.add_argument(
        "--flip",
        action="store_true",
        help="test-time flips: read each face as it is and mirrored, and average (about twice the model's time)",
    )
    return parser.parse_args(argv)


def main(argv=None, *, model=None, calibration: dict | None = None) -> int:
    """Run the command with ``argv``; returns the exit status. ``model``: a Keras model already
    in memory (a notebook's), used instead of loading one (``--model`` is then not allowed), with
    its ``calibration`` (``{"temperature", "unsure_below"}``, as notebook 10 saves it) if any.
    A model loaded from a file uses the calibration saved beside it, when there is one."""
    args = parse(argv)
    if model is not None and args.model is not None:
        raise ValueError("give either a model or --model, not both")
    model_path = args.model or models.default_model_path()
    try:
        if model is not None:
            name = f"the model given ({model.name})"
        elif str(model_path) == REFERENCE:
            model = reference.load_reference_model()
            name = f"the reference model ({reference.weights_path().name})"
        else:
            model = models.load_model(model_path)
            name = config.relative(model_path)
            calibration = models.load_calibration(model_path)
    except ModelFileError as exc:
        print(f"[live] {exc}", file=sys.stderr)
        return 1
    if args.with_reference:  # an ensemble of two models: a calibration fitted for one does not apply
        model, calibration = [model, reference.load_reference_model()], None
        name += ", averaged with the reference model"
    use_camera = args.video is None and not args.demo
    show = use_camera or args.show
    if show and not video.has_screen():
        print(
            "[live] There is no screen to show a window on (no DISPLAY). Run it headless on a file instead: "
            "`python3 course.py live --demo` or `--video FILE`.",
            file=sys.stderr,
        )
        return 1
    try:
        if use_camera:
            index = args.camera or 0
            cap = video.open_video(index)
            source = f"camera {index}"
        else:
            path = args.video or video.make_demo_video(video.demo_video_path())
            cap = video.open_video(path)
            source = config.relative(path)
    except VideoError as exc:
        hint = (
            " Or run headless on a file: `python3 course.py live --demo` or `--video FILE`."
            if use_camera
            else ""
        )
        print(f"[live] {exc}{hint}", file=sys.stderr)
        return 1
    out = args.out
    if out is None and not use_camera:
        stem = Path(source).stem
        out = config.ROOT / "build" / "live" / f"{stem}_annotated_{timing.timestamp()}.mp4"
    detector = EmotionDetector(
        model, smoothing=args.smoothing, detect_every=args.detect_every, flip=args.flip, **(calibration or {})
    )
    print(f"[live] model {name}; reading {source}" + (" (q quits)" if show else ""))
    if args.flip:
        print(
            "[live] test-time flips: each face is read as it is and mirrored, and the two readings averaged"
        )
    if calibration:
        print(
            f"[live] calibrated on validation faces: temperature {calibration['temperature']:.2f}, "
            f"'unsure' below {calibration['unsure_below']:.0%}"
        )
    try:
        summary = run(detector, cap, output=out, show=show, max_frames=args.frames)
    except FileExistsError as exc:
        print(f"[live] {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("[live] stopped")
        return 0
    print(f"[live] {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
