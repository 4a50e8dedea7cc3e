"""The course's benchmark: prints a table of figures and writes them to build/benchmark.json.

    python3 course.py bench            (or: python -m helpers.bench)

Speed is measured here and reported, never asserted in a test. Figures so far:

* synthetic set: time to generate and to load the full-mode set (a fresh temporary folder,
  so the learner's data/ is not touched);
* a small CNN (helpers.models.build_small_cnn) trained for a few epochs on it: training
  throughput, validation/test accuracy and macro F1 beside the majority-class baseline.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from pathlib import Path

from helpers import config, data, models


def synthetic_figures(epochs: int = 5, fraction: float = 0.2) -> dict:
    """Generate, load and learn the synthetic set; return the figures."""
    import numpy as np
    from sklearn.metrics import f1_score

    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        root = data.generate_synthetic(Path(tmp) / "synthetic", fraction=fraction, verbose=False)
        figures["generate_seconds"] = time.perf_counter() - start
        start = time.perf_counter()
        splits = data.load_dataset(root)
        figures["load_seconds"] = time.perf_counter() - start
    train, val, test = splits["train"], splits["val"], splits["test"]
    figures["train_images"] = len(train)
    figures["test_images"] = len(test)

    config.set_seed(0)
    model = models.compile_classifier(models.build_small_cnn(), learning_rate=2e-3)
    start = time.perf_counter()
    history = model.fit(
        data.add_channel(train.images),
        train.labels,
        validation_data=(data.add_channel(val.images), val.labels),
        epochs=epochs,
        batch_size=32,
        verbose=0,
    )
    seconds = time.perf_counter() - start
    predicted = model.predict(data.add_channel(test.images), verbose=0).argmax(axis=1)
    figures.update(
        cnn_parameters=model.count_params(),
        cnn_epochs=epochs,
        cnn_train_seconds=seconds,
        cnn_train_images_per_second=len(train) * epochs / seconds,
        cnn_val_accuracy_by_epoch=[round(v, 4) for v in history.history["val_accuracy"]],
        cnn_test_accuracy=float(np.mean(predicted == test.labels)),
        cnn_test_macro_f1=float(f1_score(test.labels, predicted, average="macro")),
        majority_baseline_accuracy=float(np.bincount(test.labels).max() / len(test)),
    )
    return figures


def main() -> int:
    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": _cpus()},
        "synthetic": synthetic_figures(),
    }
    print(f"{'figure':40s} value")
    for section, figures in results.items():
        for key, value in figures.items():
            shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
            print(f"{section + '.' + key:40s} {shown}")
    out = config.ensure_dir(config.ROOT / "build") / "benchmark.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {config.relative(out)}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
