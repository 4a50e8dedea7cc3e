"""Exercises of notebook 11 (real-time emotion detection)."""

from __future__ import annotations

import functools

import numpy as np

from helpers.exercises import Exercise, call, close
from helpers.exercises.nb03 import frame_rate_problem


def _test_fps(fn):
    cases = ([0.0, 0.1, 0.2, 0.3, 0.4], [5.0, 5.04, 5.08], [1.0, 1.5, 1.75, 2.0])
    for stamps in cases:  # the same question as exercise 03.2, with the same explanations
        problem = frame_rate_problem(stamps, call(fn, list(stamps)))
        if problem:
            return problem
    return None


def _solution_fps():
    def frames_per_second(stamps):
        intervals = len(stamps) - 1  # n time stamps enclose n - 1 frame intervals
        # over the whole time from first to last, so that every interval counts, a long pause too
        return intervals / (stamps[-1] - stamps[0])

    return frames_per_second


frames_per_second = Exercise(
    key="11.1",
    title="frames per second from time stamps",
    test=_test_fps,
    hints=(
        "Frames per second is a count divided by a time: which count, and over which stretch of time?",
        "Two slips are common. Counting the stamps instead of the gaps between them (a fence of n posts has "
        "n - 1 gaps); and letting one gap, or a typical gap such as the median, stand for all of them: a "
        "long pause between two frames lowers the frame rate of the whole stretch.",
    ),
    solution=_solution_fps,
    wrong_answers=[
        lambda s: len(s) / (s[-1] - s[0]),  # one frame too many
        lambda s: 1 / (s[1] - s[0]),  # only the first interval
        lambda s: (s[-1] - s[0]) / (len(s) - 1),  # seconds per frame, not frames per second
        lambda s: 1 / float(np.median(np.diff(s))),  # a typical gap, not all of them
    ],
    other_answers=[lambda s: 1 / np.mean(np.diff(s))],
)


def _test_scale_boxes(fn):
    boxes = np.array([[10, 20, 30, 30], [100, 50, 41, 41]])
    got = call(fn, boxes.copy(), 2.0)
    want = np.array([[20, 40, 60, 60], [200, 100, 82, 82]])
    if not close(got, want) or np.asarray(got).dtype.kind not in "iu":
        return f"boxes {boxes.tolist()} found on a half-size frame are {want.tolist()} on the full frame, as integers; got {got!r}"
    # By 1.6 no value lands on an exact half, where rounding conventions differ (NumPy rounds
    # 16.5 to even, 16; rounding half up gives 17): both are right, so the check avoids them.
    got = call(fn, np.array([[11, 7, 25, 26]]), 1.6)
    if close(got, [[17, 11, 40, 41]]):
        return (
            "scaling [[11, 7, 25, 26]] by 1.6 gives [[17.6, 11.2, 40.0, 41.6]]; you cut the decimals off, "
            f"which rounds 17.6 down to 17: round to the nearest pixel, 18. Got {got!r}"
        )
    if not close(got, [[18, 11, 40, 42]]):
        return (
            "scaling [[11, 7, 25, 26]] by 1.6 gives [[17.6, 11.2, 40.0, 41.6]], which is [[18, 11, 40, 42]] "
            f"to the nearest pixel; got {got!r}"
        )
    return None


def _solution_scale_boxes():
    import numpy as np

    def scale_boxes(boxes, factor):
        # x, y, w and h are all lengths in pixels of the small frame: all four grow by the factor;
        # round to the nearest pixel first, as astype(int) alone would cut the decimals off
        return np.round(np.asarray(boxes) * factor).astype(int)

    return scale_boxes


scale_boxes = Exercise(
    key="11.2",
    title="boxes from a downscaled frame back to full size",
    test=_test_scale_boxes,
    hints=(
        "A box found on a frame shrunk by a factor must grow by the same factor: all four of its numbers.",
        "Answers usually go wrong in two places: scaling only the position and not the size, or the other "
        "way round; and making integers by cutting the decimals off, which rounds every box down and to the "
        "left: round to the nearest pixel first.",
    ),
    solution=_solution_scale_boxes,
    wrong_answers=[
        lambda b, f: np.asarray(b) * f,  # floats
        lambda b, f: np.hstack([np.asarray(b)[:, :2] * int(f), np.asarray(b)[:, 2:]]),  # size not scaled
        lambda b, f: (np.asarray(b) * f).astype(int),  # truncates instead of rounding
    ],
    other_answers=[
        lambda b, f: [tuple(int(round(v * f)) for v in box) for box in b],
        lambda b, f: np.floor(np.asarray(b) * f + 0.5).astype(int),  # halves rounded up, not to even
    ],
)


def _test_smoothed_label(fn):
    eye = np.eye(7)
    history = [eye[3], eye[3], eye[6], eye[3], 0.5 * eye[6] + 0.5 * eye[0]]
    got = call(fn, history, 3)
    if got != 6:
        return (
            "over the last 3 frames (neutral, happy, half neutral / half angry) neutral has the highest mean "
            f"probability, so the label is 6; your function returned {got!r}"
        )
    got = call(fn, history, 5)
    if got != 3:
        return f"over all 5 frames happy has the highest mean probability (label 3); your function returned {got!r}"
    return None


