"""helpers.data: the synthetic set, both FER2013 readers, and the errors on bad input."""

from __future__ import annotations

import csv
import json
import os

import cv2
import numpy as np
import pytest

from helpers import data
from helpers.data import CLASS_NAMES, DataError, DataNotFoundError

# ---------------------------------------------------------------------------- fixtures


def write_csv(path, rows, header=("emotion", "pixels", "Usage")):
    """rows: (label, 48x48 uint8 image or a raw pixel string, usage)."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for label, pixels, usage in rows:
            if not isinstance(pixels, str):
                pixels = " ".join(map(str, np.asarray(pixels).ravel()))
            writer.writerow([label, pixels, usage][: len(header)])
    return path


def fer_rows(n_per_class=2, seed=0):
    """A tiny FER2013-like table: every class in every split, random pixels."""
    rng = np.random.default_rng(seed)
    rows = []
    for usage in ("Training", "PublicTest", "PrivateTest"):
        for label in range(7):
            for _ in range(n_per_class):
                rows.append((label, rng.integers(0, 256, (48, 48), dtype=np.uint8), usage))
    rng.shuffle(rows)
    return rows


def write_folders(root, rows):
    """The folder form of the same rows, named like FER2013's: <Usage>_<row number>.png."""
    for i, (label, image, usage) in enumerate(rows):
        folder = "train" if usage == "Training" else "test"
        out = root / folder / CLASS_NAMES[label]
        out.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(out / f"{usage}_{i + 2}.png"), image)
    return root


@pytest.fixture
def small_folders(tmp_path):
    rows = fer_rows()
    return write_folders(tmp_path / "fer", rows), rows


# ---------------------------------------------------------------------------- class names


def test_class_names_follow_fer2013_label_order():
    assert CLASS_NAMES == ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
    assert data.ALPHABETICAL_NAMES.index("neutral") == 4  # the folder loaders' number
    assert CLASS_NAMES.index("neutral") == 6


def test_to_fer_labels_maps_by_name():
    alpha = np.arange(7)  # 0..6 in alphabetical order
    fer = data.to_fer_labels(alpha, data.ALPHABETICAL_NAMES)
    assert [CLASS_NAMES[i] for i in fer] == list(data.ALPHABETICAL_NAMES)
    assert fer[4] == 6  # neutral


def test_fer2013_reference_counts():
    assert sum(data.FER2013_TRAIN_COUNTS.values()) == 28709
    assert sum(data.FER2013_TEST_COUNTS.values()) == 7178


# ---------------------------------------------------------------------------- readers


def test_csv_and_folder_forms_load_identical_arrays(tmp_path, small_folders):
    root, rows = small_folders
    csv_path = write_csv(tmp_path / "fer2013.csv", rows)
    from_csv = data.load_fer2013_csv(csv_path)
    from_folders = data.load_image_folders(root)
    for split in data.SPLITS:
        assert len(from_csv[split]) == 14  # 2 per class
        np.testing.assert_array_equal(from_csv[split].images, from_folders[split].images)
        np.testing.assert_array_equal(from_csv[split].labels, from_folders[split].labels)
        assert from_csv[split].images.dtype == np.uint8
        assert from_csv[split].images.shape == (14, 48, 48)


def test_load_dataset_detects_the_form(tmp_path, small_folders):
    root, rows = small_folders
    write_csv(tmp_path / "only_csv.csv", rows)
    csv_dir = tmp_path / "csvdir"
    csv_dir.mkdir()
    write_csv(csv_dir / "fer2013.csv", rows)
    a = data.load_dataset(root)
    b = data.load_dataset(csv_dir)
    c = data.load_dataset(tmp_path / "only_csv.csv")
    for split in data.SPLITS:
        np.testing.assert_array_equal(a[split].images, b[split].images)
        np.testing.assert_array_equal(b[split].labels, c[split].labels)


def test_test_folder_prefixes_split_val_from_test(small_folders):
    root, _ = small_folders
    splits = data.load_image_folders(root)
    assert all(s.startswith("test/") and "PublicTest_" in s for s in splits["val"].sources)
    assert all("PrivateTest_" in s for s in splits["test"].sources)
    assert all(s.startswith("train/") for s in splits["train"].sources)


