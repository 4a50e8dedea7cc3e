"""helpers.video: face detection and cropping on a real photo, drawing, capture with a
clear error when there is no camera or no file, and the course's own test video."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data as skdata

from helpers import video


@pytest.fixture(scope="module")
def astronaut_grey():
    return cv2.cvtColor(skdata.astronaut(), cv2.COLOR_RGB2GRAY)


def test_the_astronaut_has_one_face_where_it_is(astronaut_grey):
    boxes = video.detect_faces(astronaut_grey)
    assert boxes.shape == (1, 4)
    x, y, w, h = boxes[0]
    assert 150 < x < 210 and 40 < y < 100 and 70 < w < 130  # Eileen Collins' face, upper middle


def test_no_face_gives_an_empty_box_array():
    boxes = video.detect_faces(np.full((200, 200), 128, np.uint8))
    assert boxes.shape == (0, 4)
    assert video.largest_face(boxes) is None


def test_detect_faces_refuses_colour_frames_with_advice():
    with pytest.raises(ValueError, match="COLOR_BGR2GRAY"):
        video.detect_faces(np.zeros((50, 50, 3), np.uint8))


def test_largest_face_picks_by_area():
    assert video.largest_face([[0, 0, 10, 10], [5, 5, 30, 20], [1, 1, 20, 20]]) == (5, 5, 30, 20)


def test_crop_face_is_48x48_uint8_and_clips_at_the_edge(astronaut_grey):
    crop = video.crop_face(astronaut_grey, (177, 66, 95, 95))
    assert crop.shape == (48, 48) and crop.dtype == np.uint8
    corner = video.crop_face(astronaut_grey, (0, 0, 40, 40), margin=0.5)  # margin runs off the image
    assert corner.shape == (48, 48)
    with pytest.raises(ValueError, match="outside"):
        video.crop_face(astronaut_grey, (600, 600, 10, 10))


def test_draw_face_box_draws_in_place_and_keeps_the_label_on_the_frame():
    frame = np.zeros((100, 120, 3), np.uint8)
    out = video.draw_face_box(frame, (10, 5, 50, 50), "happy 0.93")  # too close to the top: label goes below
    assert out is frame and frame.any()
    assert frame[5, 10].tolist() == [0, 200, 0]  # the box corner in the default colour
    assert frame[58:75, 12:40].any()  # the label strip below the box


def test_no_camera_is_a_clear_error(monkeypatch):
    class Closed:
        def isOpened(self):
            return False

        def read(self):
            return False, None

        def release(self):
            pass

    monkeypatch.setattr(video.cv2, "VideoCapture", lambda *a, **k: Closed())
    assert video.camera_available(0) is False
    with pytest.raises(video.VideoError, match="No camera at index 3"):
        video.open_video(3)


def test_missing_and_corrupt_video_files_are_clear_errors(tmp_path):
    with pytest.raises(video.VideoError, match="No video file"):
        video.open_video(tmp_path / "nothing.mp4")
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video at all")
    with pytest.raises(video.VideoError, match="cannot decode"):
        video.open_video(bad)


def test_demo_video_round_trip_and_fallback(tmp_path):
    frames = video.demo_frames(12, size=(320, 240))
    assert len(frames) == 12 and frames[0].shape == (240, 320, 3)
    assert not np.array_equal(frames[0], frames[5])  # the face moves
    path = video.write_video(tmp_path / "demo.mp4", frames, fps=12)
    cap, used = video.open_camera_or_video(99, path)  # there is never a camera 99
    assert "video file demo.mp4" in used and "no camera" in used
    read = list(video.read_frames(cap))
    assert len(read) == 12 and read[0].shape == (240, 320, 3)
    assert not cap.isOpened()  # released when the frames ran out


def test_read_frames_releases_the_capture_when_the_loop_stops_early(tmp_path):
    path = video.write_video(tmp_path / "d.avi", video.demo_frames(6, size=(160, 120)), fourcc="MJPG")
    cap = video.open_video(path)
    for _ in video.read_frames(cap, max_frames=10):
        break
    assert not cap.isOpened()
    cap = video.open_video(path)
    assert len(list(video.read_frames(cap, max_frames=4))) == 4


def test_every_demo_frame_has_one_face():
    for frame in video.demo_frames(8):
        assert len(video.detect_faces(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))) == 1


def test_write_video_refuses_nothing_and_mixed_sizes(tmp_path):
    with pytest.raises(video.VideoError, match="no frames"):
        video.write_video(tmp_path / "empty.mp4", [])
    frames = [np.zeros((40, 40, 3), np.uint8), np.zeros((50, 40, 3), np.uint8)]
    with pytest.raises(video.VideoError, match="frame 1 is 40x50"):
        video.write_video(tmp_path / "mixed.mp4", frames)
