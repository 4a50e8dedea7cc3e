"""The course as a person sees it, in a real browser (headless Chromium driven by Playwright).

Run with `python3 course.py test-browser` (`.ci/run` does): it needs Debian's `chromium`
package (or COURSE_CHROMIUM=/path/to/chrome), which conftest.py finds or installs; Playwright's
own browser download is not used.
Screenshots are saved to build/browser/ as test artefacts.
"""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from coursebuild import site, slides
from helpers import config
from helpers.webcam import WebcamWidget

ARTEFACTS = config.ROOT / "build" / "browser"


@pytest.fixture(scope="module")
def playwright():
    """One Playwright for the module: a second sync_playwright() would refuse to start."""
    from playwright.sync_api import sync_playwright

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright, chromium_path):
    chromium = playwright.chromium.launch(
        executable_path=chromium_path, args=["--no-sandbox", "--disable-gpu"]
    )
    yield chromium
    chromium.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab():
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--port={port}",
        "--ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={config.ROOT}",
        "--allow-root",
    ]
    server = subprocess.Popen(cmd, cwd=config.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_jupyterlab_opens_notebook_00(browser, jupyterlab):
    url, token = jupyterlab
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{url}/lab/tree/notebooks/00_setup_and_course_map.ipynb?token={token}")
    title = page.wait_for_selector(".jp-Notebook .jp-RenderedMarkdown h1", timeout=60_000)
    assert title.inner_text().startswith("00 ·")
    # JupyterLab asks about "official Jupyter news" a moment after it opens, unless the course's
    # settings (course.py setup installs them into the environment) say never to fetch news.
    page.wait_for_timeout(3000)
    assert page.get_by_text("official Jupyter news").count() == 0
    page.screenshot(path=ARTEFACTS / "jupyterlab_notebook_00.png")
    assert page.locator(".jp-Notebook .jp-Cell").count() >= 3  # JupyterLab renders only the visible cells
    assert page.locator(".jp-OutputArea-output").count() >= 1  # recorded outputs are shown
    page.close()


@pytest.fixture(scope="module")
def built_site():
    root = ARTEFACTS / "site"
    assert site.build(root) == []  # no Sphinx warning
    return root


def _images_loaded(page, at_least: int) -> int:
    """Wait until ``at_least`` images have loaded and decoded (lazy ones are made eager)."""
    page.evaluate("for (const i of document.images) i.loading = 'eager'")
    page.wait_for_function(
        f"[...document.images].filter(i => i.complete && i.naturalWidth > 0).length >= {at_least}",
        timeout=30_000,
    )
    return page.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth > 0).length")


def _offline_page(browser, failed: list):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.on("requestfailed", lambda request: failed.append(request.url))
    return page


def test_site_sidebar_contents_and_navigation(browser, built_site):
    failed = []
    page = _offline_page(browser, failed)
    page.goto((built_site / "index.html").as_uri())
    assert "Facial emotion recognition" in page.title() + page.inner_text("h1")
    sidebar = page.locator("nav.bd-docs-nav")
    assert sidebar.locator("a").count() >= 14  # the 12 notebooks and the 2 guides
    page.screenshot(path=ARTEFACTS / "site_index.png")
    sidebar.get_by_text("The emotion CNN, end to end").click()
    page.wait_for_load_state()
    assert page.url.endswith("notebooks/10_capstone_emotion_cnn.html")
    assert _images_loaded(page, 4) >= 4  # curves, confusion matrices, mistakes, Grad-CAM
    toc = page.locator("#pst-page-toc-nav")
    assert toc.is_visible() and toc.locator("a").count() >= 10
    toc.get_by_text("Training with callbacks").click()  # the in-page contents jump to a section
    page.wait_for_function("location.hash.length > 1")
    section = page.locator(page.evaluate("location.hash"))
    assert section.is_visible() and "Training with callbacks" in section.locator("h2").first.inner_text()
    page.screenshot(path=ARTEFACTS / "site_notebook_10.png")
    page.click("a.right-next")
    page.wait_for_load_state()
    assert page.url.endswith("notebooks/11_realtime_emotion_detection.html")
    assert failed == []
    page.close()


