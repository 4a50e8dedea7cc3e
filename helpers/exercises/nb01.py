"""Exercises of notebook 01 (``os`` and ``pathlib``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from helpers.data import CLASS_NAMES
from helpers.exercises import Exercise, _short, call


def _test_mirror_path(fn):
    cases = [  # (face path, output folder, suffix), and what the case tries
        (
            (Path("data/synthetic/train/happy/Training_00012.png"), Path("cache"), ".npy"),
            "the prompt's example",
        ),
        (
            ("/home/ana/FER2013/test/neutral/PrivateTest_77.jpg", "/home/ana/features", ".npy"),
            "an absolute path, as strings, and a face from Kaggle's .jpg folders",
        ),
        (
            ("../fer/train/disgust/Training_9.PNG", Path("/tmp/course/predictions"), ".json"),
            "a relative path that starts with .., and a suffix in capitals",
        ),
        (
            (Path("/srv/course/data/synthetic/test/fear/PublicTest_3.png"), "results/grey_48", ".png"),
            "a deeper absolute path, and a copy that keeps the .png ending",
        ),
    ]
    for (face, out, suffix), what in cases:
        got = call(fn, face, out, suffix)
        if not isinstance(got, str | os.PathLike):
            return f"return the path, as a Path or a string; your function returned {type(got).__name__} {_short(got)}"
        got = Path(got)
        face_path = Path(face)
        split, emotion, stem = face_path.parent.parent.name, face_path.parent.name, face_path.stem
        want = Path(out) / split / emotion / (stem + suffix)
        if got == want:
            continue
        said = f"for {str(face)!r} with {str(out)!r} and {suffix!r} ({what}) the path is {want}; your function returned {got}"
        if got == Path(out) / (stem + suffix):
            return f"{said}. The split and class folders are missing: the results of two splits would mix in one folder"
        if got == Path(out) / emotion / split / (stem + suffix):
            return f"{said}. The split and the class are the other way round: the split folder holds the class folders"
        if got.name == face_path.name + suffix:
            return f"{said}. The new ending was added to the old one: the name keeps its stem, and only the ending changes"
        if got.name == face_path.name:
            return f"{said}. The face's ending is still there: the result ends in {suffix!r}"
        if face_path.is_absolute() and not str(got).startswith(str(Path(out))):
            return (
                f"{said}. That is inside the data's own folders: joining an absolute path onto another one "
                "drops everything before it. Take only the split, the class and the name from the face's path"
            )
        if str(got).startswith(str(Path(out))) and len(got.parts) > len(want.parts):
            return (
                f"{said}. The folders in front of the split came along: they say where the data lives, "
                "and the result lives elsewhere"
            )
        if got.name == want.name and len(got.parts) == len(want.parts):
            return (
                f"{said}. Those two folders are not the split and the class: counted from the front, their "
                "place changes with the number of folders before them. Count from the face backwards"
            )
        return f"{said}."
    return None


def _solution_mirror_path():
    from pathlib import Path

    def mirror_path(face_path, out_folder, suffix):
        face = Path(face_path)  # a str becomes a Path, which knows its parts
        # counted from the end: the class is the face's folder, the split the one above it.
        # Whatever comes before the split says where the data lives, not where results go
        split, emotion = face.parent.parent.name, face.parent.name
        # the stem is the name without its ending, so the new ending replaces the old one
        return Path(out_folder) / split / emotion / (face.stem + suffix)

    return mirror_path


def _mirror_path_os(face_path, out_folder, suffix):
    import os

    folder, name = os.path.split(str(face_path))
    split_folder, emotion = os.path.split(folder)
    return os.path.join(
        out_folder, os.path.basename(split_folder), emotion, os.path.splitext(name)[0] + suffix
    )


def _keeps_front_folders(face_path, out_folder, suffix):  # the whole path goes under out_folder
    face = Path(face_path)
    return Path(out_folder) / face.parent / (face.stem + suffix)


mirror_path = Exercise(
    key="01.1",
    title="mirror the data's folders in another folder",
    test=_test_mirror_path,
    hints=(
        "Take the face's path apart, keep only the pieces the new path repeats, and join them onto the "
        "output folder with a new file name.",
        "Answers usually go wrong at the two ends of the path. At the front, the folders before the split "
        "belong to the data, and an absolute path joined whole replaces the output folder. At the back, the "
        "new ending replaces the old one instead of following it, and the old one is not always `.png`.",
    ),
    solution=_solution_mirror_path,
    wrong_answers=[
        lambda face, out, suffix: Path(out) / (Path(face).stem + suffix),  # no split or class folder
        _keeps_front_folders,
        lambda face, out, suffix: (
            Path(out) / Path(face).parent.parent.name / Path(face).parent.name / (Path(face).name + suffix)
        ),  # Training_00012.png.npy
        lambda face, out, suffix: (
            Path(out)
            / Path(face).parent.parent.name
            / Path(face).parent.name
            / Path(face).name.replace(".png", suffix)
        ),  # only for .png faces
        lambda face, out, suffix: (
            Path(out) / Path(face).parts[2] / Path(face).parts[3] / (Path(face).stem + suffix)
        ),  # counted from the front: only for data/synthetic/...
        lambda face, out, suffix: (
            Path(out) / Path(face).parent.name / Path(face).parent.parent.name / (Path(face).stem + suffix)
        ),  # the class, then the split
    ],
    other_answers=[
        lambda face, out, suffix: Path(out, *Path(face).parts[-3:-1], Path(face).stem + suffix),
        _mirror_path_os,
    ],
)


def _make_split(root: Path) -> Path:
    """A train/ folder copied with gaps, and the clutter real folders collect."""
    files = [
        "train/happy/Training_1.JPG",  # an image, its suffix in capitals as some tools write it
        "train/happy/.DS_Store",
        "train/disgust/Training_2.jpeg",
        "train/fear/.ipynb_checkpoints/Training_3-checkpoint.png",  # only Jupyter's copy of a face
        "train/sad/.DS_Store",  # only clutter
        "train/sad/Thumbs.db",
        "train/surprise/Training_4.PNG",
        "train/neutral/Training_5.png",
        "train/neutral/notes.txt",
        "train/contempt/Thumbs.db",  # FER+'s eighth class, not one of FER2013's seven
        "train/README.md",
    ]  # no angry/ folder at all
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    return root / "train"


_WHY_EMPTY = {
    "angry": "train/ has no angry/ folder at all",
    "fear": "fear/ holds only Jupyter's copy of a face, in .ipynb_checkpoints/, not a face of its own",
    "sad": "sad/ holds only .DS_Store and Thumbs.db",
}
_WHY_FULL = {
    "happy": "happy/ holds Training_1.JPG, an image whatever the case of its suffix",
    "disgust": "disgust/ holds Training_2.jpeg",
    "surprise": "surprise/ holds Training_4.PNG, an image whatever the case of its suffix",
    "neutral": "neutral/ holds Training_5.png beside a notes.txt",
}


def _test_classes_without_images(fn):
    with tempfile.TemporaryDirectory() as tmp:  # every folder and file below goes when the check ends
        split_folder = _make_split(Path(tmp))
        for folder in (split_folder, str(split_folder)):  # a Path, then the same folder as a str
            got = call(fn, folder)
            if not isinstance(got, list | tuple | set):
                return f"expected a list of class names, got {type(got).__name__} {_short(got)}"
            for name in CLASS_NAMES:
                if name in _WHY_EMPTY and name not in got:
                    return f"{_WHY_EMPTY[name]}, so {name!r} belongs in the list, but your function returned {got!r}"
                if name in _WHY_FULL and name in got:
                    return f"{_WHY_FULL[name]}, but your function listed {name!r} as without images"
            if "contempt" in got:
                return (
                    "contempt/ is a class of FER+, not one of FER2013's seven: a folder the loader does not "
                    f"expect is not a missing class (your function returned {got!r})"
                )
            if sorted(got) != sorted(_WHY_EMPTY):
                return (
                    f"the classes without an image are {sorted(_WHY_EMPTY)}, your function returned {got!r}"
                )
        for name in CLASS_NAMES:  # now every class has a face
            (split_folder / name).mkdir(exist_ok=True)
            (split_folder / name / "Training_7.png").write_bytes(b"x")
        got = call(fn, split_folder)
        if list(got) != []:
            return f"once every class folder holds an image, no class is without one, but your function returned {got!r}"
        got = call(fn, Path(tmp) / "test")
        if sorted(got) != sorted(CLASS_NAMES):
            return (
                f"a split folder that was never copied (test/ does not exist) has no image of any class; "
                f"your function returned {got!r}"
            )
    return None


def _solution_classes_without_images():
    from pathlib import Path

    from helpers import data

    def classes_without_images(split_folder):
        suffixes = {".png", ".jpg", ".jpeg"}
        empty = []
        for name in data.CLASS_NAMES:  # the classes the loader expects, whatever else the folder holds
            # glob on a missing folder finds nothing, so a missing folder needs no case of its own;
            # "*" looks only in this folder, so the copies in .ipynb_checkpoints/ below it stay out
            found = [p for p in (Path(split_folder) / name).glob("*") if p.suffix.lower() in suffixes]
            if not found:  # a folder of .DS_Store and notes is as good as no folder
                empty.append(name)
        return empty

    return classes_without_images


def _classes_without_images_os(split_folder):
    import os

    empty = []
    for name in CLASS_NAMES:
        folder = os.path.join(split_folder, name)
        files = os.listdir(folder) if os.path.isdir(folder) else []
        if not any(os.path.splitext(f)[1].lower() in (".png", ".jpg", ".jpeg") for f in files):
            empty.append(name)
    return empty


def _classes_without_images_set(split_folder):
    def has_image(folder):
        return folder.is_dir() and any(
            p.is_file() and p.suffix.lower() in {".png", ".jpg", ".jpeg"} for p in folder.iterdir()
        )

    return {name for name in CLASS_NAMES if not has_image(Path(split_folder) / name)}  # a set: any order


def _no_folder_only(split_folder):
    return [name for name in CLASS_NAMES if not (Path(split_folder) / name).is_dir()]


def _any_file(split_folder):
    empty = []
    for name in CLASS_NAMES:
        folder = Path(split_folder) / name
        if not folder.is_dir() or not any(folder.iterdir()):
            empty.append(name)
    return empty


def _case_sensitive(split_folder):
    suffixes = {".png", ".jpg", ".jpeg"}
    return [
        name
        for name in CLASS_NAMES
        if not any(p.suffix in suffixes for p in (Path(split_folder) / name).glob("*"))  # misses ".PNG"
    ]


def _counts_checkpoints(split_folder):
    suffixes = {".png", ".jpg", ".jpeg"}
    return [
        name
        for name in CLASS_NAMES
        if not any(p.suffix.lower() in suffixes for p in (Path(split_folder) / name).rglob("*"))
    ]


classes_without_images = Exercise(
    key="01.2",
    title="find the classes that have no image",
    test=_test_classes_without_images,
    hints=(
        "Go through FER2013's class names, not through what the split folder holds, and look inside each "
        "class folder for at least one image.",
        "Answers usually go wrong on what counts as an image. A folder that is there may hold only clutter "
        "such as `.DS_Store`, or only Jupyter's copies in `.ipynb_checkpoints` one level down: neither "
        "is a face. A suffix in capitals still marks an image. And a class folder that is not there at "
        "all must not stop your function.",
    ),
    solution=_solution_classes_without_images,
    wrong_answers=[_no_folder_only, _any_file, _case_sensitive, _counts_checkpoints],
    other_answers=[_classes_without_images_os, _classes_without_images_set],
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
