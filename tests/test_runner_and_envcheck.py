"""coursebuild.runner (headless execution) and helpers.envcheck (the environment report)."""

from __future__ import annotations

import io
import re

import nbformat
import pytest

from coursebuild import runner
from coursebuild.notebooks import find_notebooks
from helpers import config, envcheck


def test_find_notebooks_by_number_and_prefix(tmp_path):
    for name in ("00_setup.ipynb", "01_os.ipynb", "10_capstone.ipynb", "notes.ipynb"):
        (tmp_path / name).write_text("{}")
    names = lambda paths: [p.name for p in paths]  # noqa: E731
    assert names(find_notebooks(folder=tmp_path)) == [
        "00_setup.ipynb",
        "01_os.ipynb",
        "10_capstone.ipynb",
    ]
    assert names(find_notebooks(["1"], folder=tmp_path)) == ["01_os.ipynb"]
    assert names(find_notebooks(["10_cap", "00"], folder=tmp_path)) == [
        "10_capstone.ipynb",
        "00_setup.ipynb",
    ]
    with pytest.raises(ValueError, match="No notebook matches '7'"):
        find_notebooks(["7"], folder=tmp_path)


def test_a_command_given_a_notebook_that_does_not_exist_says_so_and_exits_2(capsys):
    assert runner.main(["run", "99"]) == 2
    err = capsys.readouterr().err
    assert "No notebook matches '99'" in err and "00_setup_and_course_map.ipynb" in err


def test_execute_and_stamp_with_progress_in_a_log(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# A short notebook"),
            nbformat.v4.new_code_cell("x = 6 * 7\nx"),
            nbformat.v4.new_code_cell(
                "print('Epoch 1/2 - loss: 0.9')\nprint('Epoch 2/2 - loss: 0.5')\nx + 1"
            ),
        ]
    )
    path = tmp_path / "00_demo.ipynb"
    nbformat.write(nb, path)
    log = io.StringIO()  # not a terminal, as in CI
    done = runner.execute(path, progress=runner.Progress(path.name, 2, stream=log, interval=0, heartbeat=600))
    runner.stamp(done, "full")
    assert [c.execution_count for c in done.cells[1:]] == [1, 2]
    assert done.cells[1].outputs[0]["data"]["text/plain"] == "42"
    assert done.cells[2].outputs[0]["text"] == "Epoch 1/2 - loss: 0.9\nEpoch 2/2 - loss: 0.5\n"
    assert done.metadata["course"] == {"executed_mode": "full"}
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and "\x1b" not in log.getvalue()  # one plain line per event
    assert lines[0] == "  00_demo.ipynb  starting the kernel  0:00"
    assert any(
        re.match(r"  00_demo.ipynb  cell 1/2  \d+:\d\d$", line) for line in lines
    )  # cell of how many, time
    assert re.match(
        r"  00_demo.ipynb  cell 2/2  \d+:\d\d  \| Epoch 2/2 - loss: 0.5$", lines[-1]
    )  # last line printed


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_in_a_log_is_throttled_with_a_heartbeat():
    clock, log = FakeClock(), io.StringIO()
    progress = runner.Progress(
        "10_capstone.ipynb", 61, stream=log, tty=False, interval=10, heartbeat=60, clock=clock
    )
    clock.now = 3
    progress.cell_started(1)  # too soon after the start: held back
    progress.cell_started(2)
    clock.now = 12
    progress.update(tick=True)  # the next tick shows the latest state, once
    clock.now = 13
    progress.cell_started(3)  # held back again ...
    progress.printed("Epoch 1/15\n")
    clock.now = 30
    progress.update(tick=True)  # ... until due
    clock.now = 80
    progress.update(tick=True)  # nothing new for 50 s: no line
    clock.now = 91
    progress.update(tick=True)  # 61 s of silence: a heartbeat line
    assert log.getvalue().splitlines() == [
        "  10_capstone.ipynb  cell 2/61  0:12",
        "  10_capstone.ipynb  cell 3/61  0:30  | Epoch 1/15",
        "  10_capstone.ipynb  cell 3/61  1:31  | Epoch 1/15",
    ]


