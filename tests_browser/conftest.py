"""What the browser tests need beyond the Python packages: a Chromium.

COURSE_CHROMIUM, or Debian's ``chromium`` package, which is installed with apt-get when the
tests run as root (CI does); Playwright's own browser download is never used. Without one,
the tests fail (not skip) with what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def find_chromium() -> str | None:
    return os.environ.get("COURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def install_chromium() -> None:
    """Debian's chromium with apt-get, when this process may (root, apt-get present)."""
    if not (shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0):
        return
    print("installing Debian's chromium for the browser tests (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium"]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)  # stale lists
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if not path:
        install_chromium()
        path = find_chromium()
    if not path:
        pytest.fail(
            "No Chromium found: install Debian's package (sudo apt-get install chromium) "
            "or set COURSE_CHROMIUM to a Chrome/Chromium executable."
        )
    return path
