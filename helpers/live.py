"""The real-time emotion detector as a command (notebook 11 explains every step).

    python3 course.py live                          your webcam in a window; q quits
    python3 course.py live --camera 1               another camera
    python3 course.py live --video FILE             annotate a video file, headless
    python3 course.py live --demo                   annotate the course's own demo video, headless

    python3 course.py live --model reference        the reference model, trained on real FER2013

Headless runs write the annotated video to build/live/ (or --out FILE) and print the frames
per second and the milliseconds of each stage. The model is notebook 10's
(models/10_emotion_cnn_<data set>.keras) unless --model names another .keras file, or
`reference`: the mini-Xception trained on real FER2013 faces that the course installs
(helpers.reference), to compare with your own model on your own face.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from helpers import config, models, realtime, reference, timing, video

REFERENCE = "reference"


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
    return parser.parse_args(argv)


def main(argv=None, *, model=None) -> int:
    """Run the command with ``argv``; returns the exit status. ``model``: a Keras model already
    in memory (a notebook's), used instead of loading one (``--model`` is then not allowed)."""
    args = parse(argv)
    if model is not None and args.model is not None:
        raise ValueError("give either a model or --model, not both")
    model_path = args.model or realtime.default_model_path()
    try:
        if model is not None:
            name = f"the model given ({model.name})"
        elif str(model_path) == REFERENCE:
            model = reference.load_reference_model()
            name = f"the reference model ({reference.weights_path().name})"
        else:
            model = models.load_model(model_path)
            name = config.relative(model_path)
    except models.ModelFileError as exc:
        print(f"[live] {exc}", file=sys.stderr)
        return 1
    use_camera = args.video is None and not args.demo
    show = use_camera or args.show
    if (
        show
        and sys.platform.startswith("linux")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
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
            path = args.video or realtime.make_demo_video(realtime.demo_video_path())
            cap = video.open_video(path)
            source = config.relative(path)
    except video.VideoError as exc:
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
    detector = realtime.EmotionDetector(model, smoothing=args.smoothing)
    print(f"[live] model {name}; reading {source}" + (" (q quits)" if show else ""))
    try:
        summary = realtime.run(detector, cap, output=out, show=show, max_frames=args.frames)
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
