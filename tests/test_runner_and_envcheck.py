"""coursebuild.runner (headless execution) and helpers.envcheck (the environment report)."""

from __future__ import annotations

import io

import nbformat
import pytest

from coursebuild import runner
from coursebuild.notebooks import find_notebooks
from helpers import envcheck


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
    with pytest.raises(SystemExit, match="No notebook matches '7'"):
        find_notebooks(["7"], folder=tmp_path)


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
    assert any(line.startswith("  00_demo.ipynb  cell 1/2  0:0") for line in lines)  # cell of how many, time
    assert lines[-1].startswith("  00_demo.ipynb  cell 2/2  0:0")
    assert lines[-1].endswith("| Epoch 2/2 - loss: 0.5")  # the last line the cell printed


def test_progress_on_a_terminal_redraws_one_line():
    screen = io.StringIO()
    with runner.Progress("10_capstone.ipynb", 61, stream=screen, tty=True, width=70) as progress:
        progress.cell_started(23)
        progress.printed(
            "Epoch 5/15\n90/90 - 19s - 207ms/step - accuracy: 0.6123 - loss: 1.0456 - val_accuracy: 0.5\n"
        )
    updates = screen.getvalue().split("\r\x1b[K")
    assert "\n" not in screen.getvalue()  # redrawn in place, never scrolled
    assert updates[-1] == ""  # and cleared at the end for the result line
    last = updates[-2]
    assert last.startswith("  10_capstone.ipynb  cell 23/61  0:00  | 90/90 - 19s") and len(last) == 69


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
