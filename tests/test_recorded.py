"""The recorded FER2013 run (helpers/recorded.py): its figures agree with each other."""

from __future__ import annotations

import numpy as np

from helpers import recorded
from helpers.data import CLASS_NAMES


def test_the_recorded_run_is_consistent():
    run = recorded.fer2013_run()
    assert run["class_names"] == list(CLASS_NAMES) and run["date"] == "2026-12-06"
    scratch = run["from_scratch"]
    history = scratch["history"]
    assert {len(v) for v in history.values()} == {scratch["epochs_run"]}
    cm = np.asarray(scratch["test_confusion_matrix_rows_true_cols_predicted"])
    assert cm.shape == (7, 7) and cm.sum() == 3589  # FER2013's PrivateTest split
    assert round(np.trace(cm) / cm.sum(), 4) == scratch["test_accuracy"]
    for name, recall in recorded.recall_per_class(run).items():  # the report's recall column
        line = next(
            line for line in scratch["classification_report"].splitlines() if line.split()[:1] == [name]
        )
        assert abs(float(line.split()[2]) - recall) < 5e-4, name
    assert round(recorded.recall_per_class(run)["fear"], 2) == 0.33
    assert abs(sum(history["seconds"]) - scratch["training_seconds"]) < 60