def test_site_search_finds_a_word_and_lands_on_its_notebook(browser, built_site):
    failed = []
    page = _offline_page(browser, failed)
    page.goto((built_site / "index.html").as_uri())
    page.keyboard.press("Control+k")  # the theme's search dialog, as its button says
    page.keyboard.type("equalizeHist")  # taught only in notebook 02
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li a", timeout=30_000)
    results = page.locator("#search-results li")
    assert results.count() == 1
    assert results.first.locator("p.context").inner_text().count("equalizeHist") >= 1  # context, offline
    page.screenshot(path=ARTEFACTS / "site_search.png")
    results.first.locator("a").click()
    page.wait_for_load_state()
    assert page.url.split("?")[0].endswith("notebooks/02_cv2_opencv.html")
    assert "cv2" in page.inner_text("h1")
    assert failed == []  # nothing was fetched that the offline site does not have
    page.close()


def test_slide_deck_runs_offline(browser, tmp_path):
    (deck,) = slides.export([config.NOTEBOOKS_DIR / "04_numpy.ipynb"], ARTEFACTS / "slides")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(deck.as_uri())
    page.wait_for_selector(".reveal.ready", timeout=30_000)  # reveal.js adds "ready" once initialised
    assert page.locator(".reveal .slides > section").count() >= 8
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    assert page.evaluate("location.hash") not in ("", "#/")  # the keys moved the deck on
    page.screenshot(path=ARTEFACTS / "slides_04.png")
    assert [u for u in failed if not u.startswith("file:")] == [] and failed == []
    # no code or output line is cut off at the slide's edge: each fits, or scrolls sideways
    cut_off = page.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides pre')].filter(pre => {
            const style = getComputedStyle(pre);
            return pre.scrollWidth > pre.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX);
        }).map(pre => pre.textContent.slice(0, 60))"""
    )
    assert cut_off == []
    page.goto(deck.as_uri() + "#/" + str(_slide_index(page, "From faces to a batch")))
    page.wait_for_timeout(800)
    page.screenshot(path=ARTEFACTS / "slides_04_batch.png")
    page.close()


def _slide_index(page, heading: str) -> int:
    """The horizontal index of the deck's slide whose heading starts with ``heading``."""
    return page.evaluate(
        """(heading) => [...document.querySelectorAll('.reveal .slides > section')].findIndex(
            s => [...s.querySelectorAll('h2, h3')].some(h => h.textContent.trim().startsWith(heading)))""",
        heading,
    )


@pytest.fixture(scope="module")
def camera_browser(playwright, chromium_path):
    """Chromium with a fake camera that films the course's demo video (converted to Y4M), and
    permission granted without a prompt."""
    from helpers import video

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    frames = list(video.read_frames(video.open_video(video.make_demo_video(video.demo_video_path()))))
    camera_file = video.write_y4m(ARTEFACTS / "fake_camera.y4m", frames[30:], fps=15)  # the synthetic pairs
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_file}",
    ]
    chromium = playwright.chromium.launch(executable_path=chromium_path, args=args)
    yield chromium
    chromium.close()


def _widget_notebook(name: str, *sources: str) -> str:
    """A notebook of code cells (the course's kernel) written under build/browser/webcam/; its
    path relative to the course folder, which JupyterLab serves."""
    import nbformat

    folder = ARTEFACTS / "webcam"
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (emotion course)",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, folder / name)
    return (folder / name).relative_to(config.ROOT).as_posix()


def _webcam_notebook() -> str:
    """A two-cell notebook with the webcam widget (the reference model behind it)."""
    return _widget_notebook(
        "webcam_test.ipynb",
        "from helpers import detector, reference, webcam\n"
        "emotions = detector.EmotionDetector(reference.load_reference_model(), detect_every=3)\n"
        "cam = webcam.WebcamWidget(webcam.annotator(emotions))\n"
        "cam",
        "import time\n"
        "print('kernel saw', cam.frames, 'frames; last:', cam.last_text, '| camera_on', cam.camera_on,"
        " time.monotonic_ns())",
    )