def test_progress_on_a_terminal_redraws_one_line():
    clock, screen = FakeClock(), io.StringIO()
    progress = runner.Progress("10_capstone.ipynb", 61, stream=screen, tty=True, width=70, clock=clock)
    with progress:
        clock.now = 1
        progress.cell_started(23)
        clock.now = 2
        progress.printed(
            "Epoch 5/15\n90/90 - 19s - 207ms/step - accuracy: 0.6123 - loss: 1.0456 - val_accuracy: 0.5\n"
        )
    text = screen.getvalue()
    assert "\n" not in text and "\x1b" not in text  # redrawn in place with \r only, never scrolled
    updates = text.split("\r")
    assert updates[-1] == "" and updates[-2].strip() == ""  # blanked at the end for the result line
    last = updates[-3]
    assert last.startswith("  10_capstone.ipynb  cell 23/61  0:02  | 90/90 - 19s") and len(last) == 69


def test_last_line_is_what_a_terminal_would_show():
    assert runner.last_line("Epoch 1/3\nloss 0.9\n\n") == "loss 0.9"
    assert runner.last_line("1/90 [>....]\r90/90 [=====] done") == "90/90 [=====] done"  # \r redraws
    assert runner.last_line("\x1b[31mred\x1b[0m text") == "red text"  # colour codes dropped
    assert runner.last_line("50%\b\b\b100%") == "100%"  # backspaces erase
    assert runner.last_line("\n \n") == ""


def test_outputs_refuses_fast_mode():
    with pytest.raises(SystemExit, match="unset COURSE_FAST"):
        runner.main(["outputs", "00"])


def test_read_pins(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# comment\nnumpy==2.4.6   # arrays\nopencv-python==4.14.0.94\nloose>=1\n\n")
    assert envcheck.read_pins(req) == {"numpy": "2.4.6", "opencv-python": "4.14.0.94"}


def test_every_pin_has_a_reason():
    from helpers import config

    for line in (config.ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            assert "#" in line and line.split("#", 1)[1].strip(), f"no comment on: {line}"


def test_report_flags_missing_and_mismatched_packages(tmp_path, capsys):
    req = tmp_path / "requirements.txt"
    req.write_text("numpy==0.0.1\nno-such-package-xyz==1.0\n")
    checks = envcheck.check_environment(req)
    by_name = {c.name: c for c in checks}
    assert by_name["numpy"].status == "warn"
    assert by_name["no-such-package-xyz"].status == "error"
    assert "course.py setup" in by_name["no-such-package-xyz"].advice
    assert envcheck.report(checks) is False
    out = capsys.readouterr().out
    assert "FAIL  no-such-package-xyz" in out and "1 errors" in out


def test_this_environment_passes():
    checks = envcheck.check_environment()
    assert [c.name for c in checks if c.status == "error"] == []


def test_report_checks_the_reference_model_and_says_how_to_reinstall(monkeypatch):
    from helpers import reference
    from helpers.errors import ModelFileError

    names = {c.name: c for c in envcheck.check_environment()}
    assert names["fer"].status == "ok"  # the no-dependencies pin is checked too
    assert names["reference model (real FER2013)"].status == "ok"

    def missing():
        raise ModelFileError("The reference model is not installed ... python3 course.py setup")

    monkeypatch.setattr(reference, "weights_path", missing)
    check = {c.name: c for c in envcheck.check_environment()}["reference model (real FER2013)"]
    assert check.status == "error" and "course.py setup" in check.advice


def test_the_learners_report_checks_what_a_learner_installs_and_no_maintainer_tool():
    names = {c.name for c in envcheck.check_environment()}
    learner = envcheck.read_pins() | envcheck.read_pins(config.ROOT / "requirements-nodeps.txt")
    assert set(learner) <= names and {"tensorflow", "jupyterlab", "fer"} <= names
    maintainer = envcheck.read_pins(config.ROOT / "requirements-dev.txt")
    assert {"pytest", "sphinx", "playwright"} <= set(maintainer)
    assert not names & set(maintainer)  # a learner never has these: they must not show as missing