def test_class_folders_are_matched_by_name_not_position(tmp_path):
    face = np.full((48, 48), 7, np.uint8)
    for name in CLASS_NAMES:
        for folder, prefix in (("train", "Training"), ("test", "PublicTest")):
            out = tmp_path / folder / name.capitalize()  # "Neutral": case does not matter
            out.mkdir(parents=True)
            cv2.imwrite(str(out / f"{prefix}_1.png"), face + CLASS_NAMES.index(name))
    splits = data.load_image_folders(tmp_path)
    # each image's grey level encodes its class: the label must agree with it
    assert sorted(splits["train"].labels.tolist()) == list(range(7))
    for image, label in zip(splits["train"].images, splits["train"].labels, strict=True):
        assert image[0, 0] == 7 + label


def test_unprefixed_test_files_are_halved_into_val_and_test(tmp_path):
    for folder in ("train", "test"):
        for name in CLASS_NAMES:
            out = tmp_path / folder / name
            out.mkdir(parents=True)
            for i in range(6):
                cv2.imwrite(str(out / f"img{i}.png"), np.zeros((48, 48), np.uint8))
    splits = data.load_image_folders(tmp_path)
    assert len(splits["train"]) == 42
    assert len(splits["val"]) + len(splits["test"]) == 42
    assert len(splits["val"]) > 0 and len(splits["test"]) > 0


# ---------------------------------------------------------------------------- bad input


def test_missing_folder_says_how_to_get_data(tmp_path):
    with pytest.raises(DataNotFoundError) as err:
        data.load_dataset(tmp_path / "nowhere")
    message = str(err.value)
    assert str(tmp_path / "nowhere") in message
    assert "ensure_dataset" in message and "fer2013.csv" in message


def test_folder_without_data_says_what_it_expected(tmp_path):
    (tmp_path / "stuff").mkdir()
    with pytest.raises(DataNotFoundError, match="neither fer2013.csv nor a train/ folder"):
        data.load_dataset(tmp_path / "stuff")


def test_unknown_class_folder(small_folders):
    root, _ = small_folders
    (root / "train" / "contempt").mkdir()
    with pytest.raises(DataError) as err:
        data.load_image_folders(root)
    assert "contempt" in str(err.value) and "angry, disgust, fear" in str(err.value)


def test_missing_class_folder(small_folders):
    root, _ = small_folders
    for p in (root / "test" / "disgust").iterdir():
        p.unlink()
    (root / "test" / "disgust").rmdir()
    with pytest.raises(DataError, match="has no folder for disgust"):
        data.load_image_folders(root)


def test_empty_class_folder(small_folders):
    root, _ = small_folders
    for p in (root / "train" / "sad").iterdir():
        p.unlink()
    with pytest.raises(DataError) as err:
        data.load_image_folders(root)
    assert str(root / "train" / "sad") in str(err.value) and "is empty" in str(err.value)


def test_unreadable_image_names_the_file(small_folders):
    root, _ = small_folders
    broken = root / "train" / "happy" / "Training_999.png"
    broken.write_bytes(b"this is not a PNG")
    with pytest.raises(DataError) as err:
        data.load_image_folders(root)
    assert str(broken) in str(err.value) and "cv2.imread returned None" in str(err.value)


def test_non_image_file_in_a_class_folder(small_folders):
    root, _ = small_folders
    (root / "train" / "fear" / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match=r"notes.txt is not an image file"):
        data.load_image_folders(root)


def test_hidden_files_are_ignored(small_folders):
    root, _ = small_folders
    (root / "train" / "fear" / ".DS_Store").write_bytes(b"\0\1")
    assert len(data.load_image_folders(root)["train"]) == 14


def test_wrong_size_images_are_resized_and_counted(small_folders):
    root, _ = small_folders
    cv2.imwrite(str(root / "train" / "angry" / "Training_900.png"), np.zeros((64, 64), np.uint8))
    cv2.imwrite(str(root / "train" / "angry" / "Training_901.jpg"), np.zeros((100, 80, 3), np.uint8))
    with pytest.warns(UserWarning, match=r"Resized 2 image\(s\)") as record:
        splits = data.load_image_folders(root)
    assert "64x64" in str(record[0].message) or "80x100" in str(record[0].message)
    assert splits["train"].images.shape == (16, 48, 48)


def test_read_face_on_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="There is no file at .*face.png") as err:
        data.read_face(tmp_path / "face.png")
    assert isinstance(err.value, data.DataNotFoundError)


