"""Pictures of ideas that have a shape: a batch of faces, broadcasting, a Haar feature, a
convolution sliding over a face. The notebooks call these before (or without) teaching
matplotlib, so each returns a finished figure; the numbers a picture shows are also returned
where a notebook checks them.
"""

from __future__ import annotations

import numpy as np

#: Colours shared by the pictures.
LIGHT, DARK, MARK = "#f2c14e", "#3b6fb6", "#d62728"


def _grid(ax, values, x0, y0, *, colour="#dfe8f5", alpha=1.0, fmt="{:g}", cell=1.0, fontsize=9):
    """Draw ``values`` (2-D) as a grid of labelled squares whose top-left corner is (x0, y0)."""
    import matplotlib.patches as patches

    values = np.atleast_2d(values)
    for r in range(values.shape[0]):
        for c in range(values.shape[1]):
            x, y = x0 + c * cell, y0 + r * cell
            ax.add_patch(
                patches.Rectangle(
                    (x, y), cell, cell, facecolor=colour, edgecolor="#555555", lw=0.8, alpha=alpha
                )
            )
            ax.text(
                x + cell / 2,
                y + cell / 2,
                fmt.format(values[r, c]),
                ha="center",
                va="center",
                fontsize=fontsize,
                alpha=max(alpha, 0.45),
            )


