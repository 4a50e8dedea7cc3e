"""ruff (configured in pyproject.toml) finds nothing in the course's Python code."""

from __future__ import annotations

import subprocess
import sys

from helpers import config


def test_ruff_check_is_clean():
    paths = ["helpers", "coursebuild", "tests", "tests_browser", "conftest.py", "course.py"]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", *paths], cwd=config.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
