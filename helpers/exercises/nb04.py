"""Exercises of notebook 04 (``numpy``)."""

from __future__ import annotations

import numpy as np

from helpers.data import CLASS_NAMES
from helpers.exercises import Exercise, call


def _faces(n: int, seed: int = 4) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    faces = [rng.integers(0, 256, size=(48, 48), dtype=np.uint8) for _ in range(n)]
    faces[0][0, 0], faces[0][0, 1] = 0, 255  # the full range is there
    return faces


def _test_to_batch(fn):
    for n in (5, 1):
        faces = _faces(n)
        got = call(fn, faces)
        if not isinstance(got, np.ndarray):
            return f"expected a NumPy array, got {type(got).__name__}"
        if got.shape != (n, 48, 48, 1):
            return f"{n} faces of 48x48 should give shape ({n}, 48, 48, 1); yours is {got.shape}"
        if got.dtype != np.float32:
            return f"the batch should be float32 (what Keras computes in, half the memory of float64); yours is {got.dtype}"
        want = np.stack(faces).astype(np.float32)[..., None] / 255
        if not np.allclose(got, want, atol=1e-6):
            return (
                f"values should run from 0.0 to 1.0 (pixel / 255); yours run from {got.min()} to {got.max()}"
            )
    return None


def _solution_to_batch():
    import numpy as np

    def to_batch(faces):
        # float32 before dividing: uint8 divided by 255 would give float64, twice the memory of
        # float32, the type Keras computes in
        batch = np.stack(faces).astype(np.float32) / 255  # (N, 48, 48), values 0..1
        return batch[..., np.newaxis]  # (N, 48, 48, 1): Conv2D wants a channel axis, last

    return to_batch


to_batch = Exercise(
    key="04.1",
    title="faces to a batch a CNN takes",
    test=_test_to_batch,
    hints=(
        "A batch for Keras is one array of shape (N, 48, 48, 1), of floats between 0 and 1: three changes to a list of uint8 faces.",
        "Answers usually miss one of the three changes: the type (a `uint8` array divided by 255 becomes "
        "`float64`, not `float32`, unless converted first), the scale (0 to 1, not 0 to 255), or the place of "
        "the new axis (the channel comes last, after height and width, not first).",
    ),
    solution=_solution_to_batch,
    wrong_answers=[
        lambda faces: np.stack(faces).astype(np.float32) / 255,
        lambda faces: np.stack(faces)[..., None] / 255,
        lambda faces: np.stack(faces).astype(np.float32)[..., None],
        lambda faces: np.stack(faces)[None, ...].astype(np.float32) / 255,
    ],
    other_answers=[lambda faces: np.expand_dims(np.array(faces, dtype=np.float32) / 255.0, axis=-1)],
)


def _test_one_hot(fn):
    labels = np.array([3, 0, 6, 3, 1])
    got = call(fn, labels, 7)
    got = np.asarray(got)
    if got.shape != (5, 7):
        return f"5 labels and 7 classes should give shape (5, 7); yours is {got.shape}"
    want = np.zeros((5, 7))
    want[np.arange(5), labels] = 1
    if not np.array_equal(got, want):
        return (
            f"row i should have a single 1, in column labels[i]; for labels {labels.tolist()} yours is\n{got}"
        )
    if call(fn, np.array([2]), 3).tolist() != [[0, 0, 1]]:
        return "num_classes should set the number of columns: one_hot([2], 3) is [[0, 0, 1]]"
    return None


def _solution_one_hot():
    import numpy as np

    def one_hot(labels, num_classes):
        # row k of the identity matrix has its single 1 in column k: indexing it with the labels
        # picks one such row per label, in the labels' order
        return np.eye(num_classes, dtype=np.float32)[labels]

    return one_hot


def _one_hot_zeros(labels, num_classes):
    labels = np.asarray(labels)
    rows = np.zeros((len(labels), num_classes), dtype=np.float32)
    rows[np.arange(len(labels)), labels] = 1
    return rows


