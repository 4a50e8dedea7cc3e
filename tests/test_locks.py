"""The lock files: every package of the resolved set pinned with its hashes, in agreement with
the direct pins in requirements*.txt (refreshed by `python3 course.py lock`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import config, envcheck

LOCK_OF = {
    "requirements.txt": "requirements.lock",
    "requirements-nodeps.txt": "requirements-nodeps.lock",
    "requirements-dev.txt": "requirements-dev.lock",
}


def read_lock(path: Path) -> dict[str, list[str]]:
    """``{name: [versions]}`` of a lock (a universal lock may pin two versions of one package,
    each for other Pythons), checking that every pin carries at least one hash."""
    text = path.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2] if text.startswith("#") else text)
    pins: dict[str, list[str]] = {}
    for entry in entries:
        if entry.startswith("#") or not entry.strip():
            continue
        match = re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", entry)
        assert match, f"{path.name}: not a pin: {entry.splitlines()[0]!r}"
        assert "--hash=sha256:" in entry, f"{path.name}: {match.group(1)} has no hash"
        pins.setdefault(canonical(match.group(1)), []).append(match.group(2))
    return pins


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("requirements", list(LOCK_OF))
def test_every_direct_pin_is_locked_at_the_same_version(requirements):
    locked = read_lock(config.ROOT / LOCK_OF[requirements])
    pins = envcheck.read_pins(config.ROOT / requirements)
    assert pins, requirements
    for name, version in pins.items():
        assert locked.get(canonical(name)) == [version], (
            f"{requirements} pins {name}=={version}, {LOCK_OF[requirements]} has {locked.get(canonical(name))}: "
            "run `python3 course.py lock`"
        )


def test_the_reference_models_package_is_locked_alone():
    # installed with --no-deps: its lock must not pull in what it declares (PyTorch, ...)
    assert list(read_lock(config.ROOT / "requirements-nodeps.lock")) == ["fer"]


def test_the_maintainers_lock_agrees_with_the_learners():
    # installed on top of the learner's set: a package in both must have one version
    learner = read_lock(config.ROOT / "requirements.lock")
    dev = read_lock(config.ROOT / "requirements-dev.lock")
    clashes = {n: (learner[n], dev[n]) for n in learner.keys() & dev.keys() if learner[n] != dev[n]}
    assert not clashes
    maintainer_tools = {canonical(n) for n in envcheck.read_pins(config.ROOT / "requirements-dev.txt")}
    assert not maintainer_tools & learner.keys()  # a learner installs none of them


def test_set_up_and_conda_install_the_locks():
    course = (config.ROOT / "course.py").read_text()
    for lock in LOCK_OF.values():
        assert f'"{lock}"' in course
    conda = (config.ROOT / "environment.yml").read_text()
    assert "-r requirements.lock" in conda
