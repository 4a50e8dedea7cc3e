"""Exercises of notebook 00 (set-up and course map)."""

from __future__ import annotations

import numpy as np

from helpers.data import ALPHABETICAL_NAMES, CLASS_NAMES, FER2013_TRAIN_COUNTS, FaceSplit
from helpers.exercises import Exercise, call, close, is_close


def _solution_rare_share():
    from helpers.data import FER2013_TRAIN_COUNTS

    return FER2013_TRAIN_COUNTS["disgust"] / sum(FER2013_TRAIN_COUNTS.values())


rare_share = Exercise(
    key="00.1",
    title="how rare is disgust?",
    test=is_close(FER2013_TRAIN_COUNTS["disgust"] / sum(FER2013_TRAIN_COUNTS.values()), tol=1e-4),
    hint="divide the disgust count by the total of all seven counts in data.FER2013_TRAIN_COUNTS.",
    solution=_solution_rare_share,
    wrong_answers=[1 / 7, 436, 436 / 7215],
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
        name = ALPHABETICAL_NAMES[alpha_label]  # what the folder loader meant
        return CLASS_NAMES.index(name)  # the same class in FER2013's numbering

    return alpha_to_fer


alpha_to_fer = Exercise(
    key="00.2",
    title="map a folder loader's label to FER2013's",
    test=_test_alpha_to_fer,
    hint="go through the class *name*: ALPHABETICAL_NAMES[label] names the class, "
    "CLASS_NAMES.index(name) gives its FER2013 number.",
    solution=_solution_alpha_to_fer,
    wrong_answers=[lambda label: label, lambda label: 6 - label],
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
    import numpy as np

    from helpers.data import CLASS_NAMES

    def share_of(split, name):
        label = CLASS_NAMES.index(name)
        return float(np.mean(split.labels == label))

    return share_of


share_of = Exercise(
    key="00.3",
    title="the share of one class in a split",
    test=_test_share_of,
    hint="split.labels is an array of FER2013 numbers; compare it with CLASS_NAMES.index(name) "
    "and take the mean of the True/False result.",
    solution=_solution_share_of,
    wrong_answers=[
        lambda split, name: int(np.sum(split.labels == CLASS_NAMES.index(name))),
        lambda split, name: float(np.mean(split.labels == ALPHABETICAL_NAMES.index(name))),
    ],
)
