"""helpers.my_faces: sessions written whole or marked incomplete and never written over, the
recorder driven by frames from a video, the readers, deletion, the stand-in recording, and
``course.py record`` on a video file."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from helpers import data, my_faces, synthetic, video
from helpers.errors import DataNotFoundError

FACE = np.full((48, 48), 120, np.uint8)


@pytest.fixture(scope="module")
def frames():
    """Small frames, each with one real face (the demo video's), and a blank one."""
    return video.demo_frames(12, size=(320, 240))


def test_a_session_is_hidden_until_finished_then_put_in_place(tmp_path):
    writer = my_faces.SessionWriter(tmp_path, "s1", info={"source": "test"})
    path = writer.add("happy", FACE)
    writer.drop("happy", "no_face")
    writer.drop("fear", "several_faces")
    assert path == tmp_path / ".s1.incomplete" / "happy" / "t01_0001.png"
    assert my_faces.sessions(tmp_path) == []  # not finished: no reader sees it
    assert writer.finish() == tmp_path / "s1" and not writer.tmp.exists()
    info = my_faces.session_info(tmp_path / "s1")
    assert info["source"] == "test" and info["session"] == "s1"
    assert info["frames"]["happy"] == {"kept": 1, "no_face": 1, "several_faces": 0}
    assert info["frames"]["fear"]["several_faces"] == 1
    assert my_faces.sessions(tmp_path) == [tmp_path / "s1"]
    with pytest.raises(RuntimeError, match="finished"):
        writer.add("happy", FACE)


def test_a_session_is_never_written_over(tmp_path):
    my_faces.SessionWriter(tmp_path, "s1").finish()
    with pytest.raises(FileExistsError, match="never written over"):
        my_faces.SessionWriter(tmp_path, "s1")
    my_faces.SessionWriter(tmp_path, "s2")  # stopped, left incomplete
    with pytest.raises(FileExistsError, match="--delete s2"):
        my_faces.SessionWriter(tmp_path, "s2")


def test_the_writer_refuses_what_is_not_a_face_or_a_session(tmp_path):
    for bad in (".hidden", "a/b", ".."):
        with pytest.raises(ValueError, match="plain folder name"):
            my_faces.SessionWriter(tmp_path, bad)
    writer = my_faces.SessionWriter(tmp_path, "s")
    with pytest.raises(ValueError, match="48x48 uint8"):
        writer.add("happy", np.zeros((64, 64), np.uint8))
    with pytest.raises(ValueError, match="unknown emotion"):
        writer.add("joy", FACE)
    with pytest.raises(ValueError, match="no_face"):
        writer.drop("happy", "blurred")


def test_readers_load_finished_sessions_only_and_say_what_to_do_without_one(tmp_path):
    with pytest.raises(DataNotFoundError, match="course.py record"):
        my_faces.load_sessions(tmp_path)
    writer = my_faces.SessionWriter(tmp_path, "a")
    for value, emotion, take in ((10, "sad", 1), (20, "angry", 1), (30, "angry", 2)):
        writer.add(emotion, np.full((48, 48), value, np.uint8), take=take)
    writer.finish()
    my_faces.SessionWriter(tmp_path, "b").add("happy", FACE)  # interrupted
    loaded = my_faces.load_sessions(tmp_path)
    assert list(loaded) == ["a"]
    split = loaded["a"]
    assert split.labels.tolist() == [0, 0, 4]  # FER2013's label order: angry, angry, sad
    assert split.images[:, 0, 0].tolist() == [20, 30, 10]
    assert split.sources == ["a/angry/t01_0001.png", "a/angry/t02_0002.png", "a/sad/t01_0001.png"]
    assert [my_faces.take_of(s) for s in split.sources] == ["a/angry/t01", "a/angry/t02", "a/sad/t01"]
    with pytest.raises(DataNotFoundError, match="not a finished session"):
        my_faces.load_session(tmp_path / ".b.incomplete")


def test_delete_removes_sessions_and_stopped_ones_and_nothing_else(tmp_path):
    for name in ("a", "b"):
        my_faces.SessionWriter(tmp_path, name).finish()
    my_faces.SessionWriter(tmp_path, "c")  # incomplete
    (tmp_path / "notes").mkdir()  # something of the learner's that is not a session
    assert [p.name for p in my_faces.delete(tmp_path, "a")] == ["a"]
    with pytest.raises(DataNotFoundError, match="sessions: b"):
        my_faces.delete(tmp_path, "zzz")
    assert sorted(p.name for p in my_faces.delete(tmp_path)) == [".c.incomplete", "b"]
    assert [p.name for p in tmp_path.iterdir()] == ["notes"]
    assert my_faces.delete(tmp_path / "missing") == []
    for bad in ("..", "../notes", ".c.incomplete", ""):
        with pytest.raises(ValueError, match="plain folder name"):
            my_faces.delete(tmp_path, bad)
    with pytest.raises(DataNotFoundError):
        my_faces.delete(tmp_path, "notes")  # a folder of the learner's that is not a session
    assert (tmp_path / "notes").is_dir()


def test_deleting_every_session_deletes_the_model_trained_on_them(tmp_path):
    my_faces.SessionWriter(tmp_path / "faces", "a").finish()
    model = tmp_path / "12_my_faces_yours.keras"
    model.write_bytes(b"weights")
    assert my_faces.delete(tmp_path / "faces", "a", model=model) == [tmp_path / "faces" / "a"]
    assert model.exists()  # one session deleted: the model stays
    my_faces.SessionWriter(tmp_path / "faces", "b").finish()
    assert my_faces.delete(tmp_path / "faces", model=model) == [tmp_path / "faces" / "b", model]
    assert not model.exists()
    assert "12_my_faces_yours.keras" in my_faces.CONSENT and "Colab" in my_faces.CONSENT


def _run(recorder, frames, fps=15.0, limit=800):
    """Feed frames (cycling) at ``fps`` until the recorder is done; returns the texts shown."""
    texts = []
    for number in range(limit):
        shown, text = recorder.step(frames[number % len(frames)], number / fps)
        texts.append(text)
        if recorder.done:
            return texts
    raise AssertionError(f"not done after {limit} frames: {texts[-1]}")


def test_the_recorder_prompts_keeps_one_face_frames_and_finishes_the_session(tmp_path, frames):
    writer = my_faces.SessionWriter(tmp_path, "rec")
    recorder = my_faces.Recorder(
        writer, takes=2, frames_per_take=2, pace=0.1, countdown=0.2, rest=0.3, scale=2.0
    )
    texts = _run(recorder, frames)
    assert (
        texts[0].startswith("next: angry (brows down")
        and "recording angry, take 1 of 2: 1/2 (1 kept)" in texts
    )
    assert "angry: relax, then make it again: take 2 of 2" in texts
    assert texts[-1].startswith("session saved to") and recorder.saved_to == tmp_path / "rec"
    split = my_faces.load_session(recorder.saved_to)
    assert split.labels.tolist() == [c for c in range(7) for _ in range(4)]
    assert split.sources[:4] == [f"rec/angry/t0{t}_000{n}.png" for t, n in ((1, 1), (1, 2), (2, 3), (2, 4))]
    # each face is the detector's crop of a frame: the first angry face is one of the frames' crops
    crops = [
        my_faces.find_one_face(cv2.cvtColor(cv2.resize(f, None, fx=2, fy=2), cv2.COLOR_BGR2GRAY))[0]
        for f in frames
    ]
    assert any(np.array_equal(split.images[0], crop) for crop in crops)
    info = my_faces.session_info(recorder.saved_to)
    assert all(info["frames"][e]["kept"] == 4 for e in data.CLASS_NAMES)
    assert info["takes"] == 2 and info["frames_per_take"] == 2


def test_frames_without_one_face_are_dropped_and_an_emotion_is_given_up_in_time(tmp_path, frames):
    blank = np.full((240, 320, 3), 90, np.uint8)
    writer = my_faces.SessionWriter(tmp_path, "blank")
    recorder = my_faces.Recorder(
        writer, takes=1, frames_per_take=3, pace=0.1, countdown=0.0, give_up_after=0.5
    )
    _run(recorder, [blank])
    assert recorder.failed.startswith("no face was kept for angry, disgust") and recorder.saved_to is None
    assert my_faces.sessions(tmp_path) == [] and my_faces.stopped_sessions(tmp_path) == [
        tmp_path / ".blank.incomplete"
    ]
    assert all(c["kept"] == 0 and c["no_face"] >= 3 for c in writer.counts.values())
    two = np.concatenate([frames[0], frames[0]], axis=1)  # the same face twice side by side
    writer = my_faces.SessionWriter(tmp_path, "two")
    recorder = my_faces.Recorder(
        writer, takes=1, frames_per_take=1, pace=0.1, countdown=0.0, give_up_after=0.3, scale=2.0
    )
    _run(recorder, [two])
    assert writer.counts["angry"]["several_faces"] >= 1 and recorder.failed


def test_the_stand_in_is_one_person_in_two_sessions_written_once(tmp_path):
    root = my_faces.stand_in(tmp_path, takes=2, frames_per_take=5)
    loaded = my_faces.load_sessions(root)
    assert list(loaded) == list(my_faces.STAND_IN_SESSIONS)
    first, second = loaded.values()
    assert len(first) == len(second) == 70
    assert my_faces.session_info(root / list(loaded)[0])["stand_in"] is True
    assert first.images.mean() > second.images.mean() + 20  # daylight against evening
    a = first.images.astype(float)
    within = np.mean([np.abs(a[i] - a[i + 1]).mean() for i in range(0, 70, 5)])  # a burst: near-copies
    across = np.mean([np.abs(a[i] - a[i + 5]).mean() for i in range(0, 65, 10)])  # another take
    assert within < 0.5 * across, (within, across)
    stamp = (root / list(loaded)[0] / "session.json").stat().st_mtime_ns
    my_faces.stand_in(tmp_path, takes=2, frames_per_take=5)  # there already: nothing is rewritten
    assert (root / list(loaded)[0] / "session.json").stat().st_mtime_ns == stamp
    my_faces.stand_in(tmp_path, takes=1, frames_per_take=5)  # other settings: made again
    assert len(my_faces.load_session(root / list(loaded)[0])) == 35


def test_one_person_looks_more_alike_than_strangers_and_unknown_keys_are_refused():
    rng = np.random.default_rng(0)
    person = {**my_faces.STAND_IN_PERSON, **next(iter(my_faces.STAND_IN_SESSIONS.values()))}
    same = np.stack([synthetic.render_face("neutral", rng, person=person) for _ in range(8)]).astype(float)
    strangers = np.stack([synthetic.render_face("neutral", rng) for _ in range(8)]).astype(float)
    assert same.std(axis=0).mean() < 0.6 * strangers.std(axis=0).mean()
    with pytest.raises(ValueError, match="unknown person key"):
        synthetic.render_face("happy", rng, person={"nose": 1})


@pytest.fixture(scope="module")
def face_video(tmp_path_factory, frames):
    path = tmp_path_factory.mktemp("video") / "me.mp4"
    big = [cv2.resize(f, (640, 480)) for f in frames]
    return video.write_video(path, [big[i % len(big)] for i in range(80)], fps=15)


def test_course_py_record_on_a_video_file(tmp_path, face_video, capsys):
    args = ["--video", str(face_video), "--root", str(tmp_path), "--takes", "2", "--frames-per-take", "1"]
    args += ["--pace", "0.1", "--rest", "0.1"]
    assert my_faces.main([*args, "--countdown", "0.2"]) == 1  # no --yes and no keyboard: not recorded
    assert "add --yes" in capsys.readouterr().err and not any(tmp_path.iterdir())
    assert my_faces.main([*args, "--countdown", "0.2", "--yes", "--name", "mine"]) == 0
    assert "saved 14 faces" in capsys.readouterr().out
    assert len(my_faces.load_session(tmp_path / "mine")) == 14
    assert my_faces.main([*args, "--countdown", "0.2", "--yes", "--name", "mine"]) == 1  # never over it
    assert "never written over" in capsys.readouterr().err
    assert my_faces.main([*args, "--countdown", "2", "--yes", "--name", "short"]) == 1  # the video runs out
    err = capsys.readouterr().err
    assert "ran out of frames" in err and "incomplete" in err and (tmp_path / ".short.incomplete").is_dir()
    assert my_faces.main(["--root", str(tmp_path), "--list"]) == 0
    assert "mine: angry 2, disgust 2" in capsys.readouterr().out
    assert my_faces.main(["--root", str(tmp_path), "--delete"]) == 0
    assert not any(tmp_path.iterdir())


def test_course_py_record_without_a_camera_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DISPLAY", ":99")  # as if a screen were there: the camera is what is missing
    monkeypatch.setattr(video, "_working_camera", lambda index: None)
    assert my_faces.main(["--root", str(tmp_path), "--yes", "--camera", "3"]) == 1
    err = capsys.readouterr().err
    assert "No camera at index 3" in err and "stand-in" in err
    assert not any(tmp_path.iterdir())
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert my_faces.main(["--root", str(tmp_path), "--yes"]) == 1
    assert "notebook 12" in capsys.readouterr().err


def test_the_consent_text_says_what_where_and_how_to_delete():
    text = my_faces.CONSENT
    for needed in ("What is recorded", "data/my_faces/", "git ignores", "--delete", "incomplete"):
        assert needed in text
    assert json.dumps(my_faces.CUES) and set(my_faces.CUES) == set(data.CLASS_NAMES)


def test_the_recording_widget_starts_a_session_at_the_first_frame_and_frees_the_camera_when_saved(
    tmp_path, frames, monkeypatch
):
    widget = my_faces.recording_widget(
        tmp_path, "browser", takes=1, frames_per_take=1, pace=0.0, countdown=0.0
    )
    assert widget.recorder is None and not any(tmp_path.iterdir())  # nothing before the camera starts
    sent = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append(content))
    for number in range(40):
        ok, jpeg = cv2.imencode(".jpg", frames[number % len(frames)])
        widget._on_message(widget, {"type": "frame", "sent": number}, [jpeg.tobytes()])
        if sent[-1]["done"]:
            break
    assert sent[-1]["done"] and sent[-1]["text"].startswith("session saved to")
    assert not any(message["done"] for message in sent[:-1])
    assert my_faces.session_info(tmp_path / "browser")["source"] == "browser camera"
    assert len(my_faces.load_session(tmp_path / "browser")) == 7
    with pytest.raises(FileExistsError, match="never written over"):
        my_faces.recording_widget(tmp_path, "browser")


