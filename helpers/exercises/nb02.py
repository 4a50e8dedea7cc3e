"""Exercises of notebook 02 (``cv2``, OpenCV), in the order the notebook places them:
02.1 at the end of "Read an image", 02.2 of "Resize to 48x48", 02.3 of "Detect, crop, resize"."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import cv2
import numpy as np

from helpers.exercises import Exercise, call
from helpers.video import opencv_quiet


def _astronaut_bgr() -> np.ndarray:
    from skimage import data as skdata

    return cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2BGR)


# --- 02.1: read every file it can, skip the rest ---------------------------------------------------


def _write_files(folder: Path) -> dict[str, Path]:
    """Image files cut from a real photo, and the files a folder of faces gets cluttered with."""
    photo = _astronaut_bgr()
    files = {name: folder / name for name in ("face.png", "helmet.png", "grey_face.png", "flag.jpg")}
    cv2.imwrite(str(files["face.png"]), photo[60:170, 170:280])  # colour, as most photos are
    cv2.imwrite(str(files["helmet.png"]), photo[300:420, 0:150])
    cv2.imwrite(str(files["grey_face.png"]), cv2.cvtColor(photo[30:230, 120:270], cv2.COLOR_BGR2GRAY))
    cv2.imwrite(str(files["flag.jpg"]), photo[20:140, 380:500])
    files["notes.png"] = folder / "notes.png"
    files["notes.png"].write_text("faces to re-take: 3, 7, 12")  # a text file with an image's name
    files["empty.png"] = folder / "empty.png"
    files["empty.png"].write_bytes(b"")  # what an interrupted copy leaves behind
    files["missing.png"] = folder / "missing.png"  # no file at all
    return files


def _test_read_readable(fn):
    # opencv_quiet: imread warns about the missing file, which the learner has seen already
    with tempfile.TemporaryDirectory() as tmp, opencv_quiet():
        files = _write_files(Path(tmp))
        cases = [
            ["face.png", "flag.jpg"],
            ["face.png", "notes.png", "grey_face.png", "empty.png", "missing.png", "helmet.png"],
            ["missing.png", "empty.png"],
        ]
        for names in cases:
            paths = [files[name] for name in names]
            got = call(fn, list(paths))
            problem = _read_problem(got, names, files)
            if problem:
                return f"for the files {names}: {problem}"
    return None


def _read_problem(got, names, files) -> str | None:
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"return two lists, the images and the skipped paths; yours returned {type(got).__name__} {got!r:.80}"
    images, skipped = list(got[0]), list(got[1])
    readable = [n for n in names if cv2.imread(str(files[n]), cv2.IMREAD_GRAYSCALE) is not None]
    if any(image is None for image in images):
        return (
            f"your list of images holds None ({len(images)} items for {len(readable)} readable files): "
            "a file OpenCV could not read went in with the images"
        )
    if len(images) != len(readable):
        return f"the readable files are {readable}, so {len(readable)} images; yours returned {len(images)}"
    for name, image in zip(readable, images, strict=True):
        want = cv2.imread(str(files[name]), cv2.IMREAD_GRAYSCALE)
        shape = getattr(image, "shape", None)
        if shape != want.shape:
            return f"{name} read in grey has shape {want.shape}, one value per pixel; yours has shape {shape}"
        # read in colour then converted to grey is right too: JPEG decoding and rounding differ by a few levels
        if np.abs(np.asarray(image, float) - want).max() > 8:
            return f"the image in {name}'s place is not {name} read in grey: keep the images in the order of the paths"
    unreadable = [files[n] for n in names if n not in readable]
    try:
        as_paths = [Path(s) for s in skipped]
    except TypeError:
        return f"the skipped list should hold the paths it was given; yours holds {skipped!r:.80}"
    if as_paths != unreadable:
        if [p.name for p in as_paths] == [p.name for p in unreadable] and as_paths:
            return "the skipped list holds the names only: list the paths as they were given"
        return f"the skipped paths should be those of {[p.name for p in unreadable]}, in order; yours are {[p.name for p in as_paths]}"
    return None


def _solution_read_readable():
    import cv2

    def read_readable(paths):
        images, skipped = [], []
        for path in paths:
            # imread raises nothing: for a missing, empty or damaged file it returns None
            image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
            # `is`, not `==`: a real image is an array, and == would compare every pixel
            if image is None:
                skipped.append(path)  # note it and go on: one bad file must not stop the rest
            else:
                images.append(image)
        return images, skipped

    return read_readable


def _equals_none(paths):
    images, skipped = [], []
    for path in paths:
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if image == None:  # noqa: E711 - the slip: on an array, == compares every pixel
            skipped.append(path)
        else:
            images.append(image)
    return images, skipped


def _not_image(paths):
    images, skipped = [], []
    for path in paths:
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if not image:  # an array's truth value is ambiguous: this raises for every real image
            skipped.append(path)
        else:
            images.append(image)
    return images, skipped


def _in_colour(paths):
    images, skipped = [], []
    for path in paths:
        image = cv2.imread(str(path))  # the default flag: three channels
        if image is None:
            skipped.append(path)
        else:
            images.append(image)
    return images, skipped


def _waits_for_an_error(paths):
    images, skipped = [], []
    for path in paths:
        try:
            images.append(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))
        except cv2.error:  # never happens: imread returns None instead
            skipped.append(path)
    return images, skipped


def _skips_missing_files_only(paths):
    images, skipped = [], []
    for path in paths:
        if Path(path).is_file():
            images.append(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))
        else:
            skipped.append(path)
    return images, skipped


def _stops_at_the_first_bad_file(paths):
    images, skipped = [], []
    for path in paths:
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if image is None:
            skipped.append(path)
            break
        images.append(image)
    return images, skipped


def _course_reader_unguarded(paths):
    from helpers import data

    return [data.read_face(path) for path in paths], []


def _course_reader_guarded(paths):
    from helpers import data

    images, skipped = [], []
    for path in paths:
        try:
            images.append(data.read_face(path))
        except (FileNotFoundError, ValueError):  # the reader's two errors, as notebook 02 shows
            skipped.append(path)
    return images, skipped


def _read_then_split(paths):
    read = [cv2.imread(str(path), 0) for path in paths]  # 0 is IMREAD_GRAYSCALE
    return [image for image in read if image is not None], [
        p for p, image in zip(paths, read, strict=True) if image is None
    ]


read_readable = Exercise(
    key="02.1",
    title="read every image it can, skip the rest",
    test=_test_read_readable,
    hints=(
        "`cv2.imread` raises no error for a file it cannot read: look at what it returns, file by file.",
        "Answers usually slip on the test for a failed read. A good read is an array, and `==` or `not` "
        "on an array looks at every pixel: Python then stops with an error about an ambiguous truth value. "
        "Ask whether the result is `None` itself, with `is`. And read in grey: the default flag gives "
        "three channels.",
    ),
    solution=_solution_read_readable,
    wrong_answers=[
        _equals_none,
        _not_image,
        _in_colour,
        _waits_for_an_error,
        _skips_missing_files_only,
        _stops_at_the_first_bad_file,
        _course_reader_unguarded,
    ],
    other_answers=[_course_reader_guarded, _read_then_split],
)


# --- 02.2: a colour crop to the model's input ---------------------------------------------------------


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
    key="02.2",
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


# --- 02.3: crop a detected face with a margin, clipped at the edge of the picture -------------------


@functools.cache
def _detections() -> list[tuple[str, np.ndarray, np.ndarray, int]]:
    """(what, grey picture, the box the course's Haar cascade finds in it, margin) for each case."""
    from helpers import video

    photo = cv2.cvtColor(_astronaut_bgr(), cv2.COLOR_BGR2GRAY)
    wide = cv2.cvtColor(video.demo_frames(n=30, size=(640, 480))[14], cv2.COLOR_BGR2GRAY)
    pictures = [
        ("the astronaut photo", photo, 20),
        ("the astronaut photo, no margin", photo, 0),
        ("the photo cut so that the face nearly touches the top-left corner", photo[50:, 160:], 30),
        ("the photo cut so that the face nearly touches the bottom-right corner", photo[:190, :290], 40),
        ("a 640x480 frame with the face in its right half", wide, 20),
    ]
    detector = cv2.CascadeClassifier(str(Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"))
    cases = []
    for what, grey, margin in pictures:
        grey = np.ascontiguousarray(grey)
        found = detector.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(40, 40))
        assert len(found) == 1, f"the cascade should find one face in {what}, it found {len(found)}"
        cases.append((what, grey, found[0], margin))
    return cases


def _test_crop_with_margin(fn):
    for what, grey, box, margin in _detections():
        x, y, w, h = (int(v) for v in box)
        want = grey[max(0, y - margin) : y + h + margin, max(0, x - margin) : x + w + margin]
        got = call(fn, grey.copy(), box.copy(), margin)
        where = f"in {what} ({grey.shape[1]}x{grey.shape[0]}), box {(x, y, w, h)} and a margin of {margin}"
        if not isinstance(got, np.ndarray):
            return f"{where}: expected a NumPy array, a part of the grey picture; got {type(got).__name__}"
        if got.shape != want.shape:
            empty = " (an empty crop)" if got.size == 0 else ""
            return f"{where}: the crop should have shape {want.shape}; yours has shape {got.shape}{empty}"
        if not np.array_equal(got, want):
            return f"{where}: your crop has the right size but not the right pixels: is it cut in the right place?"
    return None


def _solution_crop_with_margin():
    def crop_with_margin(grey, box, margin):
        x, y, w, h = box
        # near the top or left edge the grown box starts below 0, and a negative start would
        # count from the far end of the array: clip it at 0, the first row or column
        top, left = max(0, y - margin), max(0, x - margin)
        # an end past the bottom or right edge needs no care: a slice stops at the edge by itself
        return grey[top : y + h + margin, left : x + w + margin]  # rows are y, columns are x

    return crop_with_margin


def _not_clipped(grey, box, margin):
    x, y, w, h = box
    return grey[y - margin : y + h + margin, x - margin : x + w + margin]


def _rows_by_x(grey, box, margin):
    x, y, w, h = box
    return grey[max(0, x - margin) : x + w + margin, max(0, y - margin) : y + h + margin]


def _edges_from_the_wrong_axis(grey, box, margin):
    x, y, w, h = box
    height, width = grey.shape[1], grey.shape[0]  # the slip: shape is (height, width), rows first
    return grey[
        max(0, y - margin) : min(height, y + h + margin), max(0, x - margin) : min(width, x + w + margin)
    ]


def _grown_to_one_side(grey, box, margin):
    x, y, w, h = box
    return grey[y : y + h + 2 * margin, x : x + w + 2 * margin]


def _clipped_both_ways(grey, box, margin):
    x, y, w, h = box
    height, width = grey.shape
    top, bottom = max(0, y - margin), min(height, y + h + margin)
    left, right = max(0, x - margin), min(width, x + w + margin)
    return grey[top:bottom, left:right]


def _clipped_with_numpy(grey, box, margin):
    x, y, w, h = (int(v) for v in box)
    top, bottom = np.clip([y - margin, y + h + margin], 0, grey.shape[0])
    left, right = np.clip([x - margin, x + w + margin], 0, grey.shape[1])
    return grey[top:bottom, left:right]


crop_with_margin = Exercise(
    key="02.3",
    title="crop a detected face with a margin",
    test=_test_crop_with_margin,
    hints=(
        "Grow the box by the margin on every side, then cut it out as a slice. "
        "Think about what a slice does with a start below 0.",
        "Answers usually go wrong near the top or left edge. There the grown box starts below 0, and a "
        "negative start in a slice counts from the far end of the array: the crop comes out empty or "
        "wrong, with no error. An end past the bottom or right edge is harmless: a slice stops at the edge "
        "by itself.",
    ),
    solution=_solution_crop_with_margin,
    wrong_answers=[_not_clipped, _rows_by_x, _edges_from_the_wrong_axis, _grown_to_one_side],
    other_answers=[_clipped_both_ways, _clipped_with_numpy],
)