def _recording_notebook(root) -> str:
    """A one-cell notebook with notebook 12's recording widget, writing a session into root."""
    return _widget_notebook(
        "recording_test.ipynb",
        "from helpers import my_faces\n"
        f"rec = my_faces.recording_widget({str(root)!r}, 'browser', takes=2, frames_per_take=1, pace=0.2, "
        "countdown=0.5, rest=0.2)\n"
        "rec",
    )


def _run_webcam_cell(browser, jupyterlab, workspace: str, notebook: str | None = None):
    """Open the webcam notebook (or ``notebook``) in a workspace of its own, reset (only this
    notebook open, no tabs restored from earlier runs), and run its widget cell; return the page
    and its cells."""
    url, token = jupyterlab
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    notebook = notebook or _webcam_notebook()
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?token={token}&reset")
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cells.first.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # the kernel starts
    cells.nth(0).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    return page, cells


def test_the_webcam_widget_annotates_a_browser_camera_and_releases_it(camera_browser, jupyterlab):
    page, cells = _run_webcam_cell(camera_browser, jupyterlab, "webcam-test")
    page.wait_for_selector(".course-webcam button:has-text('Start camera')", timeout=120_000).click()
    page.wait_for_function(
        "() => { const s = document.querySelector('.course-webcam-stats');"
        " return s && parseFloat(s.dataset.fps || '0') > 0; }",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => { const i = document.querySelector('.course-webcam-view'); return i && i.naturalWidth === 640; }",
        timeout=30_000,
    )
    page.wait_for_timeout(5000)  # a few more frames; the figures below cover the last 3 seconds
    status = page.inner_text(".course-webcam-status")
    stats = page.inner_text(".course-webcam-stats")
    page.screenshot(path=ARTEFACTS / "webcam_widget.png")
    # the widget's rate and round trip on the demo video, for `course.py bench` (a figure, not a test)
    rate = {
        "date": time.strftime("%Y-%m-%d"),
        "frames_per_s": float(page.get_attribute(".course-webcam-stats", "data-fps")),
        "round_trip_ms": float(page.get_attribute(".course-webcam-stats", "data-round-trip")),
        "max_fps": WebcamWidget.max_fps.default_value,
        "camera": "Chromium's fake camera playing the demo video at 15 frames/s",
    }
    (ARTEFACTS / "webcam_rate.json").write_text(json.dumps(rate, indent=1))
    print(f"webcam widget: {rate['frames_per_s']:.1f} frames/s, round trip {rate['round_trip_ms']:.0f} ms")
    assert any(
        name in status for name in ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
    ), status
    assert float(page.get_attribute(".course-webcam-stats", "data-fps")) > 0, stats
    assert page.get_attribute(".course-webcam", "data-live-tracks") == "1"

    page.click(".course-webcam button:has-text('Stop')")
    page.wait_for_function(
        "() => document.querySelector('.course-webcam').dataset.liveTracks === '0'", timeout=10_000
    )
    assert "released" in page.inner_text(".course-webcam-status")
    # the next cell: what the kernel saw. Widget state reaches the kernel a moment after the
    # click (ipywidgets sends one state update at a time), so ask again until it has arrived;
    # the cell prints a clock reading, so each run's output differs from the last.
    printed, output = cells.nth(1).locator(".jp-OutputArea-output"), ""
    for _ in range(10):
        cells.nth(1).locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_function(
            "(previous) => { const cell = document.querySelectorAll("
            "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')[1];"
            " const out = cell && cell.querySelector('.jp-OutputArea-output');"
            " return out && out.textContent !== previous; }",
            arg=output,
            timeout=30_000,
        )
        output = printed.inner_text()
        if "camera_on False" in output:
            break
        page.wait_for_timeout(1000)
    page.screenshot(path=ARTEFACTS / "webcam_widget_stopped.png")
    frames = int(output.split("kernel saw", 1)[1].split()[0])
    assert frames >= 2 and "camera_on False" in output, output

    # started again, then the cell re-run: the old view goes, and takes the camera with it
    page.click(".course-webcam button:has-text('Start camera')")
    page.wait_for_function("() => window.courseWebcamLiveTracks === 1", timeout=30_000)
    cells.nth(0).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("() => window.courseWebcamLiveTracks === 0", timeout=60_000)
    page.wait_for_selector(".course-webcam button:has-text('Start camera'):not([disabled])", timeout=60_000)
    page.close()


