"""helpers.files (one way to write a file or folder in one step) and helpers.errors (the
course's exceptions: one base, each also the built-in error it is a kind of)."""

from __future__ import annotations

import pytest

from helpers import errors, files


def test_a_file_appears_whole_and_an_error_leaves_the_old_one(tmp_path):
    path = tmp_path / "model.weights.h5"
    with files.replaced_atomically(path) as tmp:
        assert tmp.parent == tmp_path and tmp.name.endswith(".weights.h5") and tmp.name.startswith(".")
        tmp.write_text("first")
        assert not path.exists()  # not there until the block ends
    assert path.read_text() == "first"
    with pytest.raises(KeyboardInterrupt), files.replaced_atomically(path) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt  # stopped half-way
    assert path.read_text() == "first" and [p.name for p in tmp_path.iterdir()] == [path.name]


def test_a_folder_takes_the_place_of_nothing_or_an_empty_folder_only(tmp_path):
    target = tmp_path / "set"
    target.mkdir()  # empty: a folder the learner made for it
    with files.replaced_atomically(target) as tmp:
        (tmp / "train").mkdir(parents=True)
    assert (target / "train").is_dir()
    with pytest.raises(OSError), files.replaced_atomically(target) as tmp:
        tmp.mkdir()  # target holds something: never replaced
    assert (target / "train").is_dir() and len(list(tmp_path.iterdir())) == 1


def test_every_course_error_is_a_course_error_and_its_built_in_kind():
    kinds = {
        errors.DataError: ValueError,
        errors.DataNotFoundError: FileNotFoundError,
        errors.ArchiveError: ValueError,
        errors.ModelFileError: ValueError,
        errors.ResumeError: RuntimeError,
        errors.VideoError: RuntimeError,
    }
    for error, builtin in kinds.items():
        assert issubclass(error, errors.CourseError) and issubclass(error, builtin)
    course_errors = {
        c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.CourseError)
    }
    assert course_errors == {errors.CourseError, *kinds}