def test_read_face_on_a_file_that_is_not_an_image(tmp_path):
    (tmp_path / "notes.png").write_text("these are notes, not pixels")
    with pytest.raises(ValueError, match="notes.png as an image .* not an image") as err:
        data.read_face(tmp_path / "notes.png")
    assert isinstance(err.value, data.DataError)


def test_csv_row_with_wrong_pixel_count(tmp_path):
    rows = [(0, np.zeros((48, 48), np.uint8), "Training"), (3, " ".join(["1"] * 2303), "Training")]
    path = write_csv(tmp_path / "fer2013.csv", rows)
    with pytest.raises(DataError) as err:
        data.load_fer2013_csv(path)
    assert "line 3" in str(err.value) and "2303 pixel values, expected 2304" in str(err.value)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((9, np.zeros((48, 48), np.uint8), "Training"), "emotion 9 is outside 0-6"),
        (("happy", np.zeros((48, 48), np.uint8), "Training"), "is not a number 0-6"),
        ((1, np.zeros((48, 48), np.uint8), "Validation"), "Usage 'Validation' is not one of"),
    ],
)
def test_csv_bad_label_or_usage(tmp_path, row, message):
    path = write_csv(tmp_path / "fer2013.csv", [row])
    with pytest.raises(DataError, match=message):
        data.load_fer2013_csv(path)


def test_csv_with_wrong_columns(tmp_path):
    path = write_csv(tmp_path / "other.csv", [(1, "1 2", "x")], header=("label", "image", "split"))
    with pytest.raises(DataError, match="needs 'emotion' and 'pixels'"):
        data.load_fer2013_csv(path)


def test_csv_without_labels_says_which_file_to_use(tmp_path):
    path = tmp_path / "test.csv"
    path.write_text(f"id,pixels\n1,{_pixels()}\n")
    with pytest.raises(DataError, match="no 'emotion' column: it is unlabelled") as err:
        data.load_fer2013_csv(path)
    assert "Use fer2013.csv" in str(err.value)


def test_csv_without_usage_is_all_training(tmp_path):
    rows = [(2, np.zeros((48, 48), np.uint8), None), (5, np.ones((48, 48), np.uint8), None)]
    path = write_csv(tmp_path / "train.csv", rows, header=("emotion", "pixels"))
    splits = data.load_fer2013_csv(path)
    assert splits["train"].labels.tolist() == [2, 5] and len(splits["test"]) == 0


def _pixels(value=7) -> str:
    return " ".join([str(value)] * (48 * 48))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("300", "pixel 5 is 300, outside 0-255"),
        ("-1", "pixel 5 is -1, outside 0-255"),
        ("abc", "pixel 5 is 'abc', not a whole number"),
        ("12.5", "pixel 5 is '12.5', not a whole number"),
        ("99999999999999999999", "pixel 5 is 99999999999999999999, outside 0-255"),  # beyond int64
        ("\u0663", "pixel 5 is '\u0663', not a whole number"),  # an Arabic-Indic 3, which int() accepts
        ("1_0", "pixel 5 is '1_0', not a whole number"),  # int() reads 10
    ],
)
def test_csv_bad_pixel_value_names_file_line_and_pixel(tmp_path, bad, message):
    values = _pixels().split()
    values[4] = bad
    rows = [(0, _pixels(), "Training"), (3, " ".join(values), "Training")]
    path = write_csv(tmp_path / "fer2013.csv", rows)
    with pytest.raises(DataError, match=message) as err:
        data.load_fer2013_csv(path)
    assert f"{path}, line 3" in str(err.value) and "fix or delete that line" in str(err.value)


