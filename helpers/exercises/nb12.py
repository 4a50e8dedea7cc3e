"""Exercises of notebook 12 (your own faces)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close


def _drifting_faces():
    """Eight 4x4 'frames': a slow drift of 3 grey levels a frame (each frame close to the one
    before, the fifth far from the first), then a jump, then a copy; values near 0 and 255, so
    uint8 subtraction wraps around."""
    base = np.array([[0, 250, 10, 240], [5, 255, 0, 245], [250, 0, 240, 10], [255, 5, 245, 0]], float)
    drift = np.where(base > 127, -1.0, 1.0)  # towards the middle, away from the edges
    frames = [base + 3 * k * drift for k in range(5)]  # 0, 3, 6, 9, 12 levels from the first
    frames.append(255 - base)  # a new expression
    frames.append(255 - base + drift)  # a near-copy of it
    frames.append(base)  # back to the first
    return np.clip(np.stack(frames), 0, 255).astype(np.uint8)


def _reference_thin_out(faces, min_difference):
    kept = [0]
    for i in range(1, len(faces)):
        if np.abs(faces[i].astype(float) - faces[kept[-1]].astype(float)).mean() >= min_difference:
            kept.append(i)
    return kept


def _test_thin_out(fn):
    faces = _drifting_faces()
    for min_difference in (5.0, 9.0, 1.0, 300.0, 0.0):  # 0: every frame is new enough, each kept once
        want = _reference_thin_out(faces, min_difference)
        got = call(fn, faces.copy(), min_difference)
        try:
            got = [int(i) for i in np.asarray(got).ravel()]
        except (TypeError, ValueError):
            return f"return the row numbers of the frames kept, as a list; your function returned {got!r}"
        if got != want:
            return (
                f"for the check's 8 frames (a slow drift of 3 grey levels a frame, a jump, a near-copy, the first "
                f"again) and min_difference {min_difference}, the frames kept are {want}; your function returned {got}"
            )
    return None


def _solution_thin_out():
    import numpy as np

    def thin_out(faces, min_difference):
        kept = [0]  # the first frame is always kept
        for i in range(1, len(faces)):
            # float first: uint8 arithmetic wraps around (3 - 5 is 254, not -2)
            difference = np.abs(faces[i].astype(float) - faces[kept[-1]].astype(float)).mean()
            # compare with the last frame *kept*: a slow drift adds up until a frame is new enough
            if difference >= min_difference:
                kept.append(i)
        return kept

    return thin_out


def _thin_out_int(faces, min_difference):
    faces = faces.astype(np.int16)
    kept = [0]
    for i, face in enumerate(faces[1:], start=1):
        if np.mean(np.abs(face - faces[kept[-1]])) >= min_difference:
            kept.append(i)
    return kept


def _thin_out_variant(faces, min_difference, *, against_previous=False, wrap=False, strict=False, first=True):
    source = faces if wrap else faces.astype(float)
    kept = [0] if first else []
    last = 0
    for i in range(1, len(faces)):
        difference = np.abs(source[i] - source[i - 1 if against_previous else last]).mean()
        if difference > min_difference if strict else difference >= min_difference:
            kept.append(i)
            last = i
    return kept


thin_out = Exercise(
    key="12.1",
    title="thin out the near-copies",
    test=_test_thin_out,
    hints=(
        "Walk through the frames in order and keep a frame only when it differs enough from the last frame you "
        "kept; the mean absolute difference of the pixels measures how much.",
        "Answers usually slip in one of three places. Comparing with the frame just before lets a slow drift "
        "through unnoticed, one small step at a time: compare with the last frame kept. Pixels are uint8, "
        "where a subtraction below 0 wraps around to large numbers: convert to float first. And the very "
        "first frame has nothing before it to be compared with.",
    ),
    solution=_solution_thin_out,
    wrong_answers=[
        lambda f, m: _thin_out_variant(f, m, against_previous=True),  # a slow drift never counts
        lambda f, m: _thin_out_variant(f, m, wrap=True),  # uint8 subtraction wraps around
        lambda f, m: _thin_out_variant(f, m, strict=True),  # exactly min_difference is enough
        lambda f, m: _thin_out_variant(f, m, first=False),  # the first frame left out
    ],
    other_answers=[_thin_out_int],
)


def _centroid_fit(x, y):
    """A nearest-centroid classifier, deterministic and instant: predict(x) -> labels."""
    x, y = np.asarray(x, float), np.asarray(y)
    classes = np.unique(y)
    centres = np.stack([x[y == c].mean(axis=0) for c in classes])

    def predict(z):
        distances = ((np.asarray(z, float)[:, None, :] - centres[None]) ** 2).sum(axis=2)
        return classes[distances.argmin(axis=1)]

    return predict


def _sessions_case():
    """Three sessions of 2-D 'features' for three classes; each session shifted its own way, so
    a model that saw a session reads it better than one that did not."""
    rng = np.random.default_rng(12)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    shifts = {"mon": np.array([0.0, 0.0]), "tue": np.array([1.3, 1.1]), "wed": np.array([-1.2, 1.4])}
    out = {}
    for name, shift in shifts.items():
        y = np.repeat(np.arange(3), 6)
        out[name] = (centres[y] + shift + rng.normal(0, 0.7, size=(len(y), 2)), y)
    return out


def _reference_leave_one_out(sessions, fit):
    result = {}
    for held_out in sessions:
        x = np.concatenate([sessions[n][0] for n in sessions if n != held_out])
        y = np.concatenate([sessions[n][1] for n in sessions if n != held_out])
        predict = fit(x, y)
        result[held_out] = float(np.mean(predict(sessions[held_out][0]) == sessions[held_out][1]))
    return result


def _test_leave_one_out(fn):
    for names in (("mon", "tue", "wed"), ("tue", "wed")):
        case = {n: v for n, v in _sessions_case().items() if n in names}
        want = _reference_leave_one_out(case, _centroid_fit)
        fits = []

        def fit(x, y, fits=fits):  # counts the faces each model is trained on
            fits.append(len(y))
            return _centroid_fit(x, y)

        got = call(fn, {n: (x.copy(), y.copy()) for n, (x, y) in case.items()}, fit)
        if not isinstance(got, dict) or set(got) != set(want):
            return f"return a dict from each session's name to its accuracy, for {sorted(want)}; your function returned {got!r}"
        wrong = {n: round(float(v), 3) for n, v in got.items() if not close(v, want[n])}
        if wrong:
            sizes = f" (your function trained {len(fits)} model(s) on {fits} faces)" if fits else ""
            return (
                f"with sessions {sorted(want)} and a nearest-centroid fit, the accuracies are "
                f"{ {n: round(v, 3) for n, v in want.items()} }; yours differ for {wrong}{sizes}"
            )
    return None


def _solution_leave_one_out():
    import numpy as np

    def leave_one_out(sessions, fit):
        accuracy = {}
        for held_out, (x_test, y_test) in sessions.items():
            # train on every *other* session: the held-out one is never seen in training
            others = [name for name in sessions if name != held_out]
            x = np.concatenate([sessions[name][0] for name in others])
            y = np.concatenate([sessions[name][1] for name in others])
            predict = fit(x, y)
            accuracy[held_out] = float(np.mean(predict(x_test) == y_test))
        return accuracy

    return leave_one_out


def _leave_one_out_lists(sessions, fit):
    names = list(sessions)
    out = {}
    for k, name in enumerate(names):
        rest = names[:k] + names[k + 1 :]
        xs, ys = zip(*(sessions[n] for n in rest), strict=True)
        predict = fit(np.vstack(xs), np.hstack(ys))
        x_test, y_test = sessions[name]
        out[name] = sum(int(p == t) for p, t in zip(predict(x_test), y_test, strict=True)) / len(y_test)
    return out


def _leave_one_out_variant(sessions, fit, *, leak=False, only_first_other=False, score_on_training=False):
    out = {}
    for held_out in sessions:
        names = [n for n in sessions if leak or n != held_out]
        if only_first_other:
            names = names[:1]
        x = np.concatenate([sessions[n][0] for n in names])
        y = np.concatenate([sessions[n][1] for n in names])
        predict = fit(x, y)
        x_test, y_test = (x, y) if score_on_training else sessions[held_out]
        out[held_out] = float(np.mean(predict(x_test) == y_test))
    return out


leave_one_out = Exercise(
    key="12.2",
    title="leave one session out",
    test=_test_leave_one_out,
    hints=(
        "Each session takes a turn as the test set; the model for that turn is trained on all the others "
        "together, and only on them.",
        "Answers usually go wrong in one of three ways: the held-out session is trained on too, so the test "
        "has seen its answers; only one of the other sessions is trained on, not all of them joined; or the "
        "model is scored on the faces it was trained on instead of the held-out session's.",
    ),
    solution=_solution_leave_one_out,
    wrong_answers=[
        lambda s, f: _leave_one_out_variant(s, f, leak=True),  # the held-out session trained on too
        lambda s, f: _leave_one_out_variant(s, f, only_first_other=True),  # one other session only
        lambda s, f: _leave_one_out_variant(s, f, score_on_training=True),  # scored on its training faces
        lambda s, f: float(
            np.mean(list(_reference_leave_one_out(s, f).values()))
        ),  # the mean, not per session
    ],
    other_answers=[_leave_one_out_lists],
)


def _kappa_cases():
    rng = np.random.default_rng(3)
    rates = [0.1, 0.02, 0.1, 0.4, 0.18, 0.05, 0.15]  # like a model's answers: happy most often
    yours = rng.choice(7, size=102, p=rates)
    theirs = np.where(rng.random(102) < 0.4, yours, rng.choice(7, size=102, p=rates))
    skewed_a = np.array([3] * 8 + [4] * 2)  # two raters who mostly say happy
    skewed_b = np.array([3] * 7 + [4] * 3)
    return ((skewed_a, skewed_b), (yours, theirs), (np.array([0, 1, 2, 0]), np.array([1, 2, 0, 1])))


def _test_kappa(fn):
    from sklearn.metrics import cohen_kappa_score

    for a, b in _kappa_cases():
        want = cohen_kappa_score(a, b)
        got = call(fn, a.copy(), b.copy())
        if not close(got, want):
            observed = float(np.mean(a == b))
            return (
                f"for two answer lists of {len(a)} faces that agree on {observed:.0%} of them, Cohen's kappa is "
                f"{want:.4f} (scikit-learn's cohen_kappa_score); your function returned {got!r}"
            )
    return None


def _solution_kappa():
    import numpy as np

    def kappa(answers_a, answers_b):
        observed = np.mean(answers_a == answers_b)  # how often the two agree
        classes = np.union1d(answers_a, answers_b)
        # by chance: both pick class c independently, each as often as it really picks it
        share_a = np.array([np.mean(answers_a == c) for c in classes])
        share_b = np.array([np.mean(answers_b == c) for c in classes])
        chance = np.sum(share_a * share_b)
        # the agreement beyond chance, as a share of the most there could be beyond chance
        return float((observed - chance) / (1 - chance))

    return kappa


def _kappa_counts(a, b):
    n = len(a)
    matrix = np.zeros((7, 7))
    for x, y in zip(a, b, strict=True):
        matrix[x, y] += 1
    observed = np.trace(matrix) / n
    chance = float(matrix.sum(axis=1) @ matrix.sum(axis=0)) / n**2
    return (observed - chance) / (1 - chance)


def _kappa_variant(a, b, *, chance_from=None, divide=True):
    observed = np.mean(a == b)
    classes = np.union1d(a, b)
    share_a = np.array([np.mean(a == c) for c in classes])
    share_b = np.array([np.mean(b == c) for c in classes])
    chance = {None: np.sum(share_a * share_b), "uniform": 1 / 7, "one": np.sum(share_a**2)}[chance_from]
    return float((observed - chance) / (1 - chance)) if divide else float(observed - chance)


kappa = Exercise(
    key="12.3",
    title="agreement beyond chance",
    test=_test_kappa,
    hints=(
        "Kappa compares the agreement you see with the agreement two raters would reach by chance, if each "
        "picked its answers at its own rates without looking at the face.",
        "Answers usually slip on the chance part: it needs both models' own rates, class by class, not 1 over "
        "the number of classes, and not one model's rates alone.",
    ),
    solution=_solution_kappa,
    wrong_answers=[
        lambda a, b: _kappa_variant(a, b, chance_from="uniform"),  # chance as 1/7
        lambda a, b: _kappa_variant(a, b, chance_from="one"),  # one rater's rates only
        lambda a, b: _kappa_variant(a, b, divide=False),  # the gap, not its share
        lambda a, b: float(np.mean(a == b)),  # plain agreement
    ],
    other_answers=[
        _kappa_counts,
        lambda a, b: __import__("sklearn.metrics", fromlist=["cohen_kappa_score"]).cohen_kappa_score(a, b),
    ],
)
