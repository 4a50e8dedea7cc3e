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
    dim = [face // 4 for face in _faces(3)]  # a dark batch: its brightest pixel is far below 255
    got = np.asarray(call(fn, dim))
    want = np.stack(dim).astype(np.float32)[..., None] / 255
    if got.shape == want.shape and not np.allclose(got, want, atol=1e-6):
        return (
            f"for three dark faces (brightest pixel {int(np.max(dim))}) the values should be pixel / 255, from 0.0 "
            f"to {np.max(dim) / 255:.2f}; yours run up to {got.max():.2f}. Divide by 255, what a pixel can be, "
            "not by the batch's brightest pixel: every batch must be scaled the same way"
        )
    return None


def _solution_to_batch():
    import numpy as np

    def to_batch(faces):
        # float32 before dividing: uint8 divided by 255 would give float64, twice the memory of
        # float32, the type Keras computes in
        batch = np.stack(faces).astype(np.float32) / 255  # (N, 48, 48), values 0..1
        return batch[..., np.newaxis]  # (N, 48, 48, 1): a model's image layers want a channel axis, last

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
        lambda faces: (np.stack(faces).astype(np.float32) / np.max(faces))[
            ..., None
        ],  # by the brightest pixel
        lambda faces: np.stack(faces).astype(np.float32) / 255,
        lambda faces: np.stack(faces)[..., None] / 255,
        lambda faces: np.stack(faces).astype(np.float32)[..., None],
        lambda faces: np.stack(faces)[None, ...].astype(np.float32) / 255,
    ],
    other_answers=[lambda faces: np.expand_dims(np.array(faces, dtype=np.float32) / 255.0, axis=-1)],
)


def _shares_by_counting(votes):
    """Each face's share of votes per class, counted one class at a time (the check's reference)."""
    votes = np.asarray(votes)
    return np.stack([(votes == k).mean(axis=1) for k in range(7)], axis=1)


def _test_vote_shares(fn):
    rng = np.random.default_rng(4)
    cases = [
        ("4 faces with 10 votes each", rng.integers(0, 7, size=(4, 10))),
        # as many votes as faces: averaging over the faces gives the right shape, wrong numbers
        ("5 faces with 5 votes each", rng.integers(0, 7, size=(5, 5))),
        # nobody votes sad (4) or neutral (6): their columns must still be there, holding 0
        (
            "3 faces, none with a vote for sad or neutral",
            np.array([[3, 3, 3, 5], [2, 5, 5, 2], [0, 1, 5, 3]]),
        ),
        ("3 faces with one vote each", np.array([[4], [3], [2]])),
    ]
    for what, votes in cases:
        n, v = votes.shape
        try:
            got = np.asarray(call(fn, votes.copy()), dtype=float)
        except ValueError as exc:  # rows of different lengths, made into one array (by you or here)
            if "inhomogeneous" not in str(exc):
                raise
            got = None
        if got is None:
            return (
                f"for {what}, your rows come out with different lengths: every face needs a row of 7 shares, "
                "one per class, 0 for a class nobody voted for"
            )
        want = _shares_by_counting(votes)
        if got.shape != want.shape:
            extra = ""
            if got.shape[-1:] != (7,):
                extra = " (one column per class, even for a class nobody voted for)"
            elif got.shape == (v, 7):
                extra = " (a row per vote, not per face: the average ran over the faces)"
            return f"for {what}, the result should have shape {want.shape}{extra}; yours is {got.shape}"
        if np.allclose(got, want):
            continue
        sums = got.sum(axis=1)
        if np.allclose(sums, v) and v > 1:
            return f"for {what}, your rows add up to {v}, the number of votes: those are counts, not shares"
        if not np.allclose(sums, 1):
            return f"for {what}, every row should add up to 1 (the face's votes, all shared out); yours add up to {sums.round(3).tolist()}"
        across_faces = np.eye(7)[votes].mean(axis=0)
        if across_faces.shape == got.shape and np.allclose(got, across_faces):
            return (
                f"for {what}, your rows average each vote position over the faces, not each face over its votes; "
                "with as many votes as faces the shape does not warn you"
            )
        return (
            f"for {what}, face 0's votes {votes[0].tolist()} should give the shares {want[0].round(2).tolist()}; "
            f"yours are {got[0].round(2).tolist()}"
        )
    return None


def _solution_vote_shares():
    import numpy as np

    def vote_shares(votes):
        # indexing the identity matrix with the (N, V) votes gives (N, V, 7): one one-hot row
        # per vote, with a column for every class, voted for or not
        one_hot_votes = np.eye(7)[votes]
        # the mean of 0s and 1s over a face's V votes (axis 1) is the share each class got
        return one_hot_votes.mean(axis=1)

    return vote_shares


