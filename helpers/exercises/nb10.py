"""Exercises of notebook 10 (the emotion CNN, end to end)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close

_UNSEEN_CASES = (
    # (accuracy, test faces, shared faces): each shared face assumed right
    (0.9, 100, 10),
    (0.631, 3589, 278),  # the FER2013 recipe on FER2013's test split (README)
    (0.5, 10, 0),  # nothing shared: nothing changes
)


def _test_unseen_accuracy(fn):
    for accuracy, n_test, n_shared in _UNSEEN_CASES:
        right = accuracy * n_test
        want = (right - n_shared) / (n_test - n_shared)
        got = call(fn, accuracy, n_test, n_shared)
        if not close(got, want, tol=1e-3):  # 1e-3: rounding accuracy * n_test to whole faces is fine
            return (
                f"with accuracy {accuracy} on {n_test} test faces, {n_shared} of them shared and answered right, "
                f"the accuracy on the other faces is {want:.4f}; your function returned {got!r}"
            )
    return None


def _solution_unseen_accuracy():
    def unseen_accuracy(accuracy, n_test, n_shared):
        right = accuracy * n_test  # faces answered right, the shared ones among them
        # take the shared faces off both counts: off the right answers and off the faces scored
        return (right - n_shared) / (n_test - n_shared)

    return unseen_accuracy


unseen_accuracy = Exercise(
    key="10.1",
    title="the score without the shared faces",
    test=_test_unseen_accuracy,
    hints=(
        "Work in faces, not shares: how many test faces are right, and how many of the right ones are the "
        "shared faces?",
        "The shared faces come off both counts: off the right answers, and off the faces scored. Taking "
        "them off only one of the two, or subtracting their share from the accuracy, gives another number.",
    ),
    solution=_solution_unseen_accuracy,
    wrong_answers=[
        lambda a, n, k: a - k / n,  # the shared share off the accuracy
        lambda a, n, k: (a * n - k) / n,  # the shared faces leave the right answers, not the count
        lambda a, n, k: a * n / (n - k),  # the shared faces leave the count, not the right answers
        lambda a, n, k: a * (n - k) / n,  # the accuracy scaled down
        lambda a, n, k: 100 * (a * n - k) / (n - k),  # a percentage
    ],
    other_answers=[
        lambda a, n, k: 1 - (1 - a) * n / (n - k),  # every wrong face is unseen
        lambda a, n, k: (a - k / n) / (1 - k / n),  # the accuracy as a mix of two shares
        lambda a, n, k: (round(a * n) - k) / (n - k),  # right answers rounded to whole faces
    ],
)


def _test_tuning_split(answer):
    if not isinstance(answer, str):
        return f"answer with the split's name, a string; you gave {type(answer).__name__}"
    name = answer.strip().lower()
    if name in ("val", "validation", "valid", "publictest"):
        return None
    if name in ("test", "privatetest"):
        return (
            "choosing on the test split makes its score part of the training: it would no longer tell how the "
            "model does on faces nobody tuned for"
        )
    if name in ("train", "training"):
        return "on the training faces both settings look good: the model has seen them; choose on faces it has not seen"
    return f"{answer!r} is not one of the three splits: train, validation, test"


def _solution_tuning_split():
    # the split for steering: the training faces are known to the model, and the test split
    # stays untouched until the one final score
    return "validation"


tuning_split = Exercise(
    key="10.2",
    title="which split to choose a setting on",
    test=_test_tuning_split,
    hints=(
        "Each split has one job: one to learn from, one to steer by, one to report once at the end. Choosing "
        "between settings is steering.",
        "The split that early stopping and the learning-rate schedule in this notebook also watch.",
    ),
    solution=_solution_tuning_split,
    wrong_answers=["test", "train", "all of them"],
    other_answers=["val", " Validation "],
)


_LABELS = np.array([3, 3, 3, 6, 6, 0, 1, 4, 4, 3, 2, 5, 3, 6])  # happy (3) is the most common


def _test_class_weights(fn):
    from sklearn.utils.class_weight import compute_class_weight

    for labels in (_LABELS, np.array([0, 0, 0, 1])):
        classes = np.unique(labels)
        want = dict(
            zip(classes.tolist(), compute_class_weight("balanced", classes=classes, y=labels), strict=True)
        )
        got = call(fn, labels)
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            return f"return a dict with one weight per class present ({sorted(want)}); got {got!r}"
        if not close([got[k] for k in want], list(want.values())):
            k = max(want, key=lambda c: abs(got[c] - want[c]))
            return f"for labels {labels.tolist()} class {k} should weigh {want[k]:.4f}; your function gave {got[k]!r}"
    return None


def _solution_class_weights():
    import numpy as np

    def class_weights(labels):
        classes, counts = np.unique(labels, return_counts=True)  # the classes present, and their sizes
        n, k = len(labels), len(classes)
        # a class's count times its weight is n / k, the same total for every class: rare ones weigh more
        return {int(c): n / (k * count) for c, count in zip(classes, counts, strict=True)}

    return class_weights


def _inverse_counts(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): 1 / count for c, count in zip(classes, counts, strict=True)}


def _share_weights(labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {int(c): count / len(labels) for c, count in zip(classes, counts, strict=True)}


def _class_weights_sklearn(labels):
    from sklearn.utils.class_weight import compute_class_weight

    classes = np.unique(labels)
    weights = compute_class_weight("balanced", classes=classes, y=labels)
    return {int(c): float(w) for c, w in zip(classes, weights, strict=True)}


class_weights = Exercise(
    key="10.3",
    title="balanced class weights",
    test=_test_class_weights,
    hints=(
        "'Balanced' means every class adds up to the same total weight: a class with few faces gets a large weight.",
        "The usual slip is in what the letters count: n is the number of labels, k the number of classes "
        "present in them (not always 7), and a class's weight divides by its own count, so that a rare class "
        "weighs more. The keys are the class numbers.",
    ),
    solution=_solution_class_weights,
    wrong_answers=[_inverse_counts, _share_weights, lambda labels: {int(c): 1.0 for c in np.unique(labels)}],
    other_answers=[_class_weights_sklearn],
)


#: Validation losses and a patience for the check of 10.4, each with what happens in it.
_RUNS = [
    (
        [1.00, 0.80, 0.85, 0.70, 0.75, 0.72, 0.90, 0.60, 0.55],
        3,
        "the best, 0.7, comes at epoch 4; the next three losses are all higher, and epoch 8 never runs",
    ),
    ([0.90, 0.70, 0.70, 0.70, 0.65], 2, "epochs 3 and 4 only equal the best, 0.7: no improvement"),
    (
        [1.20, 1.00, 1.10, 0.90, 0.95, 0.93],
        3,
        "it never stops early, and at the end of training it still puts back the best epoch's weights",
    ),
    ([1.00, 0.90, 0.80, 0.70], 2, "every epoch brings a new best"),
    ([0.50, 0.60, 0.40], 1, "epoch 2 brings no new best, and the patience is one epoch"),
]


class _Weights:
    """What EarlyStopping asks of a model: weights to read and to put back, and a flag that stops
    training. The 'weights' here are just the number of the epoch that left them."""

    def __init__(self):
        self.epoch, self.stop_training = 0, False

    def get_weights(self):
        return [self.epoch]

    def set_weights(self, weights):
        self.epoch = weights[0]


def _keras_stops(val_losses, patience):
    """(the last epoch that runs, the epoch whose weights the model ends with), counted from 1, by
    Keras' own EarlyStopping, driven the way fit drives it."""
    import keras

    model = _Weights()
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    stop.set_model(model)
    stop.on_train_begin()
    for epoch, val_loss in enumerate(val_losses, start=1):
        model.epoch = epoch  # the weights after this epoch's training
        stop.on_epoch_end(epoch - 1, {"loss": 0.5, "val_loss": val_loss})  # Keras counts epochs from 0
        if model.stop_training:  # fit ends the run here
            break
    last = epoch
    stop.on_train_end()
    return last, model.epoch


