"""helpers.plots: each figure has the parts a reader relies on (panels, labels, legends,
annotations), checked on the figure objects rather than by looking."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import data, plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_face_grid_has_a_row_per_class_and_leaves_missing_faces_blank():
    labels = np.array([0, 0, 3, 3, 3, 6])
    images = np.zeros((6, 48, 48), np.uint8)
    fig = plots.face_grid(images, labels, per_class=3, title="t")
    axes = np.array(fig.axes).reshape(7, 3)
    assert [ax.get_ylabel() for ax in axes[:, 0]] == [f"{i} {n}" for i, n in enumerate(data.CLASS_NAMES)]
    assert [len(ax.images) for ax in axes[0]] == [1, 1, 0]  # two angry faces for three places
    assert sum(len(ax.images) for ax in axes[1]) == 0  # no disgust face at all


def test_count_bars_labels_every_bar_and_compares_shares():
    counts = {"angry": 10, "disgust": 1, "happy": 30}
    fig = plots.count_bars(counts, reference={"angry": 100, "disgust": 10, "happy": 100})
    ax = fig.axes[0]
    assert ax.get_ylabel() == "share of images (%)"
    assert [t.get_text() for t in ax.texts] == ["10", "1", "30"]
    heights = [p.get_height() for p in ax.patches]
    assert heights[:3] == pytest.approx([100 * 10 / 41, 100 * 1 / 41, 100 * 30 / 41])


def test_training_curves_two_panels_from_epoch_1_with_the_best_epoch_marked():
    history = {
        "loss": [2.0, 1.5, 1.2],
        "val_loss": [1.9, 1.4, 1.6],
        "accuracy": [0.2, 0.4, 0.5],
        "val_accuracy": [0.25, 0.45, 0.4],
    }
    fig = plots.training_curves(history, title="run")
    loss_ax, acc_ax = fig.axes
    lines = [ln for ln in loss_ax.get_lines() if ln.get_label() in ("training", "validation")]
    assert len(lines) == 2 and list(lines[0].get_xdata()) == [1, 2, 3]
    assert loss_ax.get_xlabel() == "epoch" and acc_ax.get_ylabel() == "accuracy"
    marks = [ln for ln in loss_ax.get_lines() if ln.get_linestyle() == ":"]
    assert marks and marks[0].get_xdata()[0] == 2  # lowest validation loss at epoch 2
    assert "epoch 2" in loss_ax.texts[0].get_text()


def test_training_curves_without_validation():
    fig = plots.training_curves({"loss": [1.0, 0.5], "accuracy": [0.5, 0.7]})
    assert len(fig.axes[0].get_lines()) == 1


def test_confusion_matrix_annotates_every_cell_and_normalises_rows():
    cm = np.diag([5, 1, 2, 0, 3, 1, 4])
    cm[6, 4] = 4  # half of the neutral faces called sad
    fig = plots.confusion_matrix(cm, normalize=True, title="cm")
    ax = fig.axes[0]
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts}
    assert len(texts) == 49
    assert texts[(6, 4)] == "0.50" and texts[(6, 6)] == "0.50"
    assert texts[(3, 3)] == "0.00"  # an empty row stays 0, no division by zero
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    counts = plots.confusion_matrix(cm).axes[0]
    assert {t.get_text() for t in counts.texts} >= {"5", "4"}


def test_confusion_matrix_refuses_a_wrong_shape():
    with pytest.raises(ValueError, match="7x7"):
        plots.confusion_matrix(np.zeros((3, 3)))


def test_training_curves_label_the_best_epoch_inside_the_axes_when_it_is_the_last():
    history = {
        "loss": [2, 1.5, 1],
        "val_loss": [2.1, 1.6, 1.1],
        "accuracy": [0.2, 0.4, 0.6],
        "val_accuracy": [0.2, 0.4, 0.5],
    }
    fig = plots.training_curves(history)
    note = [t for t in fig.axes[0].texts if "lowest validation loss" in t.get_text()][0]
    assert note.get_ha() == "right"  # written to the left of the last epoch's line, not past the edge


def test_reliability_diagram_draws_the_diagonal_and_reports_the_ece():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 7, 500)
    probs = rng.dirichlet(np.ones(7) * 0.3, 500)
    fig = plots.reliability_diagram(probs, labels, label="random")
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert texts[0] == "calibrated" and texts[1].startswith("random (ECE ")
