"""coursebuild.runner (headless execution) and helpers.envcheck (the environment report)."""

from __future__ import annotations

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


def test_execute_and_stamp(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 6 * 7\nx"), nbformat.v4.new_code_cell("print(x + 1)")]
    )
    path = tmp_path / "00_demo.ipynb"
    nbformat.write(nb, path)
    done = runner.execute(path)
    runner.stamp(done, "full")
    assert [c.execution_count for c in done.cells] == [1, 2]
    assert done.cells[0].outputs[0]["data"]["text/plain"] == "42"
    assert done.cells[1].outputs[0]["text"] == "43\n"
    assert done.metadata["course"] == {"executed_mode": "full"}


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