def _test_stop_and_restore(fn):
    for val_losses, patience, why in _RUNS:
        last, kept = _keras_stops(val_losses, patience)
        got = call(fn, list(val_losses), patience)
        if not isinstance(got, list | tuple) or len(got) != 2:
            return (
                f"return two epoch numbers, (last epoch that runs, epoch whose weights it keeps); got {got!r}"
            )
        if list(got) != [last, kept]:
            return (
                f"with the validation losses {val_losses} and a patience of {patience}, Keras' EarlyStopping "
                f"runs {last} epochs and ends with the weights of epoch {kept} ({why}). Your function returned "
                f"({', '.join(str(v) for v in got)})"
            )
    return None


def _solution_stop_and_restore():
    import math

    def stop_and_restore(val_losses, patience):
        best_loss, best_epoch = math.inf, None  # no best yet: any first loss beats infinity
        for epoch, loss in enumerate(val_losses, start=1):  # the log counts epochs from 1
            if loss < best_loss:  # strictly lower: a loss equal to the best is no improvement
                best_loss, best_epoch = loss, epoch
            elif epoch - best_epoch >= patience:  # `patience` epochs since the best, none better
                return epoch, best_epoch  # stops after this epoch, then goes back to the best one
        # never stopped early: every epoch runs, and the end of training still restores the best
        return len(val_losses), best_epoch

    return stop_and_restore


