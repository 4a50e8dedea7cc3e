"""Exercises of notebook 01 (``os`` and ``pathlib``)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PureWindowsPath

import numpy as np

from helpers.exercises import Exercise, call


def _make_tree(root: Path) -> None:
    """A small FER-style tree with the clutter real folders collect."""
    files = [
        "train/happy/Training_1.png",
        "train/happy/Training_2.jpg",
        "train/happy/Training_3.PNG",  # upper-case suffix, as some cameras and Windows tools write
        "train/happy/.DS_Store",
        "train/sad/Training_4.png",
        "train/sad/Thumbs.db",
        "train/sad/notes.txt",
        "train/.ipynb_checkpoints/Training_5-checkpoint.png",
        "test/happy/PublicTest_6.jpeg",
        "test/happy/PublicTest_7.jpg",
        "train/sad/README",  # no suffix at all
    ]
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def _test_count_images(fn):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _make_tree(root)
        checks = [(root / "train" / "happy", 3), (root / "train" / "sad", 1), (root / "test", 2)]
        for folder, want in checks:
            got = call(fn, folder)
            if got != want:
                return (
                    f"{folder.relative_to(root)} holds {want} image(s) (.png/.jpg/.jpeg, any case) "
                    f"among other files, but your function returned {got!r}"
                )
        got = call(fn, root / "train")
        if got != 4:
            return (
                f"train/ holds 4 images in its class folders, and a copy Jupyter left in train/.ipynb_checkpoints/ "
                f"that is not a training face; your function returned {got!r}"
            )
        got = call(fn, str(root / "train" / "happy"))
        if got != 3:
            return f"called with a string path instead of a Path, your function returned {got!r}, not 3"
    return None


def _solution_count_images():
    from pathlib import Path

    def count_images(folder):
        suffixes = {".png", ".jpg", ".jpeg"}
        # rglob("*") visits everything below the folder, however deep; Path() also accepts a str
        return sum(
            1
            for p in Path(folder).rglob("*")
            if p.is_file()  # folders are not images
            and p.suffix.lower() in suffixes  # ".PNG" from a camera is an image too
            and ".ipynb_checkpoints" not in p.parts  # Jupyter's copies are not faces
        )

    return count_images


def _count_images_os(folder):
    import os

    count = 0
    for _, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if f != ".ipynb_checkpoints"]  # os.walk then skips them
        count += sum(os.path.splitext(f)[1].lower() in (".png", ".jpg", ".jpeg") for f in files)
    return count


count_images = Exercise(
    key="01.1",
    title="count the images in a folder tree",
    test=_test_count_images,
    hints=(
        "`Path.rglob` visits everything below a folder, and not everything it finds is an image.",
        "Answers usually miss one of three things: a suffix written in capitals (`.PNG`) still marks an "
        "image; files that are not images sit beside the faces (`.DS_Store`, `Thumbs.db`, notes, files with "
        "no suffix); and a copy inside `.ipynb_checkpoints` is not a face (a path's `.parts` lists the "
        "folders it goes through).",
    ),
    solution=_solution_count_images,
    wrong_answers=[
        lambda folder: len(list(Path(folder).iterdir())),
        lambda folder: sum(1 for p in Path(folder).rglob("*") if p.is_file()),
        lambda folder: sum(1 for p in Path(folder).rglob("*") if p.suffix in {".png", ".jpg", ".jpeg"}),
        lambda folder: sum(
            1
            for p in Path(folder).rglob("*")
            if p.is_file() and p.suffix.lower() in {".png", ".jpg", ".jpeg"}
        ),
    ],
    other_answers=[_count_images_os],
)


def _test_split_and_class(fn):
    cases = [
        (Path("data/synthetic/train/happy/Training_00012.png"), ("train", "happy")),
        (Path("/home/ana/FER2013/test/neutral/PrivateTest_77.jpg"), ("test", "neutral")),
        ("C:/Users/ana/fer/train/disgust/Training_9.png", ("train", "disgust")),
        (PureWindowsPath(r"D:\FER2013\test\sad\PublicTest_5.png"), ("test", "sad")),  # a path from Windows
    ]
    for path, want in cases:
        got = call(fn, path)
        if tuple(got) != want:
            return f"for {path!s} the answer is {want}, your function returned {got!r}"
    return None


def _solution_split_and_class():
    from pathlib import Path

    def split_and_class(path):
        path = Path(path)  # a Path takes the path apart, whatever separator its system uses
        # counted from the end, as the number of folders in front varies: the image's folder is
        # the class, the folder above it the split
        return path.parent.parent.name, path.parent.name

    return split_and_class


split_and_class = Exercise(
    key="01.2",
    title="read the split and the class from an image's path",
    test=_test_split_and_class,
    hints=(
        "Let `pathlib` take the path apart, whatever the separator and however many folders come before: the class is the image's folder, the split the folder above it.",
        "Answers usually count from the wrong end: how many folders come before the split changes from one "
        "path to another, so count from the image backwards. Splitting the text at `/` fails on Windows "
        "paths, which `Path` understands. And mind the order of the pair: the split first, then the class.",
    ),
    solution=_solution_split_and_class,
    wrong_answers=[
        lambda path: (Path(path).parts[1], Path(path).parts[2]),
        lambda path: (Path(path).parent.name, Path(path).parent.parent.name),
        lambda path: tuple(str(path).split("/")[-3:-1]),  # the separator is not always "/"
    ],
    other_answers=[
        lambda path: tuple(Path(path).parts[-3:-1]),
        lambda path: (Path(path).parents[1].name, Path(path).parents[0].name),
    ],
)


def _test_load_or_make(fn):
    made = []

    def make():
        made.append(1)
        return np.arange(6, dtype=np.float32).reshape(2, 3) + len(made)

    with tempfile.TemporaryDirectory() as tmp:  # every folder and file below goes when the check ends
        folder = Path(tmp) / "models"
        folder.mkdir()  # the usual state of models/: the folder is there, this file is not yet
        path = folder / "weights.npy"
        try:
            first = call(fn, path, make)
        except FileNotFoundError:
            return (
                "models/ exists but weights.npy does not yet, the usual state before a first save, and your "
                "function tried to load it anyway: ask whether the file is there, not its folder"
            )
        except FileExistsError:
            return "models/ exists already, and making it again failed: mkdir has an option for a folder that is there"
        if len(made) != 1:
            return f"with no file at the path, make() should run once; it ran {len(made)} times"
        if not path.exists():
            return (
                "after the first call the result should be saved at the path (np.save), but no file is there"
            )
        second = call(fn, path, make)
        if len(made) != 1:
            return "the second call found the saved file, so it should load it, not call make() again"
        if not np.array_equal(np.asarray(first), np.asarray(second)):
            return "the loaded array differs from the one first made and saved"
        path.unlink()
        np.save(path, np.full((2, 3), 7.0))  # a file someone else saved: it must be loaded, not replaced
        third = call(fn, path, make)
        if not np.array_equal(np.asarray(third), np.full((2, 3), 7.0)) or len(made) != 1:
            return "an existing file must be loaded as it is, never made again and overwritten"
        deep = Path(tmp) / "cache" / "faces" / "weights.npy"  # neither folder exists
        try:
            call(fn, deep, make)
        except FileNotFoundError:
            return (
                "for cache/faces/weights.npy, where neither cache/ nor faces/ exists yet, saving failed: "
                "create every missing folder on the way (mkdir has an option for missing parents)"
            )
        if len(made) != 2 or not deep.exists():
            return "with no file and no folder, make() should run once and its result be saved at the path"
    return None


def _solution_load_or_make():
    from pathlib import Path

    import numpy as np

    def load_or_make(path, make):
        path = Path(path)
        if path.exists():  # the file itself: its folder often exists long before the file does
            return np.load(path)  # made before: loading is much faster than making it again
        result = make()
        # parents: also make missing folders above it; exist_ok: no error when it is there already
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, result)  # for next time
        return result

    return load_or_make


def _always_make(path, make):
    result = make()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    np.save(path, result)
    return result


def _never_saves(path, make):
    return np.load(path) if Path(path).exists() else make()


def _checks_the_folder(path, make):
    path = Path(path)
    if path.parent.exists():  # the folder is there long before the file is
        return np.load(path)
    result = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, result)
    return result


def _one_folder_level(path, make):
    if Path(path).exists():
        return np.load(path)
    result = make()
    Path(path).parent.mkdir(exist_ok=True)  # fails when the folder above is missing too
    np.save(path, result)
    return result


def _folder_made_every_time(path, make):
    if Path(path).exists():
        return np.load(path)
    result = make()
    Path(path).parent.mkdir(parents=True)  # fails when the folder is there already
    np.save(path, result)
    return result


def _load_or_make_try(path, make):
    try:
        return np.load(path)
    except FileNotFoundError:
        result = make()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        np.save(path, result)
        return result


load_or_make = Exercise(
    key="01.3",
    title="load a saved result if its file exists, otherwise make and save it",
    test=_test_load_or_make,
    hints=(
        "Three cases to handle: the file is there (load it), it is not (make the result), and after making it, keep it for next time.",
        "Answers usually go wrong on folders. Ask whether the file itself is there, not its folder: models/ "
        "exists long before its first file. And before saving, the folder may be missing, with the folders "
        "above it, or be there already: `mkdir` has an option for each case.",
    ),
    solution=_solution_load_or_make,
    wrong_answers=[
        _always_make,
        _never_saves,
        _checks_the_folder,
        _one_folder_level,
        _folder_made_every_time,
    ],
    other_answers=[_load_or_make_try],
)
