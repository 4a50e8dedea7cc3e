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

:func:`download` fetches either form with the learner's Kaggle API token, through Kaggle's own
client (the pinned ``kaggle`` package), into a work folder, and hands the file to
:func:`import_archive`. ``python3 course.py get-fer2013`` runs it (``--competition`` for the
CSV form, ``--from FILE`` to import a file downloaded by hand).
"""

from __future__ import annotations

import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from helpers import config, data, files
from helpers.errors import ArchiveError, DataError

#: Faces per split in FER2013 (both forms): Training, PublicTest, PrivateTest.
SPLIT_COUNTS: dict[str, int] = {"train": 28709, "val": 3589, "test": 3589}
CSV_NAMES = ("fer2013.csv", "icml_face_data.csv")
DATASET = "msambare/fer2013"
COMPETITION = "challenges-in-representation-learning-facial-expression-recognition-challenge"
TOKEN_PAGE = "https://www.kaggle.com/settings/api"
DATASET_PAGE = "https://www.kaggle.com/datasets/msambare/fer2013"
COMPETITION_PAGE = "https://www.kaggle.com/c/challenges-in-representation-learning-facial-expression-recognition-challenge/data"
HOW_TO_DOWNLOAD = (
    f"Download FER2013 from Kaggle (signed in) as the image folders ({DATASET_PAGE}, button "
    f'"Download") or as the competition\'s data ({COMPETITION_PAGE}, after accepting its rules), '
    "then run: python3 course.py get-fer2013 --from <the downloaded file>"
)


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
    expected = SPLIT_COUNTS if expected is None else expected
    if not archive.is_file():
        raise ArchiveError(f"{archive} is not a file. {HOW_TO_DOWNLOAD}")
    dest = _free_destination(dest, "To import this archive instead")
    members = _members(archive)
    _check_space(archive, members, dest.parent)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-import-", dir=dest.parent))
    try:
        _extract(archive, work / "unpacked")
        form, found = _locate(work / "unpacked")
        with files.replaced_atomically(dest) as staged:  # dest appears whole, or not at all
            staged.mkdir()
            if form == "csv":
                shutil.move(str(found), staged / "fer2013.csv")
            else:
                for split in ("train", "test"):
                    shutil.move(str(found / split), staged / split)
            _check_counts(staged, expected, archive)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if verbose:
        total = sum(expected.values())
        print(f"FER2013 ({total:,} faces, {form} form) is in {config.relative(dest)}.")
        print("Use it with: COURSE_DATASET=fer2013 python3 course.py")
    return dest


# ----------------------------------------------------------------------------------------

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def _free_destination(dest, instead: str) -> Path:
    """``dest`` (default ``config.FER2013_DIR``) as a path, if nothing is there yet (or only an
    empty folder); data already there is refused, with ``instead`` saying how to go on."""
    dest = Path(dest).expanduser() if dest is not None else config.FER2013_DIR
    if dest.suffix.lower() == ".csv":  # COURSE_FER2013_PATH may name the CSV file itself
        raise ArchiveError(f"{dest} names a file; pass the folder to unpack into with --to FOLDER.")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ArchiveError(
            f"{config.relative(dest)} already holds data, and it is left as it is. {instead}, move "
            "that folder away (or delete it) and run the command again."
        )
    return dest


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
    if any(PurePosixPath(name).name.lower().endswith(_ARCHIVE_SUFFIXES) for name, _ in members):
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
            nested = inner.name.lower().endswith(_ARCHIVE_SUFFIXES)
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
    except DataError as exc:
        raise ArchiveError(f"The data in {archive.name} could not be read: {exc}") from exc
    found = {name: len(split) for name, split in splits.items()}
    if found != expected:
        have = ", ".join(f"{k} {v:,}" for k, v in found.items())
        want = ", ".join(f"{k} {v:,}" for k, v in expected.items())
        raise ArchiveError(
            f"{archive.name} holds {have} faces; FER2013 has {want}. A partial or different "
            f"download: nothing was imported. {HOW_TO_DOWNLOAD}"
        )


def find_token() -> str | None:
    """Where the learner's Kaggle token is (an environment variable or a file), or None.

    Kaggle's client looks in these places: ``KAGGLE_API_TOKEN``; ``KAGGLE_USERNAME`` with
    ``KAGGLE_KEY``; ``access_token`` or ``kaggle.json`` in ``KAGGLE_CONFIG_DIR``, ``~/.kaggle``
    or ``~/.config/kaggle``. A token file that other users can read is refused, as Kaggle's
    client warns about it.
    """
    if os.environ.get("KAGGLE_API_TOKEN"):
        return "KAGGLE_API_TOKEN"
    if os.environ.get("KAGGLE_USERNAME") and os.environ.get("KAGGLE_KEY"):
        return "KAGGLE_USERNAME and KAGGLE_KEY"
    home = Path.home()
    folders = [Path(os.environ["KAGGLE_CONFIG_DIR"])] if os.environ.get("KAGGLE_CONFIG_DIR") else []
    folders += [home / ".kaggle", Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "kaggle"]
    for folder in folders:
        for name in ("access_token", "access_token.txt", "kaggle.json"):
            path = folder / name
            if path.is_file():
                if os.name == "posix" and path.stat().st_mode & 0o077:
                    raise ArchiveError(
                        f"Your Kaggle token {path} can be read by other users of this computer. "
                        f"Make it yours only, then run the command again:  chmod 600 {path}"
                    )
                return str(path)
    return None


NO_TOKEN = (
    f'No Kaggle API token found. Create one at {TOKEN_PAGE} (signed in, "Generate New Token" under '
    '"API"), then either save it in the file ~/.kaggle/access_token and run '
    "chmod 600 ~/.kaggle/access_token, or set the environment variable KAGGLE_API_TOKEN to it. "
    "Or download the data in your browser and use --from FILE."
)


def _kaggle_api():
    """Kaggle's client, authenticated (imported only here: importing it reads the token)."""
    from kaggle.api.kaggle_api_extended import KaggleApi

    api = KaggleApi()
    api.authenticate()
    return api


