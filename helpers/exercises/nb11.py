"""Exercises of notebook 11 (real-time emotion detection)."""

from __future__ import annotations

import functools

import numpy as np

from helpers.exercises import Exercise, call, close


def _test_fps(fn):
    cases = (([0.0, 0.1, 0.2, 0.3, 0.4], 10.0), ([5.0, 5.04, 5.08], 25.0), ([1.0, 1.5, 1.75, 2.0], 3.0))
    for stamps, want in cases:
        got = call(fn, list(stamps))
        if not close(got, want, tol=1e-6):
            return (
                f"frames stamped at {stamps} show {len(stamps) - 1} frame intervals in "
                f"{stamps[-1] - stamps[0]:.2f} s, {want:g} frames per second; your function returned {got!r}"
            )
    return None


def _solution_fps():
    def frames_per_second(stamps):
        intervals = len(stamps) - 1  # n time stamps enclose n - 1 frame intervals
        return intervals / (stamps[-1] - stamps[0])

    return frames_per_second


frames_per_second = Exercise(
    key="11.1",
    title="frames per second from time stamps",
    test=_test_fps,
    hints=(
        "Count the intervals between the stamps, not the stamps.",
        "n stamps enclose n - 1 intervals, spanning last minus first seconds; frames per second is intervals over seconds.",
    ),
    solution=_solution_fps,
    wrong_answers=[
        lambda s: len(s) / (s[-1] - s[0]),  # one frame too many
        lambda s: 1 / (s[1] - s[0]),  # only the first interval
        lambda s: (s[-1] - s[0]) / (len(s) - 1),  # seconds per frame, not frames per second
    ],
    other_answers=[lambda s: 1 / np.mean(np.diff(s))],
)


def _test_scale_boxes(fn):
    boxes = np.array([[10, 20, 30, 30], [100, 50, 41, 41]])
    got = call(fn, boxes.copy(), 2.0)
    want = np.array([[20, 40, 60, 60], [200, 100, 82, 82]])
    if not close(got, want) or np.asarray(got).dtype.kind not in "iu":
        return f"boxes {boxes.tolist()} found on a half-size frame are {want.tolist()} on the full frame, as integers; got {got!r}"
    got = call(fn, np.array([[11, 7, 25, 25]]), 1.5)
    if not close(got, [[16, 10, 38, 38]]):
        return f"scaling [[11, 7, 25, 25]] by 1.5 and rounding gives [[16, 10, 38, 38]]; got {got!r}"
    return None


def _solution_scale_boxes():
    import numpy as np

    def scale_boxes(boxes, factor):
        return np.round(np.asarray(boxes) * factor).astype(int)  # x, y, w and h all scale

    return scale_boxes


scale_boxes = Exercise(
    key="11.2",
    title="boxes from a downscaled frame back to full size",
    test=_test_scale_boxes,
    hints=(
        "A box found on a frame shrunk by a factor must grow by the same factor: all four of its numbers.",
        "Multiply x, y, width and height by the factor, round to the nearest whole pixel (not down), and return integers.",
    ),
    solution=_solution_scale_boxes,
    wrong_answers=[
        lambda b, f: np.asarray(b) * f,  # floats
        lambda b, f: np.hstack([np.asarray(b)[:, :2] * int(f), np.asarray(b)[:, 2:]]),  # size not scaled
        lambda b, f: (np.asarray(b) * f).astype(int),  # truncates instead of rounding
    ],
    other_answers=[lambda b, f: [tuple(int(round(v * f)) for v in box) for box in b]],
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
        recent = np.asarray(history[-window:])  # the last `window` frames' probabilities
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
        "Take the last `window` rows of the history, average them per emotion (axis 0), and return the index of the largest mean as an int.",
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
        return [box for box in boxes if box[3] >= min_share * frame_height]  # box: (x, y, w, h)

    return keep_large


keep_large = Exercise(
    key="11.4",
    title="keep only faces large enough to read",
    test=_test_keep_large,
    hints=(
        "A box is (x, y, width, height), and the rule compares a face's height with the frame's height.",
        "Keep the boxes whose fourth number is at least min_share times frame_height; a list comprehension, or a "
        "boolean mask on the array of boxes, does it.",
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
