"""coursebuild.fer2013: importing FER2013 from a downloaded archive, offline. Small archives of
both forms are built here from synthetic faces; nothing reaches the network."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from coursebuild import fer2013
from helpers import data, synthetic

# a miniature FER2013: 2 faces per class in train, 1 per class in each test split
COUNTS = {"train": 14, "val": 7, "test": 7}
PREFIX = {"train": "Training", "val": "PublicTest", "test": "PrivateTest"}


def faces_by_split():
    out = {}
    for k, (split, n) in enumerate(COUNTS.items()):
        names = [c for c in data.CLASS_NAMES for _ in range(n // 7)]
        out[split] = list(zip(names, synthetic.render_faces(names, seed=k), strict=True))
    return out


def folder_files():
    """The image-folder form: {path inside the archive: PNG bytes}."""
    files, n = {}, 0
    for split, faces in faces_by_split().items():
        folder = "train" if split == "train" else "test"
        for name, face in faces:
            n += 1
            files[f"fer2013/{folder}/{name}/{PREFIX[split]}_{n}.png"] = cv2.imencode(".png", face)[
                1
            ].tobytes()
    return files


def csv_text(header="emotion,pixels,Usage"):
    lines = [header]
    for split, faces in faces_by_split().items():
        for name, face in faces:
            pixels = " ".join(map(str, face.ravel()))
            lines.append(f"{data.CLASS_NAMES.index(name)},{pixels},{PREFIX[split]}")
    return "\n".join(lines) + "\n"


def make_zip(path, files):
    with zipfile.ZipFile(path, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return path


def make_tar_gz(path_or_buffer, files):
    with (
        tarfile.open(fileobj=path_or_buffer, mode="w:gz")
        if isinstance(path_or_buffer, io.BytesIO)
        else tarfile.open(path_or_buffer, "w:gz") as t
    ):
        for name, content in files.items():
            content = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(content)
            t.addfile(info, io.BytesIO(content))
    return path_or_buffer


def imported(dest):
    return {split: len(faces) for split, faces in data.load_dataset(dest).items()}


def test_the_image_folder_form_from_a_zip(tmp_path, capsys):
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    dest = fer2013.import_archive(archive, tmp_path / "data" / "fer2013", expected=COUNTS)
    assert sorted(p.name for p in dest.iterdir()) == ["test", "train"]
    assert imported(dest) == COUNTS
    assert "28 faces, folders form" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["fer2013"]  # no work folder left


def test_the_competition_zip_with_the_csv_in_a_nested_tar_gz(tmp_path):
    inner = make_tar_gz(io.BytesIO(), {"fer2013/fer2013.csv": csv_text(), "fer2013/README": "x"}).getvalue()
    archive = make_zip(
        tmp_path / "competition.zip", {"fer2013.tar.gz": inner, "example_submission.csv": "id\n"}
    )
    dest = fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS, verbose=False)
    assert [p.name for p in dest.iterdir()] == ["fer2013.csv"]
    assert imported(dest) == COUNTS


def test_kaggles_icml_face_data_csv_in_a_tar_gz(tmp_path):
    # its header names the columns in another order, with spaces: the course's reader copes
    rows = [line.split(",") for line in csv_text().splitlines()[1:]]
    text = "emotion, Usage, pixels\n" + "".join(f"{e}, {usage}, {pixels}\n" for e, pixels, usage in rows)
    archive = make_tar_gz(tmp_path / "icml.tar.gz", {"icml_face_data.csv": text})
    dest = fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS, verbose=False)
    assert [p.name for p in dest.iterdir()] == ["fer2013.csv"]
    assert imported(dest) == COUNTS


def test_existing_data_is_never_replaced(tmp_path):
    dest = tmp_path / "fer2013"
    (dest / "train").mkdir(parents=True)
    (dest / "train" / "mine.png").write_bytes(b"the learner's")
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    with pytest.raises(fer2013.ArchiveError, match="already holds data"):
        fer2013.import_archive(archive, dest, expected=COUNTS)
    assert [p.name for p in dest.rglob("*")] == ["train", "mine.png"]


def test_an_empty_folder_is_filled(tmp_path):
    (tmp_path / "fer2013").mkdir()
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    assert (
        imported(fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS, verbose=False))
        == COUNTS
    )


def test_a_partial_download_is_refused_and_nothing_imported(tmp_path):
    files = folder_files()
    partial = dict(list(files.items())[:-3])  # the last three test faces missing
    archive = make_zip(tmp_path / "archive.zip", partial)
    with pytest.raises(fer2013.ArchiveError, match="partial or different download: nothing was imported"):
        fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS)
    assert not (tmp_path / "fer2013").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["archive.zip"]  # no work folder left


def test_the_real_counts_are_checked_by_default(tmp_path):
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    with pytest.raises(fer2013.ArchiveError, match="FER2013 has train 28,709, val 3,589, test 3,589"):
        fer2013.import_archive(archive, tmp_path / "fer2013")


def test_a_truncated_download_says_to_download_again(tmp_path):
    whole = make_zip(tmp_path / "archive.zip", folder_files()).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(fer2013.ArchiveError, match="download it again"):
        fer2013.import_archive(cut, tmp_path / "fer2013", expected=COUNTS)
    cut.write_bytes(b"<html>Kaggle sign-in page</html>")
    with pytest.raises(fer2013.ArchiveError, match="could not be read as a zip or tar archive"):
        fer2013.import_archive(cut, tmp_path / "fer2013", expected=COUNTS)


def test_an_archive_without_fer2013_says_so(tmp_path):
    archive = make_zip(tmp_path / "other.zip", {"cats/1.png": b"x"})
    with pytest.raises(
        fer2013.ArchiveError, match="neither FER2013's train/ and test/ folders nor fer2013.csv"
    ):
        fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS)


def test_a_member_that_would_escape_is_refused(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {**folder_files(), "../outside.txt": "x"})
    with pytest.raises(fer2013.ArchiveError, match="outside its folder"):
        fer2013.import_archive(archive, tmp_path / "sub" / "fer2013", expected=COUNTS)
    assert not (tmp_path / "outside.txt").exists()


def test_a_missing_file_and_the_command(tmp_path, capsys):
    with pytest.raises(fer2013.ArchiveError, match="is not a file. Download FER2013 from Kaggle"):
        fer2013.import_archive(tmp_path / "nope.zip", tmp_path / "fer2013")
    assert fer2013.main(["--from", str(tmp_path / "nope.zip"), "--to", str(tmp_path / "fer2013")]) == 1
    assert "get-fer2013: " in capsys.readouterr().out


def test_not_enough_disk_space_is_said_before_unpacking(tmp_path, monkeypatch):
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    monkeypatch.setattr(fer2013.shutil, "disk_usage", lambda path: type("U", (), {"free": 1000})())
    with pytest.raises(fer2013.ArchiveError, match="MB free. Free some space"):
        fer2013.import_archive(archive, tmp_path / "fer2013", expected=COUNTS)
    assert np.all([not p.name.startswith(".") for p in tmp_path.iterdir()])


def test_a_destination_naming_a_csv_file_is_refused(tmp_path):
    archive = make_zip(tmp_path / "archive.zip", folder_files())
    with pytest.raises(fer2013.ArchiveError, match="names a file; pass the folder"):
        fer2013.import_archive(archive, tmp_path / "fer2013.csv", expected=COUNTS)


# --- downloading with a Kaggle token: Kaggle's client replaced at its API boundary ----------


class FakeKaggle:
    """Stands in for kaggle's KaggleApi: writes a prepared archive where the real one would."""

    def __init__(self, archive=None, error=None):
        self.archive, self.error, self.calls = archive, error, []

    def _download(self, name, path):
        self.calls.append(name)
        if self.error is not None:
            raise self.error
        (Path(path) / self.archive.name).write_bytes(self.archive.read_bytes())

    def dataset_download_files(self, dataset, path=None, quiet=True, unzip=False):
        self._download(dataset, path)

    def competition_download_files(self, competition, path=None, quiet=True):
        self._download(competition, path)