def download(
    dest=None, *, competition: bool = False, expected: dict[str, int] | None = None, api=None
) -> Path:
    """Download FER2013 from Kaggle with the learner's token and import it into ``dest``.

    The image-folder dataset by default; with ``competition``, the original competition's data
    (the CSV form), which Kaggle serves only once you have accepted the competition's rules.
    ``api`` replaces Kaggle's client (the tests pass a stand-in; nothing else does).
    """
    dest = _free_destination(dest, "To download again")
    if api is None:
        if find_token() is None:
            raise ArchiveError(NO_TOKEN)
        try:
            api = _kaggle_api()
        except SystemExit:  # Kaggle's client exits when it cannot authenticate
            raise ArchiveError(NO_TOKEN) from None
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-download-", dir=dest.parent))
    what = f"the competition's data ({COMPETITION})" if competition else f"the dataset {DATASET}"
    try:
        print(f"Downloading {what} from Kaggle ...", flush=True)
        try:
            if competition:
                api.competition_download_files(COMPETITION, path=str(work), quiet=False)
            else:
                api.dataset_download_files(DATASET, path=str(work), quiet=False, unzip=False)
        except SystemExit:
            raise ArchiveError(NO_TOKEN) from None
        except Exception as exc:  # Kaggle's client raises requests' errors
            raise ArchiveError(_download_failure(exc, competition)) from exc
        files = [p for p in work.iterdir() if p.is_file()]
        if len(files) != 1:
            raise ArchiveError(
                f"Kaggle sent {len(files)} files instead of one archive. Download by hand and use --from FILE."
            )
        return import_archive(files[0], dest, expected=expected)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _download_failure(exc: Exception, competition: bool) -> str:
    """What to tell the learner when Kaggle's client raised ``exc``."""
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status == 401:
        return f"Kaggle did not accept your token (401). Create a new one at {TOKEN_PAGE} and save it again."
    if status == 403 and competition:
        return (
            "Kaggle refused the download (403): the competition's data needs you to accept its rules "
            f"first. Open {COMPETITION_PAGE}, accept them, and run the command again."
        )
    if status == 403:
        return f"Kaggle refused the download (403). Check your token at {TOKEN_PAGE}."
    if status is not None:
        return f"Kaggle answered {status} ({exc}). Try again later, or download by hand and use --from FILE."
    if isinstance(exc, OSError) or "connection" in type(exc).__name__.lower():
        return (
            f"Kaggle could not be reached ({type(exc).__name__}: {exc}). Check the internet connection, "
            "or download the data on another computer and use --from FILE."
        )
    return f"The download failed ({type(exc).__name__}: {exc}). Try again, or download by hand and use --from FILE."


def main(argv=None) -> int:
    """``python3 course.py get-fer2013 [--competition] [--from FILE] [--to FOLDER]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="course.py get-fer2013", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--from", dest="archive", metavar="FILE", help="import an archive you downloaded yourself"
    )
    parser.add_argument(
        "--competition",
        action="store_true",
        help="download the competition's CSV (accept its rules on Kaggle first)",
    )
    parser.add_argument(
        "--to", metavar="FOLDER", help=f"where to put it (default {config.relative(config.FER2013_DIR)})"
    )
    args = parser.parse_args(argv)
    try:
        if args.archive is not None:
            import_archive(args.archive, args.to)
        else:
            download(args.to, competition=args.competition)
    except DataError as exc:
        print(f"get-fer2013: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
