"""Exercises of notebook 00 (set-up and course map)."""

from __future__ import annotations

import numpy as np

from helpers.data import ALPHABETICAL_NAMES, CLASS_NAMES, FER2013_TRAIN_COUNTS, FaceSplit
from helpers.exercises import Exercise, _short, call, close


def _test_rarer_than_even(fn):
    fer = dict(FER2013_TRAIN_COUNTS)
    cases = [
        (fer, "FER2013's training counts"),
        ({"happy": 500, "sad": 300, "neutral": 200}, "a data set that keeps three emotions"),
        ({"happy": 40, "sad": 25, "neutral": 25, "fear": 10}, "four classes, two of them exactly even"),
        ({"happy": 6, "sad": 6}, "two balanced classes"),
    ]
    for counts, what in cases:
        total, even = sum(counts.values()), 1 / len(counts)
        want = [name for name, n in counts.items() if n / total < even]
        got = call(fn, dict(counts))
        if not isinstance(got, list | tuple | set):
            return f"expected a list of class names, got {type(got).__name__} {_short(got)}"
        if sorted(map(str, got)) == sorted(want):  # in any order
            continue
        shown = ", ".join(f"{name} {n / total:.2%}" for name, n in counts.items())
        if what.startswith("FER2013") and "fear" not in got and "fear" in want:
            return (
                f"fear holds {counts['fear']:,} of {total:,} faces, {counts['fear'] / total:.2%}: just below "
                f"an even {even:.2%} (1/7), though both print as 14.3%; your function returned {got!r}"
            )
        return (
            f"for {what} ({shown}) an even share is 1/{len(counts)} = {even:.2%}, so the classes below it "
            f"are {want}; your function returned {got!r}"
        )
    return None


def _solution_rarer_than_even():
    def rarer_than_even(counts):
        total = sum(counts.values())  # the whole: every face, all the classes added up
        # balanced classes would share the faces equally: 1/7 each for FER2013's seven, but 1/3
        # each for a data set that keeps three emotions, so the number comes from the dict
        even = 1 / len(counts)
        # strictly below, and on the exact shares: a class at the even share is not rarer than it,
        # and fear's 14.27 % is below 1/7 although both round to 14.3 %
        return [name for name, n in counts.items() if n / total < even]

    return rarer_than_even


rarer_than_even = Exercise(
    key="00.1",
    title="which classes are rarer than an even share?",
    test=_test_rarer_than_even,
    hints=(
        "For each class, compare two shares: its count out of all the faces, and the share every class "
        "would hold if the classes were balanced.",
        "Answers usually go wrong at the even share. There are as many classes as the dict has names, "
        "not always seven. A class exactly at the even share is not below it. And compare the exact "
        "shares, not rounded percentages: fear's 14.27 % and 1/7 both print as 14.3 %.",
    ),
    solution=_solution_rarer_than_even,
    wrong_answers=[
        lambda counts: [n for n, c in counts.items() if c / sum(counts.values()) < 1 / 7],  # always seven
        lambda counts: [  # the printed, rounded percentages
            n for n, c in counts.items() if round(c / sum(counts.values()), 3) < round(1 / len(counts), 3)
        ],
        lambda counts: [n for n, c in counts.items() if c / sum(counts.values()) <= 1 / len(counts)],
        lambda counts: {n: c / sum(counts.values()) for n, c in counts.items()},  # the shares, not the names
    ],
    other_answers=[
        lambda counts: [n for n, c in counts.items() if c * len(counts) < sum(counts.values())],
        lambda counts: tuple(n for n in sorted(counts) if counts[n] < np.mean(list(counts.values()))),
    ],
)


def _test_fer_labels_for(fn):
    cases = (
        (list(ALPHABETICAL_NAMES), "all seven folders, in alphabetical order"),
        (
            ["sad", "angry", "neutral", "happy", "fear", "surprise", "disgust"],
            "all seven folders, listed in any order",
        ),
        (["angry", "fear", "happy", "neutral", "sad", "surprise"], "six folders: a copy without disgust"),
        (["surprise", "happy"], "two folders"),
    )
    for folders, what in cases:
        want = [CLASS_NAMES.index(name) for name in sorted(folders)]
        got = call(fn, list(folders))
        try:
            got = [int(v) for v in got]
        except (TypeError, ValueError):
            return f"return a list of FER2013 labels, one per loader label; your function returned {got!r}"
        if got != want:
            return (
                f"for {what}, {folders}, the loader's labels 0, 1, ... stand for {sorted(folders)}, so FER2013's "
                f"labels are {want}; your function returned {got}"
            )
    return None


