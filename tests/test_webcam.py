"""helpers.webcam (notebook 11's browser webcam) and video.write_y4m, without a browser:
what the kernel does with a frame, the widget's replies, and the fake-camera file."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from helpers import detector, video, webcam


@pytest.fixture(scope="module")
def demo_frames():
    path = video.make_demo_video(video.demo_video_path())
    return list(video.read_frames(video.open_video(path), max_frames=60))


def _jpeg(frame, size=(320, 240)):
    ok, data = cv2.imencode(".jpg", cv2.resize(frame, size, interpolation=cv2.INTER_AREA))
    assert ok
    return data.tobytes()


def test_a_browser_frame_comes_back_annotated_with_the_detector_of_course_py_live(demo_frames):
    from helpers import models

    emotions = detector.EmotionDetector(models.build_emotion_cnn(augment=False))
    frame = demo_frames[45]  # a pair of synthetic faces
    jpeg, text = webcam.jpeg_round_trip(_jpeg(frame), webcam.annotator(emotions))
    annotated = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert annotated.shape == (480, 640, 3)  # enlarged, so that the labels and bars fit
    labels = [part.rsplit(" ", 1)[0] for part in text.split("; ")]
    assert len(labels) == 2 and all(label in detector.CLASS_NAMES for label in labels), text
    plain = cv2.resize(cv2.resize(frame, (320, 240), interpolation=cv2.INTER_AREA), (640, 480))
    assert np.abs(annotated.astype(int) - plain.astype(int)).mean() > 2  # boxes and bars were drawn


def test_a_frame_that_is_not_a_jpeg_is_refused_with_a_message():
    with pytest.raises(ValueError, match="not a JPEG"):
        webcam.jpeg_round_trip(b"not an image", lambda f: (f, ""))


def test_the_widget_replies_to_each_frame_with_the_annotated_jpeg(demo_frames, monkeypatch):
    widget = webcam.WebcamWidget(lambda frame: (cv2.flip(frame, 1), "flipped"))
    sent = []
    monkeypatch.setattr(widget, "send", lambda content, buffers=None: sent.append((content, buffers)))
    widget._on_message(widget, {"type": "frame", "sent": 12.5}, [_jpeg(demo_frames[0])])
    widget._on_message(widget, {"type": "other"}, [])  # ignored
    widget._on_message(widget, {"type": "frame", "sent": 13.0}, [b"garbage"])  # reported, not raised
    assert widget.frames == 1 and widget.last_text == "flipped"
    assert repr(widget).startswith("WebcamWidget (1 frames annotated)") and " at 0x" not in repr(widget)
    (first, buffers), (second, none) = sent
    assert (
        first == {"type": "annotated", "sent": 12.5, "text": "flipped", "done": False} and len(buffers) == 1
    )
    assert cv2.imdecode(np.frombuffer(buffers[0], np.uint8), cv2.IMREAD_COLOR).shape == (240, 320, 3)
    assert second["text"].startswith("error:") and none is None
    script = (webcam.STATIC / "webcam.js").read_text()
    assert "getUserMedia" in widget._esm and script.strip() in widget._esm  # the shipped file, loaded
    assert "http" not in script.replace("https or localhost", "")  # nothing fetched from a CDN


def test_y4m_holds_every_frame_in_420(tmp_path, demo_frames):
    frames = demo_frames[:5]
    path = video.write_y4m(tmp_path / "camera.y4m", frames, fps=15)
    data = path.read_bytes()
    header = data.split(b"\n", 1)[0].decode()
    assert header == "YUV4MPEG2 W640 H480 F15:1 Ip A1:1 C420jpeg"
    assert data.count(b"FRAME\n") == 5
    assert len(data) == len(header) + 1 + 5 * (len(b"FRAME\n") + 640 * 480 * 3 // 2)
    with pytest.raises(video.VideoError, match="even"):
        video.write_y4m(tmp_path / "odd.y4m", [np.zeros((5, 6, 3), np.uint8)])
