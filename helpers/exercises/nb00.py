"""Exercises of notebook 00 (set-up and course map)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from helpers.data import ALPHABETICAL_NAMES, CLASS_NAMES, FER2013_TRAIN_COUNTS, FaceSplit
from helpers.exercises import Exercise, call, close, is_close


def _solution_rare_share():
    from helpers.data import FER2013_TRAIN_COUNTS

    # the part over the whole: the disgust faces out of all the training faces, every class added up
    return FER2013_TRAIN_COUNTS["disgust"] / sum(FER2013_TRAIN_COUNTS.values())


rare_share = Exercise(
    key="00.1",
    title="how rare is disgust?",
    test=is_close(FER2013_TRAIN_COUNTS["disgust"] / sum(FER2013_TRAIN_COUNTS.values()), tol=1e-4),
    hints=(
        "A share is a part divided by the whole: which two numbers does `data.FER2013_TRAIN_COUNTS` give you for that?",
        "The usual slip is the whole: it is every training face, all seven counts added up, not the number "
        "of classes and not the count of one other class.",
    ),
    solution=_solution_rare_share,
    wrong_answers=[1 / 7, 436, 436 / 7215],
    other_answers=[np.float64(436 / 28709), Fraction(436, 28709)],
)


def _test_alpha_to_fer(fn):
    for alpha_label, name in enumerate(ALPHABETICAL_NAMES):
        got = call(fn, alpha_label)
        want = CLASS_NAMES.index(name)
        if got != want:
            return (
                f"alphabetical label {alpha_label} is '{name}', which is {want} in FER2013's "
                f"order, but your function returned {got!r}"
            )
    return None


def _solution_alpha_to_fer():
    from helpers.data import ALPHABETICAL_NAMES, CLASS_NAMES

    def alpha_to_fer(alpha_label):
        # the name is what both numberings agree on: go from one number to the name, then to the other
        name = ALPHABETICAL_NAMES[alpha_label]  # what the folder loader meant
        return CLASS_NAMES.index(name)  # the same class in FER2013's numbering

    return alpha_to_fer


alpha_to_fer = Exercise(
    key="00.2",
    title="map a folder loader's label to FER2013's",
    test=_test_alpha_to_fer,
    hints=(
        "The two loaders number the same classes differently; the class's *name* is what they agree on.",
        "The two lists hold the same seven names in different orders, so one number means one name in one "
        "list and another name in the other. The usual slip is using the number in the list it does not "
        "belong to: go through the name.",
    ),
    solution=_solution_alpha_to_fer,
    wrong_answers=[lambda label: label, lambda label: 6 - label],
    other_answers=[
        lambda label: [CLASS_NAMES.index(n) for n in ALPHABETICAL_NAMES][label],
        lambda label: {i: CLASS_NAMES.index(n) for i, n in enumerate(ALPHABETICAL_NAMES)}[label],
    ],
)


def _test_share_of(fn):
    labels = np.array([3, 3, 3, 6, 1, 3, 6, 0])
    split = FaceSplit(images=np.zeros((len(labels), 48, 48), np.uint8), labels=labels)
    for name, want in (("happy", 0.5), ("neutral", 0.25), ("disgust", 0.125), ("sad", 0.0)):
        got = call(fn, split, name)
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
    ],
    other_answers=[
        lambda split, name: float(np.mean(split.labels == CLASS_NAMES.index(name))),
        lambda split, name: split.counts()[name] / len(split),
    ],
)
