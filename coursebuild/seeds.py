"""How much notebook 10's result depends on the seed, and what its class weights change.

    python3 course.py bench --seeds           (or: python -m coursebuild.seeds)
    python3 course.py bench --seeds --seeds-list 1 2 3 --epochs 15

Trains notebook 10's synthetic recipe (the same model, pipeline, callbacks and learning-rate
schedule) once per seed and class weighting: with the square root of the balanced weights (the
notebook's choice) and without weights. Each run is judged on the validation split, where
settings are chosen; its test figures are printed too, to show how far a headline figure moves
from one seed to the next. About 2 minutes a run on the course's 2-core machine.

Notebook 10 quotes the figures this prints; the last run's table is written to
``build/seeds.json``. It uses the learner's synthetic set (``data/synthetic``, generated if
missing) and writes no model files.
"""

from __future__ import annotations

import json
import time

from helpers import config, data, models

#: the class weightings compared: None is unweighted, a number is the power of the balanced weights
WEIGHTINGS = {"square-root weights": 0.5, "no weights": None}


def training_dataset(train, seed: int, batch_size: int = 64):
    """Notebook 10's training pipeline for the split ``train``: raw faces cached in memory,
    reshuffled every epoch with ``seed``, batched, prefetched (the benchmark times the same)."""
    import tensorflow as tf

    return (
        tf.data.Dataset.from_tensor_slices((data.add_channel(train.images), train.labels))
        .cache()
        .shuffle(len(train), seed=seed)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )


def train_once(splits, seed: int, power, *, epochs: int) -> dict:
    """One training of the synthetic recipe: the validation and test figures of its best epoch."""
    import keras
    import numpy as np
    from sklearn.metrics import accuracy_score, f1_score

    recipe = models.RECIPES["synthetic"]
    train, val, test = splits["train"], splits["val"], splits["test"]
    x_val, x_test = data.add_channel(val.images), data.add_channel(test.images)
    keras.utils.set_random_seed(seed)  # first: the shuffling, the weights and the dropout all follow it
    train_ds = training_dataset(train, seed)  # after the seed: both weightings of a seed share their shuffles
    net = models.compile_classifier(
        models.build_emotion_cnn(**recipe["model"]), learning_rate=recipe["learning_rate"]
    )
    weights = None if power is None else models.balanced_class_weights(train.labels, power=power)
    start = time.perf_counter()
    history = net.fit(
        train_ds,
        validation_data=(x_val, val.labels),
        epochs=epochs,
        class_weight=weights,
        verbose=0,
        callbacks=[
            keras.callbacks.EarlyStopping(
                monitor="val_loss", patience=recipe["stop_patience"], restore_best_weights=True
            ),
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss", factor=0.5, patience=recipe["lr_patience"], min_lr=1e-5
            ),
        ],
    )
    seconds = time.perf_counter() - start
    val_pred = net.predict(x_val, verbose=0).argmax(axis=1)
    test_pred = net.predict(x_test, verbose=0).argmax(axis=1)
    disgust = val.labels == 1
    return {
        "seed": seed,
        "best_epoch": int(np.argmin(history.history["val_loss"])) + 1,
        "val_accuracy": float(accuracy_score(val.labels, val_pred)),
        "val_macro_f1": float(f1_score(val.labels, val_pred, average="macro")),
        "val_disgust_found": int(np.sum(val_pred[disgust] == 1)),
        "val_disgust_faces": int(disgust.sum()),
        "test_accuracy": float(accuracy_score(test.labels, test_pred)),
        "test_macro_f1": float(f1_score(test.labels, test_pred, average="macro")),
        "seconds": seconds,
    }


def spread(values) -> str:
    """``min-max (mean)`` of a few figures, three decimals."""
    return f"{min(values):.3f}-{max(values):.3f} (mean {sum(values) / len(values):.3f})"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python3 course.py bench --seeds",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--seeds-list", type=int, nargs="+", default=[42, 1, 2], help="the seeds (42 first: the notebook's)"
    )
    parser.add_argument("--epochs", type=int, default=models.RECIPES["synthetic"]["epochs"])
    args = parser.parse_args(argv)
    splits = data.load_dataset(data.ensure_dataset(verbose=False))
    runs = {label: [] for label in WEIGHTINGS}
    for seed in args.seeds_list:
        for label, power in WEIGHTINGS.items():
            run = train_once(splits, seed, power, epochs=args.epochs)
            runs[label].append(run)
            print(
                f"seed {seed:3d}  {label:20s} best epoch {run['best_epoch']:2d}  "
                f"val accuracy {run['val_accuracy']:.3f}  val macro F1 {run['val_macro_f1']:.3f}  "
                f"val disgust {run['val_disgust_found']} of {run['val_disgust_faces']}  "
                f"test accuracy {run['test_accuracy']:.3f}  test macro F1 {run['test_macro_f1']:.3f}  "
                f"{run['seconds']:.0f} s",
                flush=True,
            )
    print(f"\n{len(args.seeds_list)} seeds, {args.epochs} epochs at most; min-max over the seeds:")
    import numpy as np

    labels = list(WEIGHTINGS)
    for key in ("val_accuracy", "val_macro_f1"):  # paired: the same seed, with minus without weights
        diffs = [a[key] - b[key] for a, b in zip(runs[labels[0]], runs[labels[1]], strict=True)]
        print(
            f"{key} difference per seed ({labels[0]} minus {labels[1]}): "
            + ", ".join(f"{d:+.3f}" for d in diffs)
            + f" (mean {np.mean(diffs):+.3f})"
        )
    for label, group in runs.items():
        print(f"{label:20s}")
        for key in ("val_accuracy", "val_macro_f1", "test_accuracy", "test_macro_f1"):
            print(f"    {key:14s} {spread([r[key] for r in group])}")
        print(
            f"    val disgust found: {[r['val_disgust_found'] for r in group]} of {group[0]['val_disgust_faces']}"
        )
    out = config.ensure_dir(config.ROOT / "build") / "seeds.json"
    out.write_text(json.dumps({"epochs": args.epochs, "runs": runs}, indent=2) + "\n")
    print(f"\nwritten to {config.relative(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
