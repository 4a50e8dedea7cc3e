"""FER2013-format face data: class names, the synthetic set, and readers for both real forms.

FER2013 is published in two forms, and this module reads both into the same arrays:

* the CSV form, ``fer2013.csv`` with columns ``emotion,pixels,Usage``: one row per face,
  ``pixels`` is 2,304 space-separated grey values (48x48), ``Usage`` is ``Training``,
  ``PublicTest`` or ``PrivateTest``;
* the image-folder form, ``train/<class>/*.png|jpg`` and ``test/<class>/...``, where
  ``test/`` merges both test splits and tells them apart by the file-name prefix
  ``PublicTest_`` / ``PrivateTest_``.

Whatever the form, :func:`load_dataset` returns ``{"train", "val", "test"}`` splits
(``Training``, ``PublicTest`` and ``PrivateTest``), each with ``images`` of shape
``(N, 48, 48)`` ``uint8`` and ``labels`` numbered in FER2013's own order (:data:`CLASS_NAMES`).

Pitfall: folder loaders such as Keras' ``image_dataset_from_directory`` and
``flow_from_directory`` number classes alphabetically (:data:`ALPHABETICAL_NAMES`), where
``neutral`` is 4, not 6. Always map labels by class *name* (:func:`to_fer_labels`).

The synthetic set (:func:`generate_synthetic`, :func:`ensure_dataset`) is written in the
folder form with the same file-name prefixes, so one reader serves it and the real set.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from helpers import config, files, synthetic
from helpers.errors import DataError, DataNotFoundError

#: FER2013's classes in its label order: the CSV's ``emotion`` column 0..6.
CLASS_NAMES: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
#: The order folder loaders assign (sorted names): here neutral is 4 and sad 5.
ALPHABETICAL_NAMES: tuple[str, ...] = tuple(sorted(CLASS_NAMES))
NUM_CLASSES = len(CLASS_NAMES)
IMAGE_SIZE = 48

#: Images per class in FER2013's training split (28,709 in all); disgust is rare.
FER2013_TRAIN_COUNTS: dict[str, int] = {
    "angry": 3995,
    "disgust": 436,
    "fear": 4097,
    "happy": 7215,
    "sad": 4830,
    "surprise": 3171,
    "neutral": 4965,
}
#: Images per class in the folder form's test/ (PublicTest + PrivateTest, 7,178 in all).
FER2013_TEST_COUNTS: dict[str, int] = {
    "angry": 958,
    "disgust": 111,
    "fear": 1024,
    "happy": 1774,
    "sad": 1247,
    "surprise": 831,
    "neutral": 1233,
}

#: CSV ``Usage`` values and folder prefixes -> split names used throughout the course.
USAGE_TO_SPLIT = {"Training": "train", "PublicTest": "val", "PrivateTest": "test"}
SPLIT_TO_USAGE = {split: usage for usage, split in USAGE_TO_SPLIT.items()}
SPLITS = ("train", "val", "test")

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".tif", ".tiff", ".webp"}
_IGNORED_FILES = {"thumbs.db", "desktop.ini"}
MARKER = "SYNTHETIC.json"
GENERATOR_VERSION = 3  # raise it whenever helpers.synthetic draws different faces

_WHERE_TO_GET_DATA = (
    "Generate the synthetic faces with helpers.data.ensure_dataset() (notebook 00 does it), "
    "or put the real FER2013 there: either fer2013.csv or the folders train/<class>/ and "
    "test/<class>/ (see data/README.md)."
)


@dataclass
class FaceSplit:
    """One split of a face data set: grey 48x48 images and FER2013-order labels."""

    images: np.ndarray  # (N, 48, 48) uint8
    labels: np.ndarray  # (N,) int64, indices into CLASS_NAMES
    sources: list[str] = field(default_factory=list)  # file name or CSV line of each face

    def __len__(self) -> int:
        return len(self.labels)

    def counts(self) -> dict[str, int]:
        """Number of faces per class, in FER2013 order."""
        return class_counts(self.labels)


def class_counts(labels) -> dict[str, int]:
    """How many of each class ``labels`` (FER2013 indices) holds, in FER2013 order."""
    bins = np.bincount(np.asarray(labels, dtype=np.int64), minlength=NUM_CLASSES)
    return {name: int(n) for name, n in zip(CLASS_NAMES, bins, strict=True)}


def to_fer_labels(labels, class_names) -> np.ndarray:
    """Map labels numbered by ``class_names`` (e.g. a folder loader's alphabetical order)
    to FER2013's order, by name."""
    lookup = np.array([CLASS_NAMES.index(name) for name in class_names])
    return lookup[np.asarray(labels)]


# ----------------------------------------------------------------------------------------
# The synthetic set
# ----------------------------------------------------------------------------------------


def synthetic_counts(fraction: float) -> dict[str, dict[str, int]]:
    """Faces per split and class for a synthetic set ``fraction`` the size of FER2013.

    Keeps FER2013's class proportions; the test counts are split evenly between the
    ``val`` (PublicTest) and ``test`` (PrivateTest) halves. Every class gets at least 2
    faces per split so that no class is ever empty.
    """
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must be in (0, 1], got {fraction}")
    counts = {"train": {}, "val": {}, "test": {}}
    for name in CLASS_NAMES:
        counts["train"][name] = max(2, round(FER2013_TRAIN_COUNTS[name] * fraction))
        held_out = max(4, round(FER2013_TEST_COUNTS[name] * fraction))
        counts["val"][name] = held_out // 2
        counts["test"][name] = held_out - held_out // 2
    return counts


def _split_seed(seed: int, split: str, name: str) -> int:
    """A seed for one (split, class) that does not depend on the order they are drawn in."""
    return int(
        np.random.SeedSequence([seed, SPLITS.index(split), CLASS_NAMES.index(name)]).generate_state(1)[0]
    )


def generate_synthetic(
    root,
    *,
    fraction: float | None = None,
    seed: int = config.SEED,
    overwrite: bool = False,
    verbose: bool = True,
) -> Path:
    """Write the synthetic face set to ``root`` in FER2013's folder form and return ``root``.

    ``root/train/<class>/Training_<n>.png`` and ``root/test/<class>/PublicTest_<n>.png`` or
    ``PrivateTest_<n>.png``, plus ``root/SYNTHETIC.json`` describing how it was made.

    Safe to call again: a set made with the same settings is reused as it is. A folder
    that was not made by this function (no ``SYNTHETIC.json``) and is not empty is never
    touched: :class:`DataError` is raised instead, because it may hold a learner's real
    data. A synthetic set made with other settings is replaced only with ``overwrite=True``.
    """
    root = Path(root)
    fraction = config.SYNTHETIC_FRACTION if fraction is None else fraction
    wanted = {
        "generator": "helpers.synthetic",
        "version": GENERATOR_VERSION,
        "seed": seed,
        "fraction": fraction,
        "counts": synthetic_counts(fraction),
    }
    action = _what_to_do(root, wanted, overwrite=overwrite)
    total = _total(wanted["counts"])
    if action == "reuse":
        if verbose:
            print(f"Reusing the synthetic set in {config.relative(root)} ({total:,} faces).")
        return root
    if action == "redraw" and verbose:
        print(
            f"The synthetic set in {config.relative(root)} was drawn by an older version of "
            "helpers.synthetic: drawing it again."
        )
    start = time.perf_counter()
    root.parent.mkdir(parents=True, exist_ok=True)
    # Drawn in a temporary folder beside root, which takes root's place at the end: an
    # interrupted run never leaves a half-written set behind.
    with files.replaced_atomically(root) as tmp:
        _draw_synthetic(tmp, wanted)
        wanted["seconds"] = round(time.perf_counter() - start, 2)
        (tmp / MARKER).write_text(json.dumps(wanted, indent=2) + "\n")
        if action in ("redraw", "replace"):
            shutil.rmtree(root)  # a set this function made, with other settings
    if verbose:
        print(
            f"Generated {total:,} synthetic faces in {config.relative(root)} in {time.perf_counter() - start:.1f} s."
        )
    return root


def _what_to_do(root: Path, wanted: dict, *, overwrite: bool) -> str:
    """What :func:`generate_synthetic` does with ``root``: "reuse" the set there, "draw" a new
    one (nothing there, or an empty folder), "redraw" a set an older renderer drew with the same
    settings, "replace" a set with other settings (only with ``overwrite``); anything else
    raises :class:`DataError`, leaving the folder alone."""
    existing = read_marker(root)
    if existing is None:
        if root.exists() and any(root.iterdir()):
            raise DataError(
                f"{root} is not empty and was not made by the course (it has no {MARKER}); it may hold "
                "your own data, so it is left untouched. Generate the synthetic set into another "
                "folder, or move those files away first."
            )
        return "draw"
    if {k: existing.get(k) for k in wanted} == wanted:
        return "reuse"
    # The same settings drawn by an older renderer: the course made those faces from its own
    # code, so they are redrawn (a model trained on them stays where it is).
    if existing.get("version", 0) < GENERATOR_VERSION and all(
        existing.get(k) == wanted[k] for k in ("generator", "seed", "fraction")
    ):
        return "redraw"
    if overwrite:
        return "replace"
    raise DataError(
        f"{root} holds a synthetic set made with other settings "
        f"(seed {existing.get('seed')}, fraction {existing.get('fraction')}, version "
        f"{existing.get('version')}). Call generate_synthetic(..., overwrite=True) to replace it, "
        "or pass another folder."
    )


def _draw_synthetic(folder: Path, settings: dict) -> None:
    """Render the faces ``settings["counts"]`` asks for into ``folder``, as PNG files."""
    next_id = 1
    for split in SPLITS:
        subfolder = "train" if split == "train" else "test"
        for name in CLASS_NAMES:
            n = settings["counts"][split][name]
            faces = synthetic.render_faces([name] * n, seed=_split_seed(settings["seed"], split, name))
            out = folder / subfolder / name
            out.mkdir(parents=True, exist_ok=True)
            for face in faces:
                cv2.imwrite(str(out / f"{SPLIT_TO_USAGE[split]}_{next_id:08d}.png"), face)
                next_id += 1


def read_marker(root) -> dict | None:
    """The settings a synthetic set was made with, or None if ``root`` is not one."""
    marker = Path(root) / MARKER
    if not marker.is_file():
        return None
    try:
        return json.loads(marker.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def _total(counts: dict[str, dict[str, int]]) -> int:
    return sum(sum(per_class.values()) for per_class in counts.values())


def ensure_dataset(path=None, *, verbose: bool = True) -> Path:
    """Make sure the data set the course is switched to is there, and return its path.

    With the synthetic set (the default) it is generated on first use, in a few seconds.
    With ``COURSE_DATASET=fer2013`` nothing is generated: the real set must already be in
    ``config.FER2013_DIR``, and a missing one raises :class:`DataNotFoundError` saying where.
    """
    if config.DATASET == "fer2013" and path is None:
        root = config.FER2013_DIR
        _find_form(root)  # raises with instructions if nothing usable is there
        if verbose:
            print(f"Using the real FER2013 set in {config.relative(root)}.")
        return root
    return generate_synthetic(path or config.SYNTHETIC_DIR, verbose=verbose)


# ----------------------------------------------------------------------------------------
# Readers
# ----------------------------------------------------------------------------------------


def _find_form(path) -> tuple[str, Path]:
    """Which FER2013 form ``path`` holds: ("csv", file) or ("folders", root)."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".csv":
        return "csv", path
    if path.is_dir():
        if (path / "train").is_dir():
            return "folders", path
        if (path / "fer2013.csv").is_file():
            return "csv", path / "fer2013.csv"
        raise DataNotFoundError(
            f"{path} exists but holds neither fer2013.csv nor a train/ folder. " + _WHERE_TO_GET_DATA
        )
    raise DataNotFoundError(f"No data at {path}. " + _WHERE_TO_GET_DATA)


def load_dataset(path=None) -> dict[str, FaceSplit]:
    """Read a FER2013-format data set (either form) into ``{"train", "val", "test"}`` splits.

    ``path`` defaults to the data set the course is switched to (:func:`config.data_dir`).
    A folder holding both ``train/`` and ``fer2013.csv`` is read in the folder form.
    """
    form, where = _find_form(config.data_dir() if path is None else path)
    return load_fer2013_csv(where) if form == "csv" else load_image_folders(where)


def load_fer2013_csv(path) -> dict[str, FaceSplit]:
    """Read ``fer2013.csv`` (``emotion,pixels,Usage``) into train/val/test splits.

    Rows keep their file order. Without a ``Usage`` column every row is training data.
    Files as real tools write them are read as they are: a UTF-8 byte-order mark (Excel,
    Windows editors), Windows line ends, quoted fields, spaces around names and values
    (``emotion, Usage, pixels`` in Kaggle's ``icml_face_data.csv``), column names in any case
    and order, an index column written by pandas, and blank lines. A row cut short, with the
    wrong number of pixels, a pixel that is not a whole number 0-255, an unknown label or an
    unknown ``Usage`` raises :class:`DataError` naming the file and line.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"No CSV file at {path}. " + _WHERE_TO_GET_DATA)
    images = {s: [] for s in SPLITS}
    labels = {s: [] for s in SPLITS}
    sources = {s: [] for s in SPLITS}
    # utf-8-sig drops a byte-order mark if there is one
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, skipinitialspace=True)
        try:
            header = [name.strip() for name in next(reader, [])]
            col = _csv_columns(path, header)
            for fields in reader:
                line = reader.line_num
                if not "".join(fields).strip():
                    continue  # a blank line (or one of empty fields), e.g. at the end of the file
                if len(fields) < len(header):
                    raise DataError(
                        f"{path}, line {line}: {len(fields)} fields, but the header names {len(header)}. "
                        "The row is cut short; fix or delete that line."
                    )
                row = {name: fields[i].strip() for name, i in col.items()}
                try:
                    label = int(row["emotion"])
                except ValueError:
                    raise DataError(
                        f"{path}, line {line}: emotion {row['emotion']!r} is not a number 0-6."
                    ) from None
                if not 0 <= label < NUM_CLASSES:
                    raise DataError(
                        f"{path}, line {line}: emotion {label} is outside 0-6 ({', '.join(CLASS_NAMES)})."
                    )
                pixels = _pixel_values(row["pixels"], f"{path}, line {line}")
                usage = row.get("Usage", "Training")
                if usage not in USAGE_TO_SPLIT:
                    raise DataError(
                        f"{path}, line {line}: Usage {usage!r} is not one of {list(USAGE_TO_SPLIT)}."
                    )
                split = USAGE_TO_SPLIT[usage]
                images[split].append(pixels)
                labels[split].append(label)
                sources[split].append(f"{path.name}:{line}")
        except UnicodeDecodeError:
            raise DataError(
                f"{path}: bytes that are not UTF-8 text, near line {reader.line_num + 1}. The file is "
                "damaged or not a CSV (an archive? unpack it first); download or export it again."
            ) from None
        except csv.Error as exc:
            raise DataError(f"{path}, line {reader.line_num}: not valid CSV ({exc}).") from None
    return {s: _face_split(images[s], labels[s], sources[s]) for s in SPLITS}


def _csv_columns(path: Path, header: list[str]) -> dict[str, int]:
    """Where the ``emotion``, ``pixels`` and ``Usage`` columns are (names in any case)."""
    wanted = {"emotion": "emotion", "pixels": "pixels", "usage": "Usage"}
    col: dict[str, int] = {}
    for i, name in enumerate(header):
        canonical = wanted.get(name.lower())
        if canonical in col:
            raise DataError(f"{path} has two {canonical!r} columns; keep one. Is it the right file?")
        if canonical:
            col[canonical] = i
    if "pixels" in col and "emotion" not in col:
        raise DataError(
            f"{path} has pixels but no 'emotion' column: it is unlabelled, like the Kaggle "
            "competition's test.csv. Use fer2013.csv (or the competition's train.csv) instead."
        )
    if not {"emotion", "pixels"} <= set(col):
        raise DataError(
            f"{path} has columns {[n for n in header if n]}; a FER2013 CSV needs 'emotion' and "
            "'pixels' (and usually 'Usage'). Is it the right file?"
        )
    return col


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


def _pixel_values(text: str, where: str) -> np.ndarray:
    """One CSV row's pixel string as a 48x48 ``uint8`` face, or a :class:`DataError` saying which
    value is wrong (``np.array(values, dtype=np.uint8)`` alone raises a bare ``OverflowError``
    for 300 and ``ValueError`` for ``abc``, with no line number)."""
    values = text.split()
    if len(values) != IMAGE_SIZE * IMAGE_SIZE:
        raise DataError(
            f"{where}: {len(values)} pixel values, expected {IMAGE_SIZE * IMAGE_SIZE} (48x48). "
            "The row is cut short or corrupt; fix or delete that line."
        )
    numbers = None
    if text.isascii() and "_" not in text and "+" not in text:  # what int() accepts beyond 0-9 digits
        try:
            numbers = np.array(values, dtype=np.int64)
        except (ValueError, OverflowError):
            pass
    if numbers is None:  # the slow path, only for a broken row: find what is wrong
        for position, value in enumerate(values):
            if not _WHOLE_NUMBER.fullmatch(value):
                raise DataError(
                    f"{where}: pixel {position + 1} is {value!r}, not a whole number. Pixels are 48x48 "
                    "numbers 0-255 separated by spaces; fix or delete that line."
                )
        numbers = np.array([max(-1, min(int(v), 256)) for v in values])  # whole numbers, one huge
    outside = np.flatnonzero((numbers < 0) | (numbers > 255))
    if outside.size:
        raise DataError(
            f"{where}: pixel {outside[0] + 1} is {values[outside[0]]}, outside 0-255 (a grey level is "
            "one byte). The row is corrupt; fix or delete that line."
        )
    return numbers.astype(np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE)


def _split_of(file_name: str, folder: str) -> str:
    """train/ files are training data; in test/, the prefix tells PublicTest from PrivateTest."""
    if folder == "train":
        return "train"
    for usage, split in USAGE_TO_SPLIT.items():
        if file_name.startswith(usage + "_"):
            return split if split != "train" else "test"
    # No prefix (a re-packed copy): halve test/ into val and test by a stable hash of the name.
    return "val" if hashlib.sha1(file_name.encode()).digest()[0] % 2 == 0 else "test"


def _sort_key(file_name: str):
    """Order files by the number in their name (Training_00000012.png), then by name."""
    stem = Path(file_name).stem
    digits = stem.rsplit("_", 1)[-1]
    return (int(digits) if digits.isdigit() else -1, file_name)


def read_face(path) -> np.ndarray:
    """Read one image file as a grey ``uint8`` array, with a clear error if it can't be.

    ``cv2.imread`` returns ``None`` instead of raising, both for a missing file and for one it
    cannot decode. This function tells the two apart: :class:`DataNotFoundError` (a
    ``FileNotFoundError``) when there is no file, :class:`DataError` (a ``ValueError``) when
    the file is there but is not an image OpenCV can read. Both messages name the file.
    """
    path = Path(path)
    if not path.is_file():
        raise DataNotFoundError(f"There is no file at {path}: check the folder and the file name.")
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise DataError(
            f"Cannot read {path} as an image (cv2.imread returned None): the file is "
            "empty, damaged or not an image. Replace it or move it out of the data folder."
        )
    return image


def load_image_folders(root) -> dict[str, FaceSplit]:
    """Read FER2013's folder form (``train/<class>/``, ``test/<class>/``) into train/val/test.

    Class folders are matched by name (case-insensitively), never by position. Images
    that are not 48x48 are resized, and a warning says how many were. Colour images are
    read as grey. Files are ordered by the number in their name.
    """
    root = Path(root)
    if not (root / "train").is_dir():
        raise DataNotFoundError(f"No train/ folder in {root}. " + _WHERE_TO_GET_DATA)
    images = {s: [] for s in SPLITS}
    labels = {s: [] for s in SPLITS}
    sources = {s: [] for s in SPLITS}
    resized: list[str] = []
    for folder in ("train", "test"):
        base = root / folder
        if not base.is_dir():  # only test/ can be missing here
            warnings.warn(f"{root} has no test/ folder: the val and test splits are empty.", stacklevel=2)
            continue
        found = {}
        for entry in sorted(base.iterdir()):
            if _ignored(entry):
                continue
            if not entry.is_dir():
                raise DataError(
                    f"{entry} is a file where class folders were expected; {base} should hold "
                    f"only the folders {', '.join(CLASS_NAMES)}. Move it away."
                )
            name = entry.name.lower()
            if name not in CLASS_NAMES:
                raise DataError(
                    f"Unknown class folder {entry}: FER2013's classes are {', '.join(CLASS_NAMES)}. "
                    "Rename or remove that folder."
                )
            found[name] = entry
        missing = [n for n in CLASS_NAMES if n not in found]
        if missing:
            raise DataError(
                f"{base} has no folder for {', '.join(missing)}; expected one per class: "
                f"{', '.join(CLASS_NAMES)}."
            )
        for name, class_dir in found.items():
            files = [p for p in class_dir.iterdir() if not _ignored(p)]
            if not files:
                raise DataError(f"The class folder {class_dir} is empty; every class needs images.")
            for p in sorted(files, key=lambda p: _sort_key(p.name)):
                if p.is_dir() or p.suffix.lower() not in IMAGE_SUFFIXES:
                    raise DataError(
                        f"{p} is not an image file (expected {', '.join(sorted(IMAGE_SUFFIXES))}); "
                        "move it out of the data folder."
                    )
                image = read_face(p)
                if image.shape != (IMAGE_SIZE, IMAGE_SIZE):
                    resized.append(f"{p.relative_to(root)} ({image.shape[1]}x{image.shape[0]})")
                    image = cv2.resize(image, (IMAGE_SIZE, IMAGE_SIZE), interpolation=cv2.INTER_AREA)
                split = _split_of(p.name, folder)
                images[split].append(image)
                labels[split].append(CLASS_NAMES.index(name))
                sources[split].append(str(p.relative_to(root)))
    if resized:
        warnings.warn(f"Resized {len(resized)} image(s) in {root} to 48x48, e.g. {resized[0]}.", stacklevel=2)
    result = {}
    for s in SPLITS:
        order = sorted(
            range(len(sources[s])), key=lambda i: (_sort_key(Path(sources[s][i]).name), sources[s][i])
        )
        result[s] = _face_split(
            [images[s][i] for i in order], [labels[s][i] for i in order], [sources[s][i] for i in order]
        )
    return result


def _face_split(images: list[np.ndarray], labels: list[int], sources: list[str]) -> FaceSplit:
    """A FaceSplit from per-face lists (48x48 images); an empty split gets a (0, 48, 48) array."""
    return FaceSplit(
        images=np.stack(images) if images else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.uint8),
        labels=np.array(labels, dtype=np.int64),
        sources=sources,
    )