def test_notebook_12s_stored_outputs_come_from_the_stand_in_never_a_camera():
    import re

    import nbformat

    from helpers import config

    nb = nbformat.read(config.NOTEBOOKS_DIR / "12_your_own_faces.ipynb", as_version=4)
    printed = "".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )
    assert "STAND-IN RECORDING" in printed and "YOUR RECORDING" not in printed
    assert not re.search(r"\d{4}-\d\d-\d\d_\d{6}", printed)  # no recorded session's name
    assert set(re.findall(r"stand-in_\w+", printed)) <= set(my_faces.STAND_IN_SESSIONS)


def test_recording_the_outputs_forces_the_stand_in(monkeypatch):
    from coursebuild import runner
    from helpers import config

    monkeypatch.setenv("COURSE_MY_FACES", "auto")
    monkeypatch.setattr(config, "FAST", False)
    assert runner.main(["outputs", "99"]) == 2  # no notebook 99: stops after the switch is set
    import os

    assert os.environ["COURSE_MY_FACES"] == "stand-in"


def test_a_second_default_session_in_the_same_second_gets_its_own_name(tmp_path, monkeypatch):
    monkeypatch.setattr(my_faces, "session_name", lambda now=None: "2026-12-07_120000")
    names = [my_faces.SessionWriter(tmp_path).name for _ in range(3)]
    assert names == ["2026-12-07_120000", "2026-12-07_120000-2", "2026-12-07_120000-3"]


