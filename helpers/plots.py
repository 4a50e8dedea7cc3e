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
