"""helpers.detector (the smoother, the overlay), the demo video of helpers.video, the capture
loop of helpers.live on it, and helpers.live's clear messages when there is no model or no camera."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from helpers import detector, live, video


@pytest.fixture(scope="module")
def model():
    import keras

    return keras.Sequential(
        [
            keras.Input((48, 48, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(7, activation="softmax"),
        ]
    )


def test_smoother_averages_one_face_over_its_window():
    smoother = detector.Smoother(window=3)
    box = [[100, 100, 80, 80]]
    seen = [smoother.update(box, np.eye(7)[k][None])[0] for k in (0, 1, 2, 3)]
    np.testing.assert_allclose(seen[0], np.eye(7)[0])
    np.testing.assert_allclose(seen[1], (np.eye(7)[0] + np.eye(7)[1]) / 2)
    np.testing.assert_allclose(seen[3], (np.eye(7)[1] + np.eye(7)[2] + np.eye(7)[3]) / 3)  # oldest dropped


def test_smoother_keeps_two_faces_apart_and_window_one_is_off():
    smoother = detector.Smoother(window=4)
    boxes = [[0, 0, 50, 50], [300, 0, 50, 50]]
    smoother.update(boxes, np.eye(7)[[0, 6]])
    out = smoother.update(boxes[::-1], np.eye(7)[[6, 0]])  # same faces, listed the other way round
    np.testing.assert_allclose(out, np.eye(7)[[6, 0]])
    off = detector.Smoother(window=1)
    off.update([[0, 0, 50, 50]], np.eye(7)[[0]])
    np.testing.assert_allclose(off.update([[0, 0, 50, 50]], np.eye(7)[[5]]), np.eye(7)[[5]])
    with pytest.raises(ValueError, match="at least 1"):
        detector.Smoother(window=0)


def _synthetic_crops():
    """Two different synthetic faces, and the first one again shifted by 2 pixels (as in the
    demo video, where a pair of faces drifts for a second and then the next pair appears)."""
    from helpers import synthetic

    a, b = synthetic.render_faces(["happy", "fear"], seed=7)
    shifted = np.roll(a, 2, axis=1)
    return a, shifted, b


def test_smoother_starts_again_when_another_face_takes_the_place():
    a, a_moved, b = _synthetic_crops()
    assert detector.face_signature(a) @ detector.face_signature(a_moved) > 0.9  # the same face
    assert detector.face_signature(a) @ detector.face_signature(b) < 0.9  # another one
    smoother = detector.Smoother(window=5)
    box = [[100, 100, 200, 200]]
    for _ in range(4):  # one face, confidently happy
        smoother.update(box, np.eye(7)[[3]], [a])
    same = smoother.update(box, np.eye(7)[[2]], [a_moved])  # the same face: smoothed, lags behind
    np.testing.assert_allclose(same[0], (4 * np.eye(7)[3] + np.eye(7)[2]) / 5)
    cut = smoother.update(box, np.eye(7)[[2]], [b])  # a new face, same place: nothing carried over
    np.testing.assert_allclose(cut[0], np.eye(7)[2])
    assert smoother.resets == 1 and len(smoother._tracks) == 1
    # without the crops, the smoother only sees positions and carries the old face over (the bug)
    blind = detector.Smoother(window=5)
    for _ in range(4):
        blind.update(box, np.eye(7)[[3]])
    assert blind.update(box, np.eye(7)[[2]])[0].argmax() == 3


def test_smoother_forgets_a_face_gone_for_more_than_max_gap_frames():
    smoother = detector.Smoother(window=5, max_gap=2)
    box = [[100, 100, 80, 80]]
    smoother.update(box, np.eye(7)[[0]])
    for _ in range(2):
        smoother.update([], np.zeros((0, 7)))
    back = smoother.update(box, np.eye(7)[[1]])  # gone 2 frames: still the same track
    np.testing.assert_allclose(back[0], (np.eye(7)[0] + np.eye(7)[1]) / 2)
    for _ in range(3):
        smoother.update([], np.zeros((0, 7)))
    np.testing.assert_allclose(smoother.update(box, np.eye(7)[[4]])[0], np.eye(7)[4])  # gone 3: a new start


def test_probability_bars_are_drawn_in_place():
    frame = np.full((120, 300, 3), 128, np.uint8)
    out = detector.draw_probability_bars(frame, np.eye(7)[3])
    assert out is frame and not np.all(frame == 128)
    assert (frame[:, :, 1] > 200).any()  # the winning bar is green


def test_every_face_gets_its_own_panel_beside_it_and_over_no_face(model):
    emotions = detector.EmotionDetector(model, smoothing=1)
    frames = list(video.read_frames(video.open_video(video.make_demo_video(video.demo_video_path()))))
    faces_seen = with_panel = 0
    for frame in frames[::5]:
        height, width = frame.shape[:2]
        _, faces = emotions.process(frame.copy())
        panels = [f.panel for f in faces if f.panel is not None]
        faces_seen, with_panel = faces_seen + len(faces), with_panel + len(panels)
        for face in faces:
            if face.panel is None:
                continue
            x, y, w, h = face.panel
            assert 0 <= x and 0 <= y and x + w <= width and y + h <= height  # inside the frame
            assert not any(detector._overlaps(face.panel, other.box) for other in faces)  # over no face
            near = (face.box[0] - 22, face.box[1] - 22, face.box[2] + 44, face.box[3] + 44)
            assert detector._overlaps(face.panel, near)  # beside its own box
        assert all(not detector._overlaps(a, b) for i, a in enumerate(panels) for b in panels[i + 1 :])
    assert faces_seen >= len(frames[::5]) and with_panel >= 0.9 * faces_seen


def _iou(a, b):
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x2 - x1) * max(0, y2 - y1)
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def test_tracker_follows_a_moving_face_and_gives_up_when_it_is_gone():
    greys = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in video.demo_frames(30)[:6]]  # 30 px a frame
    boxes = [video.detect_faces(g, min_size=(72, 72)) for g in greys]
    tracker = detector.FaceTracker()
    tracker.start(greys[0], boxes[0])
    for grey, found in zip(greys[1:], boxes[1:], strict=True):
        followed = tracker.follow(grey)
        assert followed is not None and _iou(followed[0], found[0]) > 0.7  # where the search finds it
    assert tracker.follow(np.full_like(greys[0], 90)) is None  # the face is gone: search again


def test_detect_every_few_frames_keeps_every_face_and_boxes_no_wrong_one(model):
    frames = list(video.read_frames(video.open_video(video.make_demo_video(video.demo_video_path()))))[20:65]
    greys = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in frames]  # the astronaut, then two cuts to new pairs
    every_frame = detector.EmotionDetector(model)
    every_third = detector.EmotionDetector(model, detect_every=3)
    found = total = wrong = searched = 0
    for grey in greys:
        truth = every_frame.locate(grey)
        boxes = every_third.locate(grey)
        searched += every_third._followed == 0
        total += len(truth)
        found += sum(any(_iou(t, b) >= 0.5 for b in boxes) for t in truth)
        wrong += sum(not any(_iou(b, t) >= 0.5 for t in truth) for b in boxes)
    assert found >= 0.98 * total and wrong == 0
    assert searched < 0.5 * len(greys)  # most frames were followed, not searched
    with pytest.raises(ValueError, match="detect_every"):
        detector.EmotionDetector(model, detect_every=0)


def test_place_panel_gives_up_rather_than_cover_a_face():
    frame_shape = (200, 200, 3)
    assert detector.place_panel((0, 0, 200, 200), frame_shape, avoid=[(0, 0, 200, 200)]) is None
    rect, size = detector.place_panel((10, 10, 60, 60), (480, 640, 3), avoid=[(10, 10, 60, 60)])
    assert rect[1] == 72 and size == 0  # below the box, the larger size


def test_demo_video_is_made_once_and_has_faces(tmp_path):
    path = video.make_demo_video(tmp_path / "demo.mp4", fps=4)
    stamp = path.stat().st_mtime_ns
    assert video.make_demo_video(path, fps=4).stat().st_mtime_ns == stamp  # kept, not rewritten
    frames = list(video.read_frames(video.open_video(path)))
    assert len(frames) == 8 + 7 * 4 and frames[0].shape == (480, 640, 3)
    grey = [cv2.cvtColor(f, cv2.COLOR_BGR2GRAY) for f in frames]
    with_face = sum(len(video.detect_faces(g)) > 0 for g in grey)
    assert with_face >= 0.8 * len(frames)


def test_detector_boxes_labels_and_stage_timings(model):
    emotions = detector.EmotionDetector(model, smoothing=1)
    frame = video.demo_frames(3)[1]
    timings = {}
    annotated, faces = emotions.process(frame.copy(), timings)
    assert len(faces) == 1
    assert faces[0].label in detector.CLASS_NAMES and 0 < faces[0].confidence <= 1
    assert set(timings) == {"grey", "detect", "preprocess", "predict", "draw"}
    assert not np.array_equal(annotated, frame)
    full = video.detect_faces(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), min_size=(72, 72))  # 15 % of 480
    assert np.abs(np.asarray(faces[0].box) - full[0]).max() < 0.15 * full[0][2]
    half = detector.EmotionDetector(model, detect_width=480).detect(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    assert len(half) == 1 and np.abs(half[0] - full[0]).max() < 0.15 * full[0][2]  # boxes scaled back
    probs = emotions.predict(np.zeros((3, 48, 48), np.uint8))
    assert probs.shape == (3, 7) and np.allclose(probs.sum(axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(probs[0], model.predict(np.zeros((1, 48, 48, 1)), verbose=0)[0], atol=1e-5)


def test_calibrated_detector_softens_probabilities_and_says_unsure(model):
    crops = video.demo_frames(1)[0][100:148, 100:148, 0][None]  # any 48x48 grey patch
    plain = detector.EmotionDetector(model).predict(crops)
    soft = detector.EmotionDetector(model, temperature=3.0).predict(crops)
    assert soft.argmax() == plain.argmax() and soft.max() < plain.max()  # same answer, less sure
    face = detector.Face((0, 0, 10, 10), np.array([0.4, 0.3, 0.3, 0, 0, 0, 0]), unsure_below=0.5)
    assert face.label == detector.UNSURE and face.guess == "angry" and face.text == "unsure (angry? 40%)"
    sure = detector.Face((0, 0, 10, 10), np.array([0.6, 0.4, 0, 0, 0, 0, 0]), unsure_below=0.5)
    assert sure.label == "angry" and sure.text == "angry 60%"
    with pytest.raises(ValueError, match="positive"):
        detector.EmotionDetector(model, temperature=0)


def test_test_time_flips_average_a_face_and_its_mirror_image(model):
    crops = video.demo_frames(1)[0][100:148, 100:196:2, 0][None]  # an asymmetric 48x48 grey patch
    crops = np.concatenate([crops, crops[:, ::-1]])
    plain = detector.EmotionDetector(model)
    flipped = detector.EmotionDetector(model, flip=True)
    want = (plain.predict(crops) + plain.predict(crops[:, :, ::-1])) / 2
    assert np.allclose(flipped.predict(crops), want, atol=1e-6)
    assert not np.allclose(plain.predict(crops), want, atol=1e-4)  # the mirror image reads differently
    assert np.allclose(flipped.predict(crops[:, :, ::-1]), want, atol=1e-6)  # a face and its mirror agree
    assert flipped.predict(np.zeros((0, 48, 48))).shape == (0, 7)


def test_an_ensemble_averages_its_members_probabilities(model):
    import keras

    other = keras.Sequential(
        [keras.Input((48, 48, 1)), keras.layers.Flatten(), keras.layers.Dense(7, activation="softmax")]
    )
    crops = video.demo_frames(1)[0][100:148, 100:196:2, 0][None]
    one, two = detector.EmotionDetector(model).predict(crops), detector.EmotionDetector(other).predict(crops)
    both = detector.EmotionDetector([model, other]).predict(crops)
    assert np.allclose(both, (one + two) / 2, atol=1e-6) and not np.allclose(one, two, atol=1e-3)
    assert np.allclose(detector.EmotionDetector([model]).predict(crops), one)
    with pytest.raises(ValueError, match="at least one model"):
        detector.EmotionDetector([])


def test_run_annotates_a_video_and_releases_everything(tmp_path, model):
    src = video.write_video(tmp_path / "in.mp4", video.demo_frames(6), fps=6)
    out = tmp_path / "out.mp4"
    summary = live.run(detector.EmotionDetector(model), video.open_video(src), output=out)
    assert summary.frames == 6 and summary.frames_with_face == 6 and summary.output == out
    assert set(summary.stage_ms) == set(detector.STAGES) and summary.fps > 0
    assert len(list(video.read_frames(video.open_video(out)))) == 6
    with pytest.raises(FileExistsError, match="exists already"):  # never overwrites
        live.run(detector.EmotionDetector(model), video.open_video(src), output=out)


def test_live_command_messages(tmp_path, model, capsys, monkeypatch):
    assert live.main(["--demo", "--model", str(tmp_path / "none.keras")]) == 1
    assert "No trained model" in capsys.readouterr().err
    path = tmp_path / "m.keras"
    model.save(path)
    monkeypatch.setenv("DISPLAY", ":99")  # pretend there is a screen; there is still no camera
    assert live.main(["--camera", "7", "--model", str(path)]) == 1
    err = capsys.readouterr().err
    assert "No camera at index 7" in err and "--demo" in err
    src = video.write_video(tmp_path / "in.mp4", video.demo_frames(4), fps=4)
    out = tmp_path / "annotated.mp4"
    assert live.main(["--video", str(src), "--model", str(path), "--out", str(out)]) == 0
    assert out.is_file() and "4 frames (4 with a face)" in capsys.readouterr().out
    # with a calibration saved beside the model file, the command uses it and says so
    from helpers import models

    models.save_calibration(path, temperature=1.5, unsure_below=0.6)
    assert live.main(["--video", str(src), "--model", str(path), "--out", str(tmp_path / "a3.mp4")]) == 0
    assert "temperature 1.50, 'unsure' below 60%" in capsys.readouterr().out
    # a notebook's model in memory, with no model file anywhere (notebook 11 on its own)
    out2 = tmp_path / "annotated2.mp4"
    assert live.main(["--video", str(src), "--out", str(out2)], model=model) == 0
    assert "the model given" in capsys.readouterr().out and out2.is_file()
    out3 = tmp_path / "annotated3.mp4"
    assert live.main(["--video", str(src), "--out", str(out3), "--flip"], model=model) == 0
    assert "test-time flips" in capsys.readouterr().out and out3.is_file()
    out4 = tmp_path / "annotated4.mp4"
    assert live.main(["--video", str(src), "--model", str(path), "--out", str(out4), "--with-reference"]) == 0
    printed = capsys.readouterr().out
    assert "averaged with the reference model" in printed and "temperature" not in printed and out4.is_file()