one_hot = Exercise(
    key="04.2",
    title="one-hot labels",
    test=_test_one_hot,
    hints=(
        "A one-hot row has a 1 in the column of its class and 0 elsewhere; `num_classes` sets the number of columns.",
        "The usual mistake is the shape: the number of columns comes from `num_classes`, never from the "
        "number of labels or a fixed 7, and there is one row per label, in the labels' order. Either start "
        "from zeros and set one element per row, or pick rows of an identity matrix.",
    ),
    solution=_solution_one_hot,
    wrong_answers=[
        lambda labels, k: np.eye(k)[labels].T,
        lambda labels, k: np.eye(7)[labels],
        lambda labels, k: np.eye(len(labels), k)[labels],
    ],
    other_answers=[_one_hot_zeros],
)


def _test_softmax(fn):
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [1000.0, 1000.0, 999.0], [0.0, 1000.0, 500.0]])
    with np.errstate(all="ignore"):  # a naive version overflows; the check reports it in words
        got = np.asarray(call(fn, logits.copy()), dtype=float)
    if got.shape != logits.shape:
        return f"the result should have the shape of the logits, {logits.shape}; yours is {got.shape}"
    if not np.all(np.isfinite(got)):
        return (
            "with logits of 1000, np.exp overflows to inf and the result holds nan: "
            "subtract each row's maximum before np.exp (it does not change the result)"
        )
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    want = shifted / shifted.sum(axis=1, keepdims=True)
    if not np.allclose(got, want, atol=1e-9):
        sums = got.sum(axis=1).round(4).tolist()
        return f"each row should be positive and sum to 1 (row sums here: {sums}); compare your axis and keepdims"
    return None


def _solution_softmax():
    import numpy as np

    def softmax(logits):
        shifted = logits - logits.max(axis=1, keepdims=True)  # largest becomes 0: no overflow
        e = np.exp(shifted)
        # each row's own sum; keepdims keeps the sums as a column, so they line up with the rows
        return e / e.sum(axis=1, keepdims=True)

    return softmax


def _naive_softmax(logits):
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _column_softmax(logits):
    e = np.exp(logits - logits.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _softmax_loop(logits):
    rows = []
    for row in np.asarray(logits, dtype=float):
        e = np.exp(row - row.max())
        rows.append(e / e.sum())
    return np.array(rows)


softmax = Exercise(
    key="04.3",
    title="a numerically safe softmax over each row",
    test=_test_softmax,
    hints=(
        "Softmax works on each row separately; and e to the power of a large score overflows unless you shift the scores first.",
        "Answers usually go wrong on the axis: the maximum and the sum belong to each row, not to the whole "
        "array or to each column, and they must stay a column to line up with the rows (the `keepdims` "
        "argument). And it is the row's maximum that is subtracted: the largest score becomes 0, so nothing "
        "overflows.",
    ),
    solution=_solution_softmax,
    wrong_answers=[_naive_softmax, _column_softmax],
    other_answers=[_softmax_loop],
)


def _test_predicted_names(fn):
    rng = np.random.default_rng(0)
    for n in (7, 5):  # 7 faces: a square array, where the wrong axis gives the right shape
        labels = rng.integers(0, 7, size=n)
        probs = rng.random((n, 7)) * 0.1
        probs[np.arange(n), labels] += 0.5
        probs /= probs.sum(axis=1, keepdims=True)
        got = call(fn, probs)
        want = [CLASS_NAMES[k] for k in labels]
        if list(got) != want:
            return f"for {n} faces (one row each) the predicted classes are {want}; yours are {list(got)}"
    return None


def _solution_predicted_names():
    import numpy as np

    from helpers.data import CLASS_NAMES

    def predicted_names(probs):
        best = np.argmax(probs, axis=1)  # one class index per row (per face)
        return [CLASS_NAMES[k] for k in best]  # FER2013's numbering, the one the labels use

    return predicted_names


predicted_names = Exercise(
    key="04.4",
    title="class names from predicted probabilities",
    test=_test_predicted_names,
    hints=(
        "Each row is one face: you need one class per row, the one with the highest probability.",
        "The usual slip is the axis: a face's seven probabilities run along its row, so the largest must be "
        "found along each row, not down each column. With exactly seven faces the wrong axis also gives "
        "seven answers, so the length will not warn you.",
    ),
    solution=_solution_predicted_names,
    wrong_answers=[
        lambda probs: [CLASS_NAMES[k] for k in np.argmax(probs, axis=0)],
        lambda probs: [CLASS_NAMES[k % 7] for k in np.argsort(probs, axis=1)[:, 0]],
    ],
    other_answers=[lambda probs: [CLASS_NAMES[int(np.argmax(row))] for row in probs]],
)