def _read_text_csv(tmp_path, text: str, encoding="utf-8", name="fer2013.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return data.load_fer2013_csv(path)


@pytest.mark.parametrize(
    "text",
    [
        # Excel / Windows Notepad: a UTF-8 byte-order mark and CRLF line ends
        "\ufeffemotion,pixels,Usage\r\n3,{p},Training\r\n6,{q},PrivateTest\r\n",
        # every field quoted
        '"emotion","pixels","Usage"\n"3","{p}","Training"\n"6","{q}","PrivateTest"\n',
        # spaces after the commas and around values (Kaggle's icml_face_data.csv: other column order)
        "emotion, Usage, pixels\n3, Training, {p}\n 6 , PrivateTest ,{q} \n",
        # pandas' to_csv without index=False: an unnamed index column first
        ",emotion,pixels,Usage\n0,3,{p},Training\n1,6,{q},PrivateTest\n",
        # blank lines at the end (and an empty row of commas)
        "emotion,pixels,Usage\n3,{p},Training\n6,{q},PrivateTest\n\n,,\n\n",
    ],
    ids=["bom-crlf", "quoted", "spaces-reordered", "pandas-index", "blank-lines"],
)
def test_csv_as_real_tools_write_it_reads_correctly(tmp_path, text):
    splits = _read_text_csv(tmp_path, text.format(p=_pixels(7), q=_pixels(200)))
    assert splits["train"].labels.tolist() == [3] and splits["test"].labels.tolist() == [6]
    assert (splits["train"].images == 7).all() and (splits["test"].images == 200).all()
    assert splits["train"].images.shape == (1, 48, 48) and splits["train"].images.dtype == np.uint8


@pytest.mark.parametrize("good_rows", [0, 200], ids=["at-the-start", "after-200-rows"])
def test_csv_that_is_not_utf8_text(tmp_path, good_rows):
    path = tmp_path / "fer2013.csv"
    good = f"3,{_pixels()},Training\n".encode() * good_rows
    path.write_bytes(b"emotion,pixels,Usage\n" + good + b"3," + b"\xff\xfe\x00" * 10 + b",Training\n")
    with pytest.raises(DataError, match="bytes that are not UTF-8 text, near line") as err:
        data.load_fer2013_csv(path)
    assert "download or export it again" in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # the Usage field lost: the row must not slip into the training split
        ("emotion,pixels,Usage\n3,{p},PrivateTest\n4,{p}\n", "line 3: 2 fields, but the header names 3"),
        ("emotion,pixels,Usage,Usage\n3,{p},Training,PublicTest\n", "two 'Usage' columns"),
    ],
    ids=["row-cut-short", "duplicate-column"],
)
def test_csv_rows_that_would_land_in_the_wrong_split_are_refused(tmp_path, text, message):
    with pytest.raises(DataError, match=message):
        _read_text_csv(tmp_path, text.format(p=_pixels()))


def test_csv_column_names_in_any_case(tmp_path):
    splits = _read_text_csv(tmp_path, f"Emotion,Pixels,usage\n3,{_pixels()},PrivateTest\n")
    assert splits["test"].labels.tolist() == [3] and len(splits["train"]) == 0


# ---------------------------------------------------------------------------- synthetic set


def test_synthetic_counts_keep_fer2013_proportions():
    counts = data.synthetic_counts(0.2)
    train = counts["train"]
    total = sum(train.values())
    for name, n in data.FER2013_TRAIN_COUNTS.items():
        assert abs(train[name] / total - n / 28709) < 0.002
    assert min(train, key=train.get) == "disgust" and max(train, key=train.get) == "happy"
    tiny = data.synthetic_counts(0.001)
    assert all(n >= 2 for split in tiny.values() for n in split.values())
    with pytest.raises(ValueError):
        data.synthetic_counts(0)


def test_generate_writes_fer_folder_form_and_is_reused(tmp_path, capsys):
    root = data.generate_synthetic(tmp_path / "syn", fraction=0.01, seed=3)
    counts = data.synthetic_counts(0.01)
    for name in CLASS_NAMES:
        assert len(list((root / "train" / name).glob("Training_*.png"))) == counts["train"][name]
        assert len(list((root / "test" / name).glob("PublicTest_*.png"))) == counts["val"][name]
        assert len(list((root / "test" / name).glob("PrivateTest_*.png"))) == counts["test"][name]
    marker = json.loads((root / data.MARKER).read_text())
    assert marker["seed"] == 3 and marker["fraction"] == 0.01
    splits = data.load_dataset(root)
    assert {s: splits[s].counts() for s in data.SPLITS} == counts

    some_file = next((root / "train" / "happy").iterdir())
    before = some_file.stat().st_mtime_ns
    data.generate_synthetic(root, fraction=0.01, seed=3)
    assert some_file.stat().st_mtime_ns == before
    assert "Reusing" in capsys.readouterr().out


