"""Exercises of notebook 02 (``cv2``, OpenCV)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import cv2
import numpy as np

from helpers.exercises import Exercise, call
from helpers.video import opencv_quiet


def _astronaut_bgr() -> np.ndarray:
    from skimage import data as skdata

    return cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2BGR)


def _test_to_model_input(fn):
    photo = _astronaut_bgr()
    for crop in (photo[60:170, 170:280], photo[30:230, 120:270], photo):  # square, tall, whole photo
        want = cv2.resize(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY), (48, 48), interpolation=cv2.INTER_AREA)
        got = call(fn, crop.copy())
        if not isinstance(got, np.ndarray):
            return f"expected a NumPy array, got {type(got).__name__}"
        if got.shape != (48, 48):
            return f"the result should have shape (48, 48), one grey channel; yours has shape {got.shape}"
        if got.dtype != np.uint8:
            return f"the result should stay uint8 (0-255), like the training faces; yours is {got.dtype}"
        diff = np.abs(got.astype(int) - want.astype(int)).mean()
        if diff > 1.0:
            return (
                f"for a {crop.shape[1]}x{crop.shape[0]} crop your grey values differ from the expected ones "
                f"by {diff:.1f} on average: is the colour order BGR, and is the resize INTER_AREA?"
            )
    return None


def _solution_to_model_input():
    import cv2

    def to_model_input(bgr):
        # BGR: the order OpenCV reads colours in; RGB weights would mix up red and blue
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
        # INTER_AREA averages the pixels it merges, so shrinking stays smooth; still uint8, 0-255
        return cv2.resize(grey, (48, 48), interpolation=cv2.INTER_AREA)

    return to_model_input


to_model_input = Exercise(
    key="02.1",
    title="a colour (BGR) crop to the grey 48x48 a FER model takes",
    test=_test_to_model_input,
    hints=(
        "Two steps, in the order notebook 02 did them: drop the colour, then change the size. Mind OpenCV's colour order, and which interpolation suits shrinking.",
        "Answers usually slip on one of these: the colour code must start from the order OpenCV reads "
        "colours in, which is not RGB; shrinking should average pixels (an interpolation notebook 02 "
        "recommends for it) rather than pick some; and the face stays `uint8`, 0 to 255: dividing by 255 is "
        "the model's job, not this function's.",
    ),
    solution=_solution_to_model_input,
    wrong_answers=[
        lambda bgr: cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_RGB2GRAY), (48, 48), interpolation=cv2.INTER_AREA),
        lambda bgr: cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY),
        lambda bgr: cv2.resize(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), (48, 48)) / 255.0,
        lambda bgr: cv2.resize(bgr, (48, 48), interpolation=cv2.INTER_AREA),
    ],
    other_answers=[
        lambda bgr: cv2.resize(
            cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY),
            None,
            fx=48 / bgr.shape[1],
            fy=48 / bgr.shape[0],
            interpolation=cv2.INTER_AREA,
        )
    ],
)


def _test_safe_imread(fn):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        good = tmp / "face.png"
        image = np.arange(48 * 48, dtype=np.uint32).reshape(48, 48).astype(np.uint8)
        cv2.imwrite(str(good), image)
        got = call(fn, good)
        if not isinstance(got, np.ndarray) or got.shape != (48, 48) or not np.array_equal(got, image):
            shape = getattr(got, "shape", None)
            return f"a readable grey image should come back as the same (48, 48) array; got shape {shape}"
        not_an_image = tmp / "notes.png"
        not_an_image.write_text("these are notes, not pixels")
        expected = {tmp / "missing.png": FileNotFoundError, not_an_image: ValueError}
        for bad, kind in expected.items():
            what = (
                "a path with no file"
                if kind is FileNotFoundError
                else "a file that is there but is not an image"
            )
            try:
                with opencv_quiet():  # the learner has seen imread's warning already
                    result = fn(bad)
            except kind as err:
                if str(bad) not in str(err) and bad.name not in str(err):
                    return f"the error for {bad.name} should name the file, so the learner knows which; it said: {err}"
                continue
            except Exception as err:
                return f"for {what} ({bad.name}) raise {kind.__name__}, not {type(err).__name__}"
            return f"for {what} ({bad.name}) your function returned {type(result).__name__} instead of raising {kind.__name__}"
    return None


def _solution_safe_imread():
    from pathlib import Path

    import cv2

    def safe_imread(path):
        # imread gives None both for a missing file and for one it cannot decode: ask first
        if not Path(path).is_file():
            raise FileNotFoundError(f"there is no file at {path}: check the folder and the name")
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if image is None:  # the file is there, so OpenCV could not decode it
            raise ValueError(f"OpenCV cannot read {path}: it is empty, damaged or not an image")
        return image

    return safe_imread


def _no_path_in_message(path):
    if not Path(path).is_file():
        raise FileNotFoundError("no such file")
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ValueError("cannot read the image")
    return image


def _one_error_for_both(path):
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise FileNotFoundError(f"cannot read {path} as an image: check the path and the file")
    return image


def _course_reader(path):
    from helpers import data

    return data.read_face(path)


safe_imread = Exercise(
    key="02.2",
    title="read a grey image, or fail with the right error",
    test=_test_safe_imread,
    hints=(
        "`cv2.imread` never raises: it returns `None` both for a missing file and for one it cannot decode. Tell the two cases apart before you read.",
        "Answers usually go wrong because `cv2.imread` gives the same `None` for both failures, so one "
        "`None` test cannot tell them apart: whether there is a file at all must be asked separately, "
        "before reading. And a message that does not name the path leaves the reader guessing which file.",
    ),
    solution=_solution_safe_imread,
    wrong_answers=[
        lambda path: cv2.imread(str(path), cv2.IMREAD_GRAYSCALE),
        lambda path: cv2.imread(str(path)),
        _no_path_in_message,
        _one_error_for_both,
    ],
    other_answers=[_course_reader],
)


def _test_largest_box(fn):
    cases = [
        (np.array([[10, 10, 40, 40], [100, 50, 90, 90], [5, 5, 60, 20]]), (100, 50, 90, 90)),
        (np.array([[0, 0, 80, 30], [200, 10, 50, 50]]), (200, 10, 50, 50)),  # widest is not biggest
        (np.array([[5, 300, 30, 80], [200, 10, 50, 50]]), (200, 10, 50, 50)),  # tallest is not biggest
        (np.array([[3, 4, 50, 50]]), (3, 4, 50, 50)),
    ]
    for boxes, want in cases:
        got = call(fn, boxes)
        if tuple(int(v) for v in np.asarray(got).ravel()) != want:
            return f"for boxes {boxes.tolist()} the largest by area is {want}, your function returned {got!r}"
    try:
        got = fn(())  # what detectMultiScale returns when it finds no face
    except Exception as err:
        return f"with no faces (detectMultiScale returns an empty tuple) your function raised {type(err).__name__}: {err}"
    if got is not None:
        return f"with no faces the answer should be None, your function returned {got!r}"
    return None


def _solution_largest_box():
    def largest_box(boxes):
        if len(boxes) == 0:  # no face: detectMultiScale gives an empty tuple, not an array
            return None
        # the area decides: the widest or the tallest box need not be the largest
        x, y, w, h = max(boxes, key=lambda box: box[2] * box[3])
        return int(x), int(y), int(w), int(h)  # plain ints, which print and compare simply

    return largest_box


largest_box = Exercise(
    key="02.3",
    title="keep the largest face box",
    test=_test_largest_box,
    hints=(
        "Two things to get right: what the detector returns when it finds no face, and which size decides which box is largest.",
        "Two slips are common. Comparing by one side only: neither the widest nor the tallest box is "
        "always the largest, the area is. And forgetting that with no face the detector gives an empty "
        "tuple, not an array: column tricks fail on it, so deal with it first.",
    ),
    solution=_solution_largest_box,
    wrong_answers=[
        lambda boxes: tuple(boxes[0]) if len(boxes) else None,
        lambda boxes: tuple(max(boxes, key=lambda b: b[2])) if len(boxes) else None,
        lambda boxes: tuple(boxes[np.argmax(boxes[:, 2] * boxes[:, 3])]),
    ],
    other_answers=[
        lambda boxes: (
            None
            if len(boxes) == 0
            else tuple(np.asarray(boxes)[np.argmax(np.asarray(boxes)[:, 2] * np.asarray(boxes)[:, 3])])
        )
    ],
)