def http_error(status):
    import requests

    response = requests.Response()
    response.status_code = status
    return requests.exceptions.HTTPError(f"{status} Client Error", response=response)


@pytest.fixture
def no_token(tmp_path, monkeypatch):
    for name in ("KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_CONFIG_DIR", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(fer2013, "_kaggle_api", lambda: pytest.fail("Kaggle's client must not be used here"))
    return tmp_path / "home"


def test_download_of_the_image_folders(tmp_path, capsys):
    api = FakeKaggle(make_zip(tmp_path / "fer2013.zip", folder_files()))
    dest = fer2013.download(tmp_path / "data" / "fer2013", expected=COUNTS, api=api)
    assert api.calls == [fer2013.DATASET] and imported(dest) == COUNTS
    assert "Downloading the dataset msambare/fer2013" in capsys.readouterr().out
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["fer2013"]  # the download folder is gone


def test_download_of_the_competition_csv(tmp_path):
    inner = make_tar_gz(io.BytesIO(), {"fer2013/fer2013.csv": csv_text()}).getvalue()
    api = FakeKaggle(make_zip(tmp_path / "c.zip", {"fer2013.tar.gz": inner}))
    dest = fer2013.download(tmp_path / "fer2013", competition=True, expected=COUNTS, api=api)
    assert api.calls == [fer2013.COMPETITION] and imported(dest) == COUNTS


@pytest.mark.parametrize(
    ("error", "competition", "says"),
    [
        (http_error(403), True, "accept its rules"),
        (http_error(401), False, "did not accept your token"),
        (http_error(503), False, "Kaggle answered 503"),
        (ConnectionError("Name or service not known"), False, "could not be reached"),
        (SystemExit(1), False, "No Kaggle API token found"),
    ],
)
def test_download_failures_say_what_to_do(tmp_path, error, competition, says):
    api = FakeKaggle(error=error)
    with pytest.raises(fer2013.ArchiveError, match=says):
        fer2013.download(tmp_path / "fer2013", competition=competition, expected=COUNTS, api=api)
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing left behind


def test_download_never_starts_over_existing_data(tmp_path):
    (tmp_path / "fer2013").mkdir()
    (tmp_path / "fer2013" / "fer2013.csv").write_text("mine")
    api = FakeKaggle(error=AssertionError("must not download"))
    with pytest.raises(fer2013.ArchiveError, match="already holds data"):
        fer2013.download(tmp_path / "fer2013", api=api)
    assert api.calls == []


def test_without_a_token_the_command_says_where_to_get_one(no_token, tmp_path, capsys):
    assert fer2013.find_token() is None
    assert fer2013.main(["--to", str(tmp_path / "fer2013")]) == 1
    out = capsys.readouterr().out
    assert "No Kaggle API token found" in out and fer2013.TOKEN_PAGE in out and "--from FILE" in out


def test_where_the_token_is_found(no_token, monkeypatch):
    token = no_token / ".kaggle" / "access_token"
    token.parent.mkdir(parents=True)
    token.write_text("KGAT_secret")
    token.chmod(0o644)
    with pytest.raises(fer2013.ArchiveError, match="can be read by other users.*chmod 600"):
        fer2013.find_token()
    token.chmod(0o600)
    assert fer2013.find_token() == str(token)
    monkeypatch.setenv("KAGGLE_API_TOKEN", "KGAT_secret")
    assert fer2013.find_token() == "KAGGLE_API_TOKEN"