def test_generation_is_deterministic(tmp_path):
    a = data.load_dataset(data.generate_synthetic(tmp_path / "a", fraction=0.005, seed=1, verbose=False))
    b = data.load_dataset(data.generate_synthetic(tmp_path / "b", fraction=0.005, seed=1, verbose=False))
    c = data.load_dataset(data.generate_synthetic(tmp_path / "c", fraction=0.005, seed=2, verbose=False))
    np.testing.assert_array_equal(a["train"].images, b["train"].images)
    assert not np.array_equal(a["train"].images, c["train"].images)


def test_generate_never_touches_a_folder_it_did_not_make(tmp_path):
    real = tmp_path / "mydata"
    (real / "train" / "happy").mkdir(parents=True)
    mine = real / "train" / "happy" / "me.png"
    cv2.imwrite(str(mine), np.zeros((48, 48), np.uint8))
    with pytest.raises(DataError) as err:
        data.generate_synthetic(real, fraction=0.01)
    assert "left untouched" in str(err.value) and str(real) in str(err.value)
    assert mine.exists() and sorted(p.name for p in real.rglob("*")) == ["happy", "me.png", "train"]


def test_generate_into_an_empty_existing_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    root = data.generate_synthetic(tmp_path / "empty", fraction=0.005, verbose=False)
    assert (root / data.MARKER).is_file()


def test_a_set_from_an_older_renderer_is_redrawn(tmp_path, capsys):
    root = data.generate_synthetic(tmp_path / "syn", fraction=0.005, seed=1, verbose=False)
    marker = data.read_marker(root)
    (root / data.MARKER).write_text(json.dumps({**marker, "version": data.GENERATOR_VERSION - 1}))
    (root / "train" / "happy" / "old.png").write_bytes(b"stale")
    data.generate_synthetic(root, fraction=0.005, seed=1)
    assert "older version" in capsys.readouterr().out
    assert data.read_marker(root)["version"] == data.GENERATOR_VERSION
    assert not (root / "train" / "happy" / "old.png").exists()


def test_other_settings_need_overwrite(tmp_path):
    root = data.generate_synthetic(tmp_path / "syn", fraction=0.005, seed=1, verbose=False)
    with pytest.raises(DataError, match="overwrite=True"):
        data.generate_synthetic(root, fraction=0.005, seed=2, verbose=False)
    data.generate_synthetic(root, fraction=0.005, seed=2, overwrite=True, verbose=False)
    assert data.read_marker(root)["seed"] == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_ensure_dataset_with_fer2013_switch_and_no_data(tmp_path, monkeypatch):
    from helpers import config

    monkeypatch.setattr(config, "DATASET", "fer2013")
    monkeypatch.setattr(config, "FER2013_DIR", tmp_path / "fer2013")
    with pytest.raises(DataNotFoundError) as err:
        data.ensure_dataset()
    assert str(tmp_path / "fer2013") in str(err.value)
    assert not (tmp_path / "fer2013").exists()  # nothing generated in place of the real set


def test_ensure_dataset_with_fer2013_switch_reads_real_data(tmp_path, monkeypatch, small_folders):
    from helpers import config

    root, _ = small_folders
    monkeypatch.setattr(config, "DATASET", "fer2013")
    monkeypatch.setattr(config, "FER2013_DIR", root)
    assert data.ensure_dataset(verbose=False) == root
    assert len(data.load_dataset()["train"]) == 14


def test_add_channel():
    assert data.add_channel(np.zeros((5, 48, 48), np.uint8)).shape == (5, 48, 48, 1)


def test_no_stray_files_in_repo_data_dir_from_tests():
    # The tests write only to tmp_path; the learner's data/ folder stays as the repo has it.
    from helpers import config

    assert os.environ.get("COURSE_FAST") == "1"
    assert config.FAST and "build" in config.SYNTHETIC_DIR.parts


def test_real_faces_ship_with_the_installed_packages():
    faces = data.real_faces()
    assert set(faces) == {"astronaut", "grace_hopper", "lfw"}
    assert faces["astronaut"].shape == faces["grace_hopper"].shape == (1, 48, 48)
    assert faces["lfw"].shape == (100, 48, 48)
    for crops in faces.values():
        assert crops.dtype == np.uint8 and crops.std() > 20  # pictures, not blank squares
    assert len({f.tobytes() for f in faces["lfw"]}) == 100  # 100 different people's photos