def test_the_webcam_widget_says_so_when_the_browser_has_no_camera(browser, jupyterlab):
    """Plain headless Chromium: no camera, no permission. The widget must say what happened and
    point to the demo video, and hold no camera."""
    page, _ = _run_webcam_cell(browser, jupyterlab, "webcam-none")
    page.wait_for_selector(".course-webcam button:has-text('Start camera')", timeout=120_000).click()
    page.wait_for_function(
        "() => (document.querySelector('.course-webcam-status') || {}).textContent.includes('demo video')",
        timeout=30_000,
    )
    status = page.inner_text(".course-webcam-status")
    page.screenshot(path=ARTEFACTS / "webcam_widget_no_camera.png")
    assert "camera" in status and page.get_attribute(".course-webcam", "data-live-tracks") != "1", status
    assert page.evaluate("window.courseWebcamLiveTracks || 0") == 0
    page.close()


@pytest.fixture(scope="module")
def one_face_camera_browser(playwright, chromium_path):
    """Chromium with a fake camera that films one real face (the demo video's astronaut part)."""
    from helpers import video

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    frames = list(video.read_frames(video.open_video(video.make_demo_video(video.demo_video_path()))))
    camera_file = video.write_y4m(ARTEFACTS / "fake_camera_one_face.y4m", frames[:30], fps=15)
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={camera_file}",
    ]
    chromium = playwright.chromium.launch(executable_path=chromium_path, args=args)
    yield chromium
    chromium.close()


def test_the_recording_widget_records_a_session_and_frees_the_camera(one_face_camera_browser, jupyterlab):
    """Notebook 12's recording mode, driven through the browser's (fake) camera: the session folder
    appears with FER2013's layout, the expected counts and its JSON, and the camera is released."""
    import shutil

    from helpers import data, my_faces

    root = ARTEFACTS / "my_faces"
    shutil.rmtree(root, ignore_errors=True)  # the test's own folder, from an earlier run
    page, _ = _run_webcam_cell(
        one_face_camera_browser, jupyterlab, "recording-test", _recording_notebook(root)
    )
    page.wait_for_selector(".course-webcam button:has-text('Start camera')", timeout=120_000).click()
    page.wait_for_function(
        "() => (document.querySelector('.course-webcam-status') || {}).textContent.includes('session saved to')",
        timeout=120_000,
    )
    page.wait_for_function(
        "() => document.querySelector('.course-webcam').dataset.liveTracks === '0'", timeout=10_000
    )
    page.screenshot(path=ARTEFACTS / "recording_widget_done.png")
    page.close()
    assert my_faces.sessions(root) == [root / "browser"] and not list(root.glob(".*incomplete"))
    info = my_faces.session_info(root / "browser")
    assert info["source"] == "browser camera" and info["camera"] == [320, 240]
    assert all(info["frames"][name]["kept"] == 2 for name in data.CLASS_NAMES), info["frames"]
    assert sorted(p.name for p in (root / "browser").iterdir()) == sorted([*data.CLASS_NAMES, "session.json"])
    faces = my_faces.load_session(root / "browser")
    assert faces.images.shape == (14, 48, 48) and faces.labels.tolist() == [
        c for c in range(7) for _ in range(2)
    ]