def _ignored(path: Path) -> bool:
    return path.name.startswith(".") or path.name.lower() in _IGNORED_FILES


def add_channel(images: np.ndarray) -> np.ndarray:
    """(N, 48, 48) -> (N, 48, 48, 1): the channel axis a Conv2D layer expects."""
    return np.asarray(images)[..., np.newaxis]


def real_faces() -> dict[str, np.ndarray]:
    """Real faces that installed packages ship (nothing is downloaded), as ``(n, 48, 48)`` grey
    ``uint8`` crops, the input every course model takes:

    ``"astronaut"``
        scikit-image's ``astronaut()`` (Eileen Collins, a NASA photo), smiling;
    ``"grace_hopper"``
        Matplotlib's sample photo of Grace Hopper, in uniform, with a slight smile;
    ``"lfw"``
        the 100 faces of scikit-image's ``lfw_subset()`` (Labeled Faces in the Wild: public
        figures in news photos, tightly cut at 25x25 pixels, enlarged here).

    The two photos are cut as the real-time detector cuts a face (Haar cascade, 10 % margin,
    :func:`helpers.video.crop_face`). None of them carries an emotion label.
    """
    import matplotlib.cbook
    import matplotlib.image
    from skimage import data as skdata

    from helpers import video

    def detected(rgb):
        grey = cv2.cvtColor(np.asarray(rgb)[..., :3], cv2.COLOR_RGB2GRAY)
        box = video.largest_face(video.detect_faces(grey))
        if box is None:
            raise DataError("no face found in a shipped photo; is OpenCV's Haar cascade installed?")
        return video.crop_face(grey, box, IMAGE_SIZE, 0.1)[None]

    with matplotlib.cbook.get_sample_data("grace_hopper.jpg") as f:
        hopper = matplotlib.image.imread(f, format="jpg")
    lfw = skdata.lfw_subset()[:100]  # the other 100 are not faces
    lfw = np.stack([cv2.resize(f, (IMAGE_SIZE, IMAGE_SIZE), interpolation=cv2.INTER_CUBIC) for f in lfw])
    return {
        "astronaut": detected(skdata.astronaut()),
        "grace_hopper": detected(hopper),
        "lfw": np.clip(lfw * 255, 0, 255).round().astype(np.uint8),
    }