def _vote_shares_bincount(votes):
    rows = []
    for face_votes in votes:
        counts = np.bincount(face_votes, minlength=7)  # minlength: a column even for unvoted classes
        rows.append(counts / len(face_votes))
    return np.array(rows)


vote_shares = Exercise(
    key="04.2",
    title="from several votes per face to one row of shares",
    test=_test_vote_shares,
    hints=(
        "Turn each vote into a one-hot row, as the identity matrix did for the labels; a face's shares are then the average of its votes' rows.",
        "Answers usually go wrong on the axis of the average: a face's votes run along the second axis, so "
        "the average runs over that axis, not over the faces. And a class nobody voted for still needs its "
        "column, holding 0: counting only the classes that occur gives short rows.",
    ),
    solution=_solution_vote_shares,
    wrong_answers=[
        lambda votes: np.eye(7)[votes].mean(axis=0),  # averaged over the faces
        lambda votes: np.eye(7)[votes].sum(axis=1),  # counts, not shares
        lambda votes: np.eye(7)[votes].sum(axis=1) / 7,  # shared out over the classes, not the votes
        lambda votes: np.array([np.bincount(v) / len(v) for v in votes]),  # no column for unvoted classes
    ],
    other_answers=[_vote_shares_bincount],
)


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _test_scores_from_probs(fn):
    rng = np.random.default_rng(3)
    lesson = np.array(
        [
            [2.0, -1.0, 0.5, 4.0, 1.0, 0.0, 1.5],
            [0.1, 0.0, 0.2, 0.1, 0.3, 0.0, 0.2],
            [1.0, 0.0, 3.0, 0.0, 0.5, 2.8, 0.0],
        ]
    )
    cases = [
        # square first: a row of maxima subtracted without keepdims broadcasts down the columns,
        # silently; with 3 faces it fails with the error the broadcasting section showed
        ("7 faces", rng.normal(size=(7, 7)) * 2, 1e-9),
        ("the 3 faces of the softmax section", lesson, 1e-9),
        (
            "5 faces in float32, as a Keras model returns them",
            (rng.normal(size=(5, 7)) * 3).astype(np.float32),
            1e-4,
        ),
    ]
    for what, logits, tol in cases:
        probs = _softmax_rows(logits.astype(float)).astype(logits.dtype)
        want = logits.astype(float) - logits.max(axis=1, keepdims=True)
        with np.errstate(all="ignore"):
            got = call(fn, probs.copy())
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return f"expected an array of scores, got {type(got).__name__}"
        if got.shape != probs.shape:
            return f"for {what}, the scores should have the shape of the probabilities, {probs.shape}; yours is {got.shape}"
        if not np.all(np.isfinite(got)):
            return f"for {what}, your scores hold inf or nan; every probability here is above 0, so every score is a finite number"
        if np.allclose(got, want, atol=tol):
            continue
        if not np.allclose(_softmax_rows(got), probs, atol=tol):
            log_probs = np.log(probs.astype(float))
            square = probs.shape[0] == probs.shape[1]
            if square and np.allclose(got, log_probs - log_probs.max(axis=1), atol=tol):
                return (
                    f"for {what}, each face's maximum was subtracted down a column, not along its row: "
                    "(7, 7) minus (7,) broadcasts without an error"
                )
            if np.allclose(got, probs - probs.max(axis=1, keepdims=True), atol=tol):
                return f"for {what}, the softmax of your scores does not give back the probabilities: the exp is not undone"
            return (
                f"for {what}, the softmax of your scores should give back the probabilities; for face 0 it gives "
                f"{_softmax_rows(got)[0].round(3).tolist()} instead of {probs[0].astype(float).round(3).tolist()}"
            )
        return (
            f"for {what}, the softmax of your scores gives back the probabilities, but each row's largest score "
            f"should be 0; yours are {got.max(axis=1).round(3).tolist()}"
        )
    return None


def _solution_scores_from_probs():
    import numpy as np

    def scores_from_probs(probs):
        # the softmax took exp of each score: the log undoes it, up to one shift per row (the
        # division by the row's sum, which the log turns into a subtraction)
        log_probs = np.log(probs)
        # adding the same number to a row does not change its softmax, so fix the shift: each
        # row's largest becomes 0; keepdims keeps the maxima a column, one per face
        return log_probs - log_probs.max(axis=1, keepdims=True)

    return scores_from_probs


def _scores_by_ratio(probs):
    # dividing by the row's largest probability first: the largest ratio is 1, and log(1) is 0
    return np.log(probs / probs.max(axis=1, keepdims=True))