def _solution_smoothed_label():
    import numpy as np

    def smoothed_label(history, window):
        recent = np.asarray(history[-window:])  # the last `window` frames: the newest are at the end
        # average per emotion (down the frames), then the emotion with the highest average
        return int(recent.mean(axis=0).argmax())

    return smoothed_label


def _smoothed_label_sum(history, window):
    recent = history[-window:]
    totals = [sum(p[k] for p in recent) for k in range(len(recent[0]))]
    return totals.index(max(totals))


smoothed_label = Exercise(
    key="11.3",
    title="a label smoothed over the last frames",
    test=_test_smoothed_label,
    hints=(
        "Smoothing averages the last few frames' probabilities before choosing the label.",
        "Answers usually go wrong in two ways: the latest frames are at the end of the list, not at its "
        "start; and the label must come from the averaged probabilities, not from a vote of each frame's "
        "own label, which throws away how sure each frame was.",
    ),
    solution=_solution_smoothed_label,
    wrong_answers=[
        lambda h, w: int(np.asarray(h[-1]).argmax()),  # no smoothing
        lambda h, w: int(np.asarray(h[:w]).mean(axis=0).argmax()),  # the first frames, not the last
        lambda h, w: int(np.bincount([int(np.argmax(p)) for p in h[-w:]], minlength=7).argmax()),  # vote
    ],
    other_answers=[_smoothed_label_sum],
)


@functools.cache  # the same video every time: detect once per kernel, not once per check
def _demo_boxes():
    """Faces found (from 20 pixels) in every 12th frame of the course's demo video, with the frame height."""
    import cv2

    from helpers import video

    path = video.make_demo_video(video.demo_video_path())  # made once, then kept
    frames = list(video.read_frames(video.open_video(path)))[::12]
    return [
        video.detect_faces(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY), min_size=(20, 20)) for f in frames
    ], frames[0].shape[0]


def _test_keep_large(fn):
    boxes = np.array([[0, 0, 200, 100], [10, 10, 90, 120], [5, 5, 60, 60]])  # wide, tall, square
    want = [(10, 10, 90, 120)]
    got = call(fn, boxes.copy(), 480, 0.25)
    try:
        got = [tuple(int(v) for v in b) for b in got]
    except TypeError:
        return f"return the boxes you keep, each (x, y, w, h); your function returned {got!r}"
    if sorted(got) != want:
        return (
            f"in a 480-pixel-high frame, with min_share 0.25, faces at least 120 px high are kept: of the "
            f"boxes (x, y, w, h) {boxes.tolist()} that is only {want[0]}, whose height is exactly 120; your "
            f"function kept {got}"
        )
    per_frame, height = _demo_boxes()
    for share in (0.2, 0.1, 0.42):
        for boxes in per_frame:
            want = [tuple(int(v) for v in b) for b in boxes if b[3] >= share * height]
            got = call(fn, boxes, height, share)
            try:
                got = [tuple(int(v) for v in b) for b in got]
            except TypeError:
                return f"return the boxes you keep, each (x, y, w, h); your function returned {got!r}"
            if sorted(got) != sorted(want):
                sizes = ", ".join(f"{int(b[3])} px" for b in boxes) or "none"
                return (
                    f"in a {height}-pixel-high frame of the demo video the faces are {sizes} high; with min_share "
                    f"{share} the faces at least {share * height:.0f} px high are kept ({len(want)}), your function "
                    f"kept {len(got)}"
                )
    return None


def _solution_keep_large():
    def keep_large(boxes, frame_height, min_share):
        # box: (x, y, w, h); the share becomes pixels first, and "at least" keeps a face at the limit
        return [box for box in boxes if box[3] >= min_share * frame_height]

    return keep_large


keep_large = Exercise(
    key="11.4",
    title="keep only faces large enough to read",
    test=_test_keep_large,
    hints=(
        "A box is (x, y, width, height), and the rule compares a face's height with the frame's height.",
        "Answers usually go wrong in two ways: comparing the width (the third number) instead of the height "
        "(the fourth), and comparing a share with pixels: turn the share into pixels with the frame's height "
        "first. A face exactly at the limit is kept.",
    ),
    solution=_solution_keep_large,
    wrong_answers=[
        lambda boxes, h, share: [b for b in boxes if b[2] >= share * 640],  # width against the frame's width
        lambda boxes, h, share: [b for b in boxes if b[2] * b[3] >= share * h * h],  # area
        lambda boxes, h, share: [b for b in boxes if b[3] >= share],  # a share against pixels
    ],
    other_answers=[
        lambda boxes, h, share: np.asarray(boxes).reshape(-1, 4)[
            np.asarray(boxes).reshape(-1, 4)[:, 3] >= share * h
        ],
    ],
)