def _stop_and_restore_waiting(val_losses, patience):
    best, best_epoch, wait = None, 0, 0
    for i, loss in enumerate(val_losses):
        if best is None or loss < best:
            best, best_epoch, wait = loss, i + 1, 0
        else:
            wait += 1  # one more epoch without a new best
            if wait >= patience:
                return i + 1, best_epoch
    return len(val_losses), best_epoch


def _stop_and_restore_by_prefix(val_losses, patience):
    for epoch in range(1, len(val_losses) + 1):
        seen = val_losses[:epoch]
        best_epoch = seen.index(min(seen)) + 1  # index finds the first of equal losses
        if epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses), val_losses.index(min(val_losses)) + 1


def _ties_improve(val_losses, patience):
    best_loss, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best_loss:  # a tie resets the patience
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


def _against_the_epoch_before(val_losses, patience):
    waited, best_epoch = 0, 1
    for epoch in range(2, len(val_losses) + 1):
        if val_losses[epoch - 1] < val_losses[epoch - 2]:  # better than the epoch before, not the best
            waited = 0
            if val_losses[epoch - 1] < val_losses[best_epoch - 1]:
                best_epoch = epoch
        else:
            waited += 1
            if waited >= patience:
                return epoch, best_epoch
    return len(val_losses), best_epoch


def _restores_only_when_stopping(val_losses, patience):
    best_loss, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses), len(val_losses)  # not stopped: keeps the last epoch's weights


def _best_of_the_whole_list(val_losses, patience):
    best = int(np.argmin(val_losses)) + 1  # epochs after the stop never run
    return min(best + patience, len(val_losses)), best


def _one_epoch_late(val_losses, patience):
    best_loss, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch > patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch


stop_and_restore = Exercise(
    key="10.4",
    title="when early stopping stops, and which epoch it keeps",
    test=_test_stop_and_restore,
    hints=(
        "Follow the run epoch by epoch as the callback does: it remembers the best loss so far and its epoch, "
        "and counts the epochs since.",
        "Answers usually slip on one of three things: an epoch improves on the best so far, not on the epoch "
        "before it; a loss equal to the best is no improvement; and a run that never stops early still ends "
        "with the best epoch's weights.",
    ),
    solution=_solution_stop_and_restore,
    wrong_answers=[
        _ties_improve,
        _against_the_epoch_before,
        _restores_only_when_stopping,
        _best_of_the_whole_list,
        _one_epoch_late,
    ],
    other_answers=[_stop_and_restore_waiting, _stop_and_restore_by_prefix],
)