def batch_picture(images, *, show: int = 4):
    """A batch of grey faces as a stack of cards, its four axes named: (N, H, W, C).

    ``images`` is an (N, 48, 48) or (N, 48, 48, 1) array; the first ``show`` faces are drawn,
    one behind the other. Returns the figure.
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    if images.ndim != 3:
        raise ValueError(f"batch_picture wants (N, H, W) or (N, H, W, 1) faces, got shape {images.shape}")
    n, h, w = images.shape
    show = min(show, n)
    step = 0.25 * w
    far = (show - 1) * step
    fig, ax = plt.subplots(figsize=(7.2, 3.9))
    for i in reversed(range(show)):  # face 0 in front, at the bottom left; the others behind it
        x, y = i * step, far - i * step
        ax.imshow(images[i], cmap="gray", vmin=0, vmax=255, extent=(x, x + w, y + h, y), zorder=show - i)
        ax.add_patch(plt.Rectangle((x, y), w, h, fill=False, color="black", lw=1, zorder=show - i))
    ax.annotate(
        "", xy=(far + 2, -3), xytext=(2, far - 3), arrowprops=dict(arrowstyle="->", color=MARK, lw=1.5)
    )
    ax.text(
        far / 2 - 6, far / 2 - 8, f"N = {n} faces\n(axis 0)", color=MARK, fontsize=10, ha="right", va="center"
    )
    ax.annotate("", xy=(-3, far + h), xytext=(-3, far), arrowprops=dict(arrowstyle="<->", color="black"))
    ax.text(-6, far + h / 2, f"H = {h} rows\n(axis 1)", ha="right", va="center", fontsize=10)
    ax.annotate(
        "", xy=(w, far + h + 3), xytext=(0, far + h + 3), arrowprops=dict(arrowstyle="<->", color="black")
    )
    ax.text(w / 2, far + h + 6, f"W = {w} columns (axis 2)", ha="center", va="top", fontsize=10)
    ax.text(
        far + w + 14,
        far / 2 + h / 2,
        "C = 1 channel (axis 3):\none grey number per pixel\n(a colour image has 3)",
        fontsize=10,
        va="center",
    )
    ax.set_xlim(-45, far + w + 75)
    ax.set_ylim(far + h + 16, -8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"a batch of shape ({n}, {h}, {w}, 1)  (the first {show} faces drawn)", fontsize=11)
    fig.tight_layout()
    return fig


def broadcasting_picture():
    """Broadcasting, drawn: a (3, 7) array divided by a (3, 1) column, and by a (7,) row.

    The small array is drawn where it is, and faded where NumPy repeats it to match the big
    one. Returns the figure.
    """
    import matplotlib.pyplot as plt

    scores = np.arange(1, 22).reshape(3, 7)
    column = scores.sum(axis=1, keepdims=True)  # (3, 1)
    row = scores.max(axis=0)  # (7,)
    fig, axes = plt.subplots(2, 1, figsize=(10, 4.6))
    cases = [
        (
            axes[0],
            column,
            "(3, 7)  /  (3, 1): the column is repeated across the 7 columns",
            "each row divided\nby its own number",
        ),
        (
            axes[1],
            row[None, :],
            "(3, 7)  /  (7,): the row is repeated down the 3 rows",
            "each column divided\nby its own number",
        ),
    ]
    for ax, small, title, meaning in cases:
        _grid(ax, scores, 0, 0)
        ax.text(7.6, 1.5, "/", fontsize=20, ha="center", va="center")
        x0 = 8.3
        for r in range(3):  # where the small array really is, and where it is repeated
            for c in range(7):
                real = (small.shape[1] == 1 and c == 0) or (small.shape[0] == 1 and r == 0)
                value = small[r, 0] if small.shape[1] == 1 else small[0, c]
                _grid(
                    ax, [[value]], x0 + c, r, colour=LIGHT if real else "#fbeec8", alpha=1.0 if real else 0.55
                )
        ax.text(x0 + 7.5, 1.5, "=", fontsize=18, ha="center", va="center")
        ax.text(x0 + 8.2, 1.5, f"a (3, 7) result:\n{meaning}", fontsize=10, va="center")
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_xlim(-0.2, x0 + 12)
        ax.set_ylim(3.2, -0.2)
        ax.set_aspect("equal")
        ax.axis("off")
    fig.text(
        0.5,
        0.01,
        "strong yellow: the numbers that exist;  pale: the copies NumPy pretends are there "
        "(no memory is used for them)",
        ha="center",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


#: The two Haar features drawn by :func:`haar_picture`, as fractions of the face's box:
#: (name, [(top, bottom, left, right, "dark" or "light"), ...]).
HAAR_FEATURES = (
    ("eyes darker than the cheeks", [(0.25, 0.45, 0.12, 0.88, "dark"), (0.45, 0.65, 0.12, 0.88, "light")]),
    (
        "nose bridge brighter than the eyes",
        [
            (0.25, 0.45, 0.12, 0.38, "dark"),
            (0.25, 0.45, 0.38, 0.62, "light"),
            (0.25, 0.45, 0.62, 0.88, "dark"),
        ],
    ),
)


def haar_values(face) -> dict[str, float]:
    """Each of :data:`HAAR_FEATURES` on a grey face crop: mean of the light rectangles minus
    mean of the dark ones (a real cascade uses sums, at many sizes and places)."""
    face = np.asarray(face, dtype=np.float64)
    h, w = face.shape
    values = {}
    for name, rects in HAAR_FEATURES:
        parts = {"dark": [], "light": []}
        for top, bottom, left, right, kind in rects:
            parts[kind].append(
                face[round(top * h) : round(bottom * h), round(left * w) : round(right * w)].ravel()
            )
        values[name] = float(np.concatenate(parts["light"]).mean() - np.concatenate(parts["dark"]).mean())
    return values


def haar_picture(face):
    """Two Haar features laid on a grey face crop, with the value each gives on it.

    Returns ``(figure, values)``; ``values`` is :func:`haar_values` of the face: positive
    where the face has the pattern (light where the feature is light).
    """
    import matplotlib.pyplot as plt

    face = np.asarray(face)
    h, w = face.shape
    values = haar_values(face)
    fig, axes = plt.subplots(1, len(HAAR_FEATURES), figsize=(7.5, 4.0))
    for ax, (name, rects) in zip(axes, HAAR_FEATURES, strict=True):
        ax.imshow(face, cmap="gray", vmin=0, vmax=255)
        for top, bottom, left, right, kind in rects:
            x, y = left * w - 0.5, top * h - 0.5
            ax.add_patch(
                plt.Rectangle(
                    (x, y),
                    (right - left) * w,
                    (bottom - top) * h,
                    alpha=0.45,
                    facecolor=DARK if kind == "dark" else LIGHT,
                    edgecolor="black",
                    lw=1,
                )
            )
        ax.set_title(f"{name}\nlight minus dark: {values[name]:+.0f} grey levels", fontsize=10)
        ax.axis("off")
    fig.suptitle("Haar features: the blue rectangles should be darker than the yellow ones", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.93))
    return fig, values


def convolution_picture(image, weights, at: tuple[int, int]):
    """One 3x3 convolution step, drawn: the nine pixels around ``at`` (row, column) on the
    image, times the nine weights, added up into one value of the feature map.

    ``image`` is 2-D (values 0-1 or 0-255), ``weights`` 3x3. The feature map is computed here
    the slow, plain way (zeros around the border, as Keras' ``padding="same"``). Returns
    ``(figure, feature_map)``.
    """
    import matplotlib.pyplot as plt

    image = np.asarray(image, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape != (3, 3) or image.ndim != 2:
        raise ValueError(f"want a 2-D image and 3x3 weights, got {image.shape} and {weights.shape}")
    padded = np.pad(image, 1)
    feature_map = np.zeros_like(image)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            feature_map[r, c] = np.sum(padded[r : r + 3, c : c + 3] * weights)
    r, c = at
    patch = padded[r : r + 3, c : c + 3]

    fig, axes = plt.subplots(1, 4, figsize=(12, 3.5), gridspec_kw={"width_ratios": [1.2, 1, 1, 1.2]})
    axes[0].imshow(image, cmap="gray")
    axes[0].add_patch(plt.Rectangle((c - 1.5, r - 1.5), 3, 3, fill=False, color=MARK, lw=2))
    axes[0].set_title(f"the image: the 3x3 window\naround row {r}, column {c}", fontsize=10)
    for ax, values, title, colour in [
        (axes[1], patch, "its nine pixels", "#eeeeee"),
        (axes[2], weights, "times the filter's\nnine weights", LIGHT),
    ]:
        _grid(ax, values, 0, 0, colour=colour, fmt="{:.2f}" if values is patch else "{:g}", fontsize=10)
        ax.set_xlim(-0.1, 3.1)
        ax.set_ylim(3.1, -0.1)
        ax.set_aspect("equal")
        ax.set_title(title, fontsize=10)
    axes[1].text(3.45, 1.5, "x", fontsize=16, va="center")
    axes[2].text(
        3.4, 1.5, f"= {feature_map[r, c]:.2f}\n(the nine products\nadded up)", fontsize=10, va="center"
    )
    limit = np.abs(feature_map).max() or 1.0
    axes[3].imshow(feature_map, cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[3].add_patch(plt.Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, color="black", lw=2))
    axes[3].set_title("the feature map: one value\nper window position", fontsize=10)
    for ax in axes:
        ax.axis("off")
    fig.tight_layout()
    return fig, feature_map
