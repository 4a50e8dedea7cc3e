"""Exercises of notebook 11 (real-time emotion detection)."""

from __future__ import annotations

import functools

import numpy as np

from helpers.exercises import Exercise, call, close


def _test_faded_label(fn):
    eye = np.eye(7)
    # happy for a long time, then two frames of surprise: the newest frames weigh most
    history = [eye[3]] * 6 + [eye[5], eye[5]]
    for keep, want, why in (
        (
            0.5,
            5,
            "with keep 0.5 the two surprise frames weigh 1 + 0.5 = 1.5, the six happy ones 0.25 + ... < 0.5",
        ),
        (
            0.9,
            3,
            "with keep 0.9 the two surprise frames weigh 1.9, the six happy ones 0.81 + ... + 0.48, about 3.8",
        ),
    ):
        got = call(fn, list(history), keep)
        if got != want:
            return (
                f"six happy frames, then two surprise frames (newest last): {why}, so the label is {want}; "
                f"your function returned {got!r}"
            )
    # how sure each frame was counts, not only its label
    history = [0.4 * eye[0] + 0.6 * eye[6], 0.45 * eye[0] + 0.55 * eye[6], 0.9 * eye[0] + 0.1 * eye[6]]
    got = call(fn, list(history), 0.8)
    if got != 0:
        return (
            "three frames, each a little more angry than neutral at the end: angry 0.4, 0.45, 0.9 and neutral 0.6, "
            "0.55, 0.1; with keep 0.8 angry adds up to 0.256 + 0.36 + 0.9 = 1.516 and neutral to 0.384 + 0.44 + "
            f"0.1 = 0.924, so the label is 0 (angry); your function returned {got!r}"
        )
    got = call(fn, [eye[2]], 0.7)
    if got != 2:
        return f"a history of one frame saying fear (2) is labelled 2; your function returned {got!r}"
    return None


def _solution_faded_label():
    import numpy as np

    def faded_label(history, keep):
        faded = np.zeros(len(history[0]))
        for probs in history:  # oldest first: each step fades everything seen so far by `keep`
            faded = keep * faded + np.asarray(probs)
        # the newest frame counts 1, the one before `keep`, the one before that keep * keep, ...
        return int(faded.argmax())

    return faded_label


def _faded_label_weights(history, keep):
    weights = keep ** np.arange(len(history))[::-1]  # ..., keep**2, keep, 1: the newest last
    return int((weights[:, None] * np.asarray(history)).sum(axis=0).argmax())


faded_label = Exercise(
    key="11.1",
    title="a label that fades old frames out",
    test=_test_faded_label,
    hints=(
        "A window drops an old frame all at once; fading multiplies everything seen so far by `keep` each time a "
        "new frame arrives, so a frame's weight shrinks the older it gets.",
        "Answers usually go wrong in two ways: fading the newest frame instead of the old ones (the newest frame "
        "must count in full), and choosing each frame's label first and then voting, which throws away how sure "
        "each frame was.",
    ),
    solution=_solution_faded_label,
    wrong_answers=[
        lambda h, k: int(np.asarray(h[-1]).argmax()),  # no smoothing
        lambda h, k: int(
            sum(k**i * np.asarray(p) for i, p in enumerate(h)).argmax()
        ),  # the oldest counts most
        lambda h, k: int(np.asarray(h).mean(axis=0).argmax()),  # every frame alike
        lambda h, k: int(  # a vote of each frame's label, faded
            np.bincount(
                [int(np.argmax(p)) for p in h], weights=k ** np.arange(len(h))[::-1], minlength=7
            ).argmax()
        ),
    ],
    other_answers=[_faded_label_weights],
)


def _test_searched_frames(fn):
    cases = (
        (10, 3, [], [0, 3, 6, 9], "with nothing lost, the search runs every 3rd frame"),
        (
            10,
            3,
            [4],
            [0, 3, 4, 7],
            "the face is lost at frame 4: searched at once, and the count starts again there",
        ),
        (10, 3, [3], [0, 3, 6, 9], "frame 3 is searched anyway: losing the face there changes nothing"),
        (
            8,
            4,
            [1, 2],
            [0, 1, 2, 6],
            "lost at frames 1 and 2 in a row: each is searched, then 3 frames followed",
        ),
        (5, 1, [], [0, 1, 2, 3, 4], "every 1 means searching every frame"),
        (7, 10, [], [0], "the first frame is always searched: there is nothing to follow yet"),
    )
    for n_frames, every, lost, want, why in cases:
        got = call(fn, n_frames, every, list(lost))
        try:
            got = [int(t) for t in got]
        except TypeError:
            return f"return a list of frame numbers; your function returned {got!r}"
        if got != want:
            return f"searched_frames({n_frames}, {every}, {lost}) should be {want} ({why}); your function returned {got}"
    return None


def _solution_searched_frames():
    def searched_frames(n_frames, every, lost):
        searched, followed = [], 0
        for t in range(n_frames):
            if t == 0 or followed == every - 1 or t in lost:
                # the first frame, the follow budget spent, or the face lost: search this very frame
                searched.append(t)
                followed = 0  # the count of followed frames starts again after every search
            else:
                followed += 1
        return searched

    return searched_frames


def _searched_frames_next(n_frames, every, lost):
    searched, next_search = [], 0
    for t in range(n_frames):
        if t >= next_search or t in lost:
            searched.append(t)
            next_search = t + every
    return searched


searched_frames = Exercise(
    key="11.2",
    title="which frames the detector searches",
    test=_test_searched_frames,
    hints=(
        "Walk through the frames one at a time and keep count of the frames followed since the last search.",
        "The usual slip is treating a lost face as one extra search on a fixed timetable: a search at a lost "
        "face restarts the count, so the following searches move later too.",
    ),
    solution=_solution_searched_frames,
    wrong_answers=[
        lambda n, e, lost: list(range(0, n, e)),  # ignores lost faces
        lambda n, e, lost: sorted(set(range(0, n, e)) | set(lost)),  # a fixed timetable plus the losses
        lambda n, e, lost: sorted(
            set(range(0, n, e + 1)) | set(lost)
        ),  # follows `every` frames, not every - 1
        lambda n, e, lost: _searched_frames_next(n, e + 1, lost),  # one frame too many between searches
    ],
    other_answers=[_searched_frames_next],
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
    key="11.4",
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
    key="11.3",
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
