"""Figures the notebooks share: grids of faces with their labels, class-count bars."""

from __future__ import annotations

import numpy as np

from helpers.data import CLASS_NAMES


def face_grid(
    images, labels, *, per_class: int = 8, class_names=CLASS_NAMES, title: str | None = None, seed: int = 0
):
    """A grid with one row per class and ``per_class`` example faces in each row.

    ``labels`` index ``class_names``. The examples are picked at random (from ``seed``);
    a class with fewer faces leaves the rest of its row empty. Returns the figure.
    """
    import matplotlib.pyplot as plt

    images, labels = np.asarray(images), np.asarray(labels)
    rng = np.random.default_rng(seed)
    rows = len(class_names)
    fig, axes = plt.subplots(rows, per_class, figsize=(per_class * 0.95, rows * 1.05), squeeze=False)
    for row, name in enumerate(class_names):
        idx = np.flatnonzero(labels == row)
        chosen = rng.choice(idx, size=min(per_class, len(idx)), replace=False) if len(idx) else []
        for col in range(per_class):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if col < len(chosen):
                ax.imshow(images[chosen[col]], cmap="gray", vmin=0, vmax=255)
        axes[row, 0].set_ylabel(f"{row} {name}", rotation=0, ha="right", va="center", fontsize=10)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def count_bars(
    counts: dict[str, int],
    *,
    reference: dict[str, int] | None = None,
    title: str | None = None,
    reference_label: str = "FER2013",
):
    """Bar chart of images per class; with ``reference``, its shares are drawn beside ours
    (both as a percentage of their own total, so sets of different sizes compare)."""
    import matplotlib.pyplot as plt

    names = list(counts)
    ours = np.array([counts[n] for n in names], dtype=float)
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    if reference is None:
        bars = ax.bar(x, ours, color="tab:blue")
        ax.bar_label(bars, labels=[f"{int(v):,}" for v in ours], fontsize=8)
        ax.set_ylabel("images")
    else:
        ref = np.array([reference[n] for n in names], dtype=float)
        bars = ax.bar(x - 0.2, 100 * ours / ours.sum(), 0.4, label=f"this set ({int(ours.sum()):,} images)")
        ax.bar(
            x + 0.2,
            100 * ref / ref.sum(),
            0.4,
            label=f"{reference_label} ({int(ref.sum()):,} images)",
            color="tab:gray",
        )
        ax.bar_label(bars, labels=[f"{int(v):,}" for v in ours], fontsize=8)
        ax.set_ylabel("share of images (%)")
        ax.legend(fontsize=8)
    ax.set_xticks(x, names)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def training_curves(history, *, title: str | None = None, metric: str = "accuracy"):
    """Loss and ``metric`` per epoch, training beside validation, from ``history.history``
    (a Keras ``History`` or its dictionary). Epochs are numbered from 1; the epoch with the
    lowest validation loss is marked. Returns the figure (notebook 06 explains each part)."""
    import matplotlib.pyplot as plt

    h = getattr(history, "history", history)
    epochs = np.arange(1, len(h["loss"]) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for ax, key, label in ((axes[0], "loss", "loss"), (axes[1], metric, metric)):
        ax.plot(epochs, h[key], "o-", label="training")
        if f"val_{key}" in h:
            ax.plot(epochs, h[f"val_{key}"], "o-", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    if "val_loss" in h:
        best = int(np.argmin(h["val_loss"])) + 1
        for ax in axes:
            ax.axvline(best, color="gray", ls=":", lw=1)
        last = best > (len(epochs) + 1) / 2  # in the right half: write the label to the left of the line
        axes[0].annotate(
            f"lowest validation loss\n(epoch {best})",
            (best, min(h["val_loss"])),
            textcoords="offset points",
            xytext=(-8, 12) if last else (8, 12),
            ha="right" if last else "left",
            fontsize=8,
            color="gray",
        )
    if metric == "accuracy":
        axes[1].yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    for ax in axes:
        ax.xaxis.set_major_locator(plt.matplotlib.ticker.MaxNLocator(integer=True))
        ax.legend(fontsize=8)
    axes[0].set_title("loss (lower is better)")
    axes[1].set_title(f"{metric} (higher is better)")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def confusion_matrix(
    cm, class_names=CLASS_NAMES, *, normalize: bool = False, title: str | None = None, ax=None
):
    """A confusion-matrix heat map: rows are the true classes, columns the predicted ones.

    With ``normalize=True`` each row is divided by its total, so a cell reads "of the faces
    of this class, the share predicted as that one", and rare classes are as visible as
    common ones. Every cell is annotated. Returns the figure.
    """
    import matplotlib.pyplot as plt

    cm = np.asarray(cm, dtype=float)
    if cm.shape != (len(class_names), len(class_names)):
        raise ValueError(
            f"a confusion matrix for {len(class_names)} classes is {len(class_names)}x"
            f"{len(class_names)}; got shape {cm.shape}"
        )
    shown = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1) if normalize else cm
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.2, 5.4))
    else:
        fig = ax.figure
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=1 if normalize else max(shown.max(), 1))
    fig.colorbar(
        image, ax=ax, fraction=0.046, pad=0.04, label="share of the true class" if normalize else "faces"
    )
    threshold = (1 if normalize else shown.max()) / 2
    for i in range(shown.shape[0]):
        for j in range(shown.shape[1]):
            text = f"{shown[i, j]:.2f}" if normalize else f"{int(shown[i, j])}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if shown[i, j] > threshold else "black",
            )
    ticks = np.arange(len(class_names))
    ax.set_xticks(ticks, class_names, rotation=45, ha="right")
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def reliability_diagram(
    probs, labels, *, bins: int = 10, ax=None, label: str = "model", title: str | None = None
):
    """Accuracy against confidence, one point per confidence group (:func:`helpers.stats.calibration_bins`),
    beside the diagonal where a calibrated model's points lie; each point's size shows how many
    faces are in its group, and the number beside it says it (a point of a few faces is
    noise). Points below the diagonal: the model says more than it knows; above: less.
    Draws on ``ax`` (or a new figure); returns the figure."""
    import matplotlib.pyplot as plt

    from helpers import stats

    groups = stats.calibration_bins(probs, labels, bins)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
    else:
        fig = ax.figure
    ax.plot([0, 1], [0, 1], color="gray", ls="--", lw=1, label="calibrated")
    conf, acc, counts = (np.array(v) for v in zip(*groups, strict=True))
    ece = stats.expected_calibration_error(probs, labels, bins)
    ax.plot(conf, acc, "-", alpha=0.6)
    ax.scatter(conf, acc, s=20 + 200 * counts / counts.max(), label=f"{label} (ECE {ece:.3f})", zorder=3)
    for c, a, n in zip(conf, acc, counts, strict=True):
        ax.annotate(str(n), (c, a), textcoords="offset points", xytext=(6, -10), fontsize=7, color="0.3")
    ax.set(
        xlim=(0, 1), ylim=(0, 1), xlabel="confidence (the top probability)", ylabel="accuracy in that group"
    )
    ax.set_aspect("equal")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    return fig