def test_course_py_record_delete_removes_the_model_and_list_shows_stopped_sessions(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(my_faces, "MY_FACES_DIR", tmp_path / "my_faces")
    monkeypatch.setattr(my_faces, "YOUR_MODEL", tmp_path / "12_my_faces_yours.keras")
    my_faces.SessionWriter(tmp_path / "my_faces", "done").finish()
    my_faces.SessionWriter(tmp_path / "my_faces", "cut")  # stopped
    my_faces.YOUR_MODEL.write_bytes(b"weights")
    assert my_faces.main(["--list"]) == 0
    assert ".cut.incomplete: stopped before the end" in capsys.readouterr().out
    assert my_faces.main(["--delete"]) == 0
    out = capsys.readouterr().out
    assert "deleted 3 item(s)" in out and not my_faces.YOUR_MODEL.exists()
    assert not any((tmp_path / "my_faces").iterdir())


def test_stop_in_the_browser_leaves_the_session_incomplete_and_start_begins_a_new_one(
    tmp_path, frames, monkeypatch
):
    widget = my_faces.recording_widget(
        tmp_path, takes=2, frames_per_take=1, pace=0.0, countdown=0.0, rest=0.0
    )
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: None)
    ok, jpeg = cv2.imencode(".jpg", frames[0])
    widget.camera_on = True
    widget._on_message(widget, {"type": "frame", "sent": 0}, [jpeg.tobytes()])
    first = widget.recorder.writer.tmp
    widget.camera_on = False  # Stop pressed
    assert widget.recorder is None and "stays incomplete" in widget.status
    widget.camera_on = True
    widget._on_message(widget, {"type": "frame", "sent": 1}, [jpeg.tobytes()])
    assert widget.recorder.writer.tmp != first and first.is_dir()  # a new session; the old one kept
    assert my_faces.sessions(tmp_path) == []