def _solution_fer_labels_for():
    from helpers.data import CLASS_NAMES

    def fer_labels_for(folders):
        # the loader numbers the folders it found in alphabetical order: its label i is the i-th name
        loader_order = sorted(folders)
        # the name is what both numberings agree on: look each one up in FER2013's order
        return [CLASS_NAMES.index(name) for name in loader_order]

    return fer_labels_for


fer_labels_for = Exercise(
    key="00.2",
    title="FER2013's labels for the folders a loader found",
    test=_test_fer_labels_for,
    hints=(
        "A folder loader numbers only the folders it finds, in alphabetical order; the class's *name* is what "
        "both numberings agree on.",
        "The usual slip is the table above: it holds for all seven folders, but with one folder missing every "
        "later name moves up one place in the loader's order. Number the names the loader found, not all seven.",
    ),
    solution=_solution_fer_labels_for,
    wrong_answers=[
        lambda folders: [CLASS_NAMES.index(n) for n in folders],  # not sorted: the order they were listed in
        lambda folders: [CLASS_NAMES.index(n) for n in ALPHABETICAL_NAMES][
            : len(folders)
        ],  # the 7-folder table
        lambda folders: [
            ALPHABETICAL_NAMES.index(n) for n in sorted(folders)
        ],  # the loader's numbering again
        lambda folders: sorted(CLASS_NAMES.index(n) for n in folders),  # sorted by FER2013 label, not by name
    ],
    other_answers=[
        lambda folders: list(_via_to_fer_labels(sorted(folders))),
        lambda folders: [{n: i for i, n in enumerate(CLASS_NAMES)}[n] for n in sorted(folders)],
    ],
)


def _via_to_fer_labels(class_names):
    """to_fer_labels of the loader's labels 0..k-1: another way a learner may answer."""
    from helpers.data import to_fer_labels

    return to_fer_labels(list(range(len(class_names))), class_names)


def _test_share_of(fn):
    labels = np.array([3, 3, 3, 6, 1, 3, 6, 0])
    split = FaceSplit(images=np.zeros((len(labels), 48, 48), np.uint8), labels=labels)
    for name, want in (("happy", 0.5), ("neutral", 0.25), ("disgust", 0.125), ("sad", 0.0)):
        got = call(fn, split, name)
        if want and close(got, want * 100):
            return (
                f"for a split with labels {labels.tolist()}, share_of(split, {name!r}) should be {want}, got {got!r}: "
                "a percentage; return the share as a fraction of 1 (0.5 for half)"
            )
        if not close(got, want):
            return f"for a split with labels {labels.tolist()}, share_of(split, {name!r}) should be {want}, got {got!r}"
    return None


def _solution_share_of():
    from helpers.data import CLASS_NAMES

    def share_of(split, name):
        label = CLASS_NAMES.index(name)  # the labels are FER2013's numbers, not names
        matches = sum(1 for each in split.labels if each == label)
        return matches / len(split.labels)  # a share: the count out of all the faces

    return share_of


share_of = Exercise(
    key="00.3",
    title="the share of one class in a split",
    test=_test_share_of,
    hints=(
        "`split.labels` holds FER2013 numbers, not names: turn the name into its number first.",
        "Two slips are common: looking the name up in the alphabetical list, though the labels use "
        "FER2013's numbering (`CLASS_NAMES`); and returning how many labels match instead of their share of "
        "all the labels.",
    ),
    solution=_solution_share_of,
    wrong_answers=[
        lambda split, name: int(np.sum(split.labels == CLASS_NAMES.index(name))),
        lambda split, name: float(np.mean(split.labels == ALPHABETICAL_NAMES.index(name))),
        lambda split, name: 100 * float(np.mean(split.labels == CLASS_NAMES.index(name))),  # a percentage
    ],
    other_answers=[
        lambda split, name: float(np.mean(split.labels == CLASS_NAMES.index(name))),
        lambda split, name: split.counts()[name] / len(split),
    ],
)