def _scores_loop(probs):
    rows = []
    for row in np.asarray(probs, dtype=float):
        scores = np.log(row)
        rows.append(scores - scores.max())
    return np.array(rows)


scores_from_probs = Exercise(
    key="04.3",
    title="scores back from probabilities",
    test=_test_scores_from_probs,
    hints=(
        "The logarithm undoes the `exp`. What it leaves is each row moved by some number, and you choose the move that makes the row's largest score 0.",
        "Answers usually go wrong on the shift: each face's own largest score must become 0, so the maxima "
        "must stay a column, one per row (the `keepdims` argument). With seven faces a plain row of seven "
        "maxima also fits, and NumPy subtracts it down the columns without an error.",
    ),
    solution=_solution_scores_from_probs,
    wrong_answers=[
        lambda probs: np.log(probs),  # the right softmax, but not the largest score 0
        lambda probs: np.log(probs) - np.log(probs).max(),  # one shift for the whole batch
        lambda probs: np.log(probs) - np.log(probs).max(axis=1),  # no keepdims
        lambda probs: np.log(probs) - np.log(probs).max(axis=0, keepdims=True),  # per class, not per face
        lambda probs: probs - probs.max(axis=1, keepdims=True),  # the exp not undone
    ],
    other_answers=[_scores_by_ratio, _scores_loop],
)


def _test_sure_names(fn):
    rng = np.random.default_rng(0)
    for n in (7, 5):  # 7 faces: a square array, where the wrong axis gives the right shape
        labels = rng.integers(0, 7, size=n)
        probs = rng.random((n, 7)) * 0.1
        probs[np.arange(n), labels] += 0.5
        probs /= probs.sum(axis=1, keepdims=True)
        got = call(fn, probs, 0.3)
        want = [CLASS_NAMES[k] for k in labels]
        if list(got) != want:
            return f"for {n} faces (one row each), all surer than 0.3, the names are {want}; yours are {list(got)}"
    probs = np.array(
        [
            [0.05, 0.05, 0.1, 0.6, 0.1, 0.05, 0.05],  # happy, sure
            [0.2, 0.1, 0.25, 0.1, 0.15, 0.1, 0.1],  # fear by a nose: unsure
            [0.1, 0.05, 0.05, 0.1, 0.1, 0.1, 0.5],  # neutral, exactly at the threshold: kept
            [0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2],  # angry, just under the threshold
        ]
    )
    want = ["happy", "unsure", "neutral", "unsure"]
    got = call(fn, probs.copy(), 0.5)
    if list(got) != want:
        return (
            "with min_conf 0.5, four faces whose highest probabilities are 0.6 (happy), 0.25 (fear), 0.5 (neutral, "
            f"exactly the threshold: kept) and 0.3 (angry) give {want}; yours gave {list(got)}"
        )
    return None


def _solution_sure_names():
    import numpy as np

    from helpers.data import CLASS_NAMES

    def sure_names(probs, min_conf):
        best = np.argmax(
            probs, axis=1
        )  # one class per row: each face's seven probabilities run along its row
        sure = np.max(probs, axis=1) >= min_conf  # how sure the model is of that class, per face
        # FER2013's numbering gives the name; a face under the threshold gets no name at all
        return [CLASS_NAMES[k] if ok else "unsure" for k, ok in zip(best, sure, strict=True)]

    return sure_names


sure_names = Exercise(
    key="04.4",
    title="names only for the faces the model is sure of",
    test=_test_sure_names,
    hints=(
        "Two numbers per face come from its row: which class is highest, and how high it is.",
        "Two slips are common. Searching down the columns instead of along each face's row: with exactly "
        "seven faces the wrong axis also gives seven answers, so the length will not warn you. And comparing "
        "the class number with the threshold instead of the probability; a face exactly at the threshold keeps "
        "its name.",
    ),
    solution=_solution_sure_names,
    wrong_answers=[
        lambda probs, c: [
            CLASS_NAMES[k] if probs.max(axis=0)[i] >= c else "unsure"
            for i, k in enumerate(np.argmax(probs, axis=0))
        ],
        lambda probs, c: [CLASS_NAMES[k] for k in np.argmax(probs, axis=1)],  # no threshold
        lambda probs, c: [
            CLASS_NAMES[k] if p > c else "unsure"
            for k, p in zip(np.argmax(probs, 1), np.max(probs, 1), strict=True)
        ],
        lambda probs, c: [
            CLASS_NAMES[k] if k >= c else "unsure" for k in np.argmax(probs, axis=1)
        ],  # the class number
    ],
    other_answers=[
        lambda probs, c: [CLASS_NAMES[int(np.argmax(row))] if max(row) >= c else "unsure" for row in probs],
    ],
)
