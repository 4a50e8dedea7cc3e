"""Figures of runs the course cannot repeat offline, kept with the course as measured.

Notebook 10 trains on synthetic faces unless a learner brings FER2013, which needs an
account. So that every learner still sees what real faces do, the course ships the figures of
one run of notebook 10, unchanged, on real FER2013 (``recorded/notebook10_on_fer2013.json``:
the per-epoch history, the test split's confusion matrix and classification report, the
comparison table, with the date and the machine). Only numbers are shipped, never a face.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np

RECORDED = Path(__file__).parent / "recorded"


@cache
def fer2013_run() -> dict:
    """The recorded run of notebook 10 on real FER2013 (2026-12-06, a 2-core machine).

    Keys: ``date``, ``machine``, ``what``, ``class_names``; ``from_scratch`` (``history``:
    per-epoch ``accuracy``, ``loss``, ``val_accuracy``, ``val_loss``, ``learning_rate``,
    ``seconds``; ``test_accuracy``, ``test_macro_f1``, ``training_seconds``, ``epochs_run``,
    ``test_confusion_matrix_rows_true_cols_predicted``, ``classification_report``);
    ``transfer_from_reference`` (``history``, ``test_accuracy``, ``test_macro_f1``,
    ``training_seconds``); ``reference_model`` (``test_accuracy``, ``test_macro_f1``);
    ``ensembles_and_flips_on_the_test_split`` (the scratch CNN and the reference model with
    test-time flips, averaged together, and both: ``test_accuracy``, some ``test_macro_f1``;
    measured beside the run with its saved models, so they decided nothing).
    """
    return json.loads((RECORDED / "notebook10_on_fer2013.json").read_text())


def recall_per_class(run: dict | None = None) -> dict[str, float]:
    """The from-scratch model's recall per class on the recorded run's test split, from its
    confusion matrix (rows: true class): the share of each class's faces it named right."""
    run = run or fer2013_run()
    cm = np.asarray(run["from_scratch"]["test_confusion_matrix_rows_true_cols_predicted"], float)
    return {name: float(cm[k, k] / cm[k].sum()) for k, name in enumerate(run["class_names"])}
