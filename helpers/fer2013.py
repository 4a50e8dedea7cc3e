"""Getting real FER2013 into ``data/fer2013/``: from an archive the learner downloaded.

FER2013 sits behind a Kaggle account, so the course cannot ship it. Kaggle offers it in two
forms, and either works here:

* the **image-folder form** (Kaggle dataset ``msambare/fer2013``): ``train/<class>/*.jpg`` and
  ``test/<class>/*.jpg``, 28,709 and 7,178 faces (the test folder holds FER2013's public and
  private test splits);
* the **CSV form** of the original competition (``challenges-in-representation-learning-
  facial-expression-recognition-challenge``): ``fer2013.csv``, often inside ``fer2013.tar.gz``
  inside the competition's zip, or its copy ``icml_face_data.csv``; 35,887 rows.

:func:`import_archive` unpacks a zip or tar archive of either form, looks inside for the data
(also inside one archive nested in another), reads it with the course's own readers, checks
that it holds what FER2013 holds, and only then moves it into place in one step. It never
writes over a folder that already holds data, and every failure says what to do.

``python3 course.py get-fer2013 --from FILE`` runs it.
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from helpers import config, data

#: Faces per split in FER2013 (both forms): Training, PublicTest, PrivateTest.
SPLIT_COUNTS: dict[str, int] = {"train": 28709, "val": 3589, "test": 3589}
CSV_NAMES = ("fer2013.csv", "icml_face_data.csv")
DATASET_PAGE = "https://www.kaggle.com/datasets/msambare/fer2013"
COMPETITION_PAGE = "https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data"
HOW_TO_DOWNLOAD = (
    f"Download FER2013 from Kaggle (signed in) as the image folders ({DATASET_PAGE}, button "
    f'"Download") or as the competition\'s data ({COMPETITION_PAGE}, after accepting its rules), '
    "then run: python3 course.py get-fer2013 --from <the downloaded file>"
)


class ArchiveError(data.DataError):
    """The archive cannot be used; the message says why and what to do."""


def import_archive(
    archive, dest=None, *, expected: dict[str, int] | None = None, verbose: bool = True
) -> Path:
    """Unpack FER2013 from ``archive`` (zip, tar, tar.gz) into ``dest`` and return ``dest``.

    ``dest`` defaults to ``config.FER2013_DIR`` (``data/fer2013/``). It must not exist or be
    empty: data already there is never replaced. ``expected`` are the faces per split to find
    (FER2013's :data:`SPLIT_COUNTS` unless given); anything else is refused, since a partial
    download would otherwise train and score on part of the data without a word.
    """
    archive = Path(archive).expanduser()
    dest = Path(dest).expanduser() if dest is not None else config.FER2013_DIR
    expected = SPLIT_COUNTS if expected is None else expected
    if not archive.is_file():
        raise ArchiveError(f"{archive} is not a file. {HOW_TO_DOWNLOAD}")
    if dest.suffix.lower() == ".csv":  # COURSE_FER2013_PATH may name the CSV file itself
        raise ArchiveError(f"{dest} names a file; pass the folder to unpack into with --to FOLDER.")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ArchiveError(
            f"{config.relative(dest)} already holds data, and it is left as it is. To import this "
            "archive instead, move that folder away (or delete it) and run the command again."
        )
    members = _members(archive)
    _check_space(archive, members, dest.parent)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-import-", dir=dest.parent))
    try:
        _extract(archive, work / "unpacked")
        form, found = _locate(work / "unpacked")
        staged = work / "staged"
        staged.mkdir()
        if form == "csv":
            shutil.move(str(found), staged / "fer2013.csv")
        else:
            for split in ("train", "test"):
                shutil.move(str(found / split), staged / split)
        _check_counts(staged, expected, archive)
        if dest.is_dir():
            dest.rmdir()  # an empty folder the learner made: take its place
        os.replace(staged, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if verbose:
        total = sum(expected.values())
        print(f"FER2013 ({total:,} faces, {form} form) is in {config.relative(dest)}.")
        print("Use it with: COURSE_DATASET=fer2013 python3 course.py")
    return dest


# ----------------------------------------------------------------------------------------


def _members(archive: Path) -> list[tuple[str, int]]:
    """(name, size) of every file in the archive; a damaged or unknown archive is refused."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                return [(i.filename, i.file_size) for i in z.infolist() if not i.is_dir()]
        with tarfile.open(archive) as t:
            return [(m.name, m.size) for m in t.getmembers() if m.isfile()]
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise ArchiveError(
            f"{archive} could not be read as a zip or tar archive ({type(exc).__name__}: {exc}). "
            "A download that stopped early leaves such a file: download it again. " + HOW_TO_DOWNLOAD
        ) from exc


def _check_space(archive: Path, members, where: Path) -> None:
    need = sum(size for _, size in members)
    if any(PurePosixPath(name).name.endswith((".tar.gz", ".tgz", ".zip")) for name, _ in members):
        need *= 3  # a nested archive is unpacked in turn
    probe = where
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if need > free:
        raise ArchiveError(
            f"Unpacking {archive.name} needs about {need / 1e6:,.0f} MB and {probe} has "
            f"{free / 1e6:,.0f} MB free. Free some space and run the command again."
        )


def _extract(archive: Path, into: Path, depth: int = 0) -> None:
    """Unpack ``archive`` into ``into`` (nothing may land outside it), then any archive inside
    it whose name says FER2013 (the competition's zip holds ``fer2013.tar.gz``)."""
    into.mkdir(parents=True, exist_ok=True)
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                for name in z.namelist():
                    _refuse_escape(name, archive)
                z.extractall(into)
        else:
            with tarfile.open(archive) as t:
                t.extractall(into, filter="data")  # no absolute paths, no "..", no links out
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise ArchiveError(
            f"{archive.name} is damaged ({type(exc).__name__}: {exc}): download it again."
        ) from exc
    if depth == 0:
        for inner in sorted(into.rglob("*")):
            nested = inner.name.lower().endswith((".tar.gz", ".tgz", ".tar", ".zip"))
            if inner.is_file() and nested and inner.name.lower().startswith("fer2013"):
                _extract(inner, inner.parent / (inner.name + ".unpacked"), depth + 1)


def _refuse_escape(name: str, archive: Path) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise ArchiveError(
            f"{archive.name} holds a file that would land outside its folder ({name}); not unpacked."
        )


def _locate(root: Path) -> tuple[str, Path]:
    """Where the data is inside the unpacked archive: ("folders", the folder holding train/
    and test/) or ("csv", the CSV file)."""
    for folder in sorted([root, *[p for p in root.rglob("*") if p.is_dir()]], key=lambda p: len(p.parts)):
        if (folder / "train").is_dir() and (folder / "test").is_dir():
            return "folders", folder
    for name in CSV_NAMES:
        for csv in sorted(root.rglob(name), key=lambda p: len(p.parts)):
            return "csv", csv
    raise ArchiveError(
        "The archive holds neither FER2013's train/ and test/ folders nor fer2013.csv. "
        "Is it the right download? " + HOW_TO_DOWNLOAD
    )


def _check_counts(root: Path, expected: dict[str, int], archive: Path) -> None:
    try:
        splits = data.load_dataset(root)
    except data.DataError as exc:
        raise ArchiveError(f"The data in {archive.name} could not be read: {exc}") from exc
    found = {name: len(split) for name, split in splits.items()}
    if found != expected:
        have = ", ".join(f"{k} {v:,}" for k, v in found.items())
        want = ", ".join(f"{k} {v:,}" for k, v in expected.items())
        raise ArchiveError(
            f"{archive.name} holds {have} faces; FER2013 has {want}. A partial or different "
            f"download: nothing was imported. {HOW_TO_DOWNLOAD}"
        )


def main(argv=None) -> int:
    """``python3 course.py get-fer2013 --from FILE [--to FOLDER]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="course.py get-fer2013", description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="archive", metavar="FILE", help="a FER2013 archive you downloaded")
    parser.add_argument(
        "--to", metavar="FOLDER", help=f"where to put it (default {config.relative(config.FER2013_DIR)})"
    )
    args = parser.parse_args(argv)
    if args.archive is None:
        print(HOW_TO_DOWNLOAD)
        return 2
    try:
        import_archive(args.archive, args.to)
    except data.DataError as exc:
        print(f"get-fer2013: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