def _top_k_case():
    rng = np.random.default_rng(10)
    probs = rng.dirichlet(np.full(7, 0.4), size=60)
    y_true = rng.integers(0, 7, size=60)
    y_true[:20] = probs[:20].argmax(axis=1)  # a third of the answers are right
    y_true[20:35] = np.argsort(probs[20:35], axis=1)[:, -2]  # a quarter are right in second place
    return probs, y_true


def _test_top_k_accuracy(fn):
    from sklearn.metrics import top_k_accuracy_score

    probs, y_true = _top_k_case()
    for k in (2, 1, 3):
        want = top_k_accuracy_score(y_true, probs, k=k, labels=range(7))
        got = call(fn, probs.copy(), y_true.copy(), k)
        if not close(got, want):
            return (
                f"with k = {k}, the true class is among the {k} most probable classes for {want:.4f} of the "
                f"{len(y_true)} faces (scikit-learn's top_k_accuracy_score); your function returned {got!r}"
            )
    return None


def _solution_top_k_accuracy():
    import numpy as np

    def top_k_accuracy(probs, y_true, k):
        # argsort puts each row's classes from least to most probable: the last k are the top k
        top_k = np.argsort(probs, axis=1)[:, -k:]
        # y_true[:, None] has shape (N, 1): each face's true class is compared with its own k
        # classes (broadcasting, notebook 04); a face counts when one of them matches
        hit = np.any(top_k == y_true[:, None], axis=1)
        return float(np.mean(hit))

    return top_k_accuracy


def _top_k_loop(probs, y_true, k):
    hits = 0
    for row, label in zip(probs, y_true, strict=True):
        # the true class is in the top k when fewer than k classes are more probable
        hits += int(np.sum(row > row[label]) < k)
    return hits / len(y_true)


def _top_k_sorted(probs, y_true, k):
    hits = [label in np.argsort(-row)[:k] for row, label in zip(probs, y_true, strict=True)]
    return float(np.mean(hits))


top_k_accuracy = Exercise(
    key="10.5",
    title="near misses: top-k accuracy",
    test=_test_top_k_accuracy,
    hints=(
        "np.argsort over axis 1 puts each face's classes in order, from the least probable to the "
        "most: the last k of a row are its top k. Then ask, face by face, whether its true class is among them.",
        "Answers usually go wrong in one of three ways: taking the first k of argsort's order, which are the "
        "least probable; comparing each face's top k with every face's label instead of its own; or asking "
        "only whether the true class is in k-th place, not anywhere in the top k.",
    ),
    solution=_solution_top_k_accuracy,
    wrong_answers=[
        lambda p, t, k: float(
            np.mean(np.any(np.argsort(p, axis=1)[:, :k] == t[:, None], axis=1))
        ),  # least probable
        lambda p, t, k: float(np.mean(np.argsort(-p, axis=1)[:, k - 1] == t)),  # only k-th place
        lambda p, t, k: float(np.sum(np.any(np.argsort(p, axis=1)[:, -k:] == t[:, None], axis=1))),  # a count
        lambda p, t, k: float(np.mean(np.argmax(p, axis=1) == t)),  # accuracy, whatever k
        lambda p, t, k: float(np.mean(np.isin(t, np.argsort(p, axis=1)[:, -k:]))),  # any face's top k
        lambda p, t, k: float(
            np.mean(np.any(np.argsort(p, axis=0)[:, -k:] == t[:, None], axis=1))
        ),  # down the faces
    ],
    other_answers=[
        _top_k_loop,
        _top_k_sorted,
        lambda p, t, k: __import__("sklearn.metrics", fromlist=["top_k_accuracy_score"]).top_k_accuracy_score(
            t, p, k=k, labels=range(7)
        ),
    ],
)
