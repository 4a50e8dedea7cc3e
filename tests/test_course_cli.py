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


def fake_course(tmp_path, monkeypatch):
    """course.py working in tmp_path, with its files copied there and pip replaced by a list."""
    course = load_course()
    names = [lock for lock, _ in course.LEARNER_LOCKS + course.DEV_LOCKS] + [
        "pyproject.toml",
        course.LAB_SETTINGS,
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((config.ROOT / name).read_text())
    fake_python = tmp_path / ".venv" / "bin" / "python"
    fake_python.parent.mkdir(parents=True)
    fake_python.write_text("")
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(course, "PY", fake_python)
    monkeypatch.setattr(course, "STAMP", tmp_path / ".venv" / ".course-installed")
    monkeypatch.setattr(course, "DEV_STAMP", tmp_path / ".venv" / ".course-installed-dev")
    installs = []
    monkeypatch.setattr(course, "run", lambda cmd, **kw: installs.append([str(c) for c in cmd]))
    return course, installs


def test_setup_installs_the_learners_lock_once(tmp_path, monkeypatch, capsys):
    course, installs = fake_course(tmp_path, monkeypatch)
    course.setup()  # first time: installs and writes the stamp
    assert len(installs) == 4 and course.STAMP.is_file()
    pip = installs[0]
    assert pip[-2:] == ["-r", "requirements.lock"] and "--require-hashes" in pip  # every package as locked
    assert "-q" not in pip and "--progress-bar=off" in pip  # pip's own progress, plain in a log
    # the reference model's package, without the heavy dependencies it declares
    assert installs[1][-2:] == ["-r", "requirements-nodeps.lock"] and "--no-deps" in installs[1]
    assert "--no-deps" not in installs[0]
    assert not any("requirements-dev.lock" in cmd for cmd in installs)  # no maintainer tool
    locked = course.locked_count("requirements.lock")
    assert f"installing the course's {locked} locked packages" in capsys.readouterr().out and locked > 100
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
    course.main(["setup", "--force"])  # a package changed by hand: put the locked ones back
    assert len(installs) == 8
    installs[4:] = []
    (tmp_path / "requirements.lock").write_text("numpy==2.4.6 --hash=sha256:00  # changed\n")
    course.setup()  # a changed lock installs again
    assert len(installs) == 8


def test_only_the_maintainers_commands_install_their_tools(tmp_path, monkeypatch):
    course, installs = fake_course(tmp_path, monkeypatch)
    monkeypatch.setattr(course, "in_venv", lambda args, env=None: 0)
    text, dev, _ = course.COMMANDS["lab"]
    monkeypatch.setitem(course.COMMANDS, "lab", (text, dev, lambda rest: 0))  # no JupyterLab here
    dev_installs = lambda: sum("requirements-dev.lock" in cmd for cmd in installs)  # noqa: E731
    for command in ("lab", "setup", "run", "live", "bench", "editions", "outputs", "get-fer2013"):
        assert course.main([command]) == 0
    assert dev_installs() == 0
    course.main(["test"])
    assert dev_installs() == 1 and course.DEV_STAMP.is_file()
    for command in ("test", "test-browser", "site", "slides"):
        assert course.main([command]) == 0
    assert dev_installs() == 1  # installed once, then up to date
    (tmp_path / "requirements.lock").write_text("numpy==2.4.6 --hash=sha256:00  # changed\n")
    course.main(["site"])  # the dev lock was made against the learner's: both go again
    assert dev_installs() == 2


def test_ci_runs_the_readme_test_command():
    ci = (config.ROOT / ".ci" / "run").read_text()
    readme = (config.ROOT / "README.md").read_text()
    assert "python3 course.py test" in ci and "python3 course.py test" in readme
    assert "python3 course.py test-browser" in ci and "python3 course.py test-browser" in readme


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
    monkeypatch.setattr(course, "setup", lambda dev=False, force=False: None)
    calls = []
    monkeypatch.setattr(course, "in_venv", lambda args, env=None: calls.append(args) or 0)
    assert course.main(["live", "--demo"]) == 0
    assert course.main(["bench", "--skip-notebooks"]) == 0
    assert course.main(["editions"]) == 0
    assert course.main(["slides", "04"]) == 0
    assert course.main(["site"]) == 0
    assert course.main(["get-fer2013", "--from", "fer2013.zip"]) == 0
    assert course.main(["test-browser", "-x"]) == 0
    assert calls == [
        ["-m", "helpers.live", "--demo"],
        ["-m", "coursebuild.bench", "--skip-notebooks"],
        ["-m", "coursebuild.editions"],
        ["-m", "coursebuild.slides", "export", "04"],
        ["-m", "coursebuild.site"],
        ["-m", "coursebuild.fer2013", "--from", "fer2013.zip"],
        ["-m", "pytest", "-o", "addopts=-p no:cacheprovider", "tests_browser", "-x"],
    ]
    readme = (config.ROOT / "README.md").read_text()
    for command in course.COMMANDS:  # every command is in the README and in `help`
        assert f"python3 course.py {command}" in readme or command == "lab"
        assert f"\n  {command} " in course.usage()
