"""Procedural 48x48 grey faces whose expression carries an emotion label.

The faces stand in for FER2013 wherever the real set is not at hand (CI, a classroom with
no downloads, a first run). Each face is drawn from a handful of expression parameters,
the cues people read emotions from:

=============  =================================================================
parameter      meaning (0 is a neutral face)
=============  =================================================================
``brow``       brows raised (+) or lowered (-)
``tilt``       inner ends of the brows up (+, sad/fear) or down into a frown (-, angry)
``eyes``       eye opening, 1.0 is relaxed; wide open > 1, narrowed < 1
``curve``      mouth corners up (+, smile) or down (-)
``open``       mouth opening, 0 closed to 1 wide open
``width``      mouth width, 1.0 is relaxed; stretched > 1
``sneer``      one side of the upper lip raised (disgust)
``wrinkle``    creases on the nose (disgust, some anger)
=============  =================================================================

Every class has a typical setting (:data:`EXPRESSIONS`); a face blends neutral and that
setting by a random *intensity*, adds per-face jitter, and is then varied in identity
(face shape, skin and hair tone, glasses), pose (position, scale, rotation), lighting,
blur and noise. A weak expression looks almost neutral, and the pairs that real FER2013
confuses (fear/surprise, angry/disgust, sad/neutral) differ in only one or two cues,
so a CNN learns the set well but not perfectly.

Everything is deterministic from a seed: :func:`render_face` takes a NumPy ``Generator``.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

SIZE = 48  # output side, as FER2013
_S = 2  # drawn at 2x, then shrunk with area averaging (smooth edges)
_C = SIZE * _S  # canvas side

#: Neutral face parameters; every expression is a change from these.
NEUTRAL = {
    "brow": 0.0,
    "tilt": 0.0,
    "eyes": 1.0,
    "curve": 0.0,
    "open": 0.0,
    "width": 1.0,
    "sneer": 0.0,
    "wrinkle": 0.0,
}

#: Typical parameters of each expression (FER2013 class names).
EXPRESSIONS: dict[str, dict[str, float]] = {
    "angry": {
        "brow": -0.9,
        "tilt": -1.0,
        "eyes": 0.75,
        "curve": -0.35,
        "open": 0.1,
        "width": 0.9,
        "wrinkle": 0.3,
    },
    "disgust": {
        "brow": -0.7,
        "tilt": -0.5,
        "eyes": 0.7,
        "curve": -0.45,
        "open": 0.15,
        "width": 0.95,
        "sneer": 0.9,
        "wrinkle": 1.0,
    },
    "fear": {"brow": 0.6, "tilt": 0.8, "eyes": 1.5, "curve": -0.25, "open": 0.45, "width": 1.25},
    "happy": {"brow": 0.1, "eyes": 0.7, "curve": 1.0, "open": 0.35, "width": 1.25},
    "sad": {"brow": 0.05, "tilt": 0.7, "eyes": 0.8, "curve": -0.6, "open": 0.0, "width": 0.95},
    "surprise": {"brow": 1.0, "tilt": 0.15, "eyes": 1.6, "curve": 0.0, "open": 0.9, "width": 0.8},
    "neutral": {},
}

#: Per-face jitter (standard deviation) of each parameter, on top of the class setting.
JITTER = {
    "brow": 0.18,
    "tilt": 0.18,
    "eyes": 0.12,
    "curve": 0.15,
    "open": 0.08,
    "width": 0.07,
    "sneer": 0.12,
    "wrinkle": 0.12,
}


def expression_params(emotion: str, rng: np.random.Generator) -> dict[str, float]:
    """Sample one face's expression parameters for ``emotion``.

    The class setting is scaled by an intensity between 0.35 and 1 (a weak expression
    is close to neutral), then every parameter gets its own jitter.
    """
    if emotion not in EXPRESSIONS:
        raise ValueError(f"unknown emotion {emotion!r}; expected one of {list(EXPRESSIONS)}")
    target = {**NEUTRAL, **EXPRESSIONS[emotion]}
    intensity = rng.uniform(0.35, 1.0) if emotion != "neutral" else 0.0
    params = {}
    for key, neutral in NEUTRAL.items():
        value = neutral + intensity * (target[key] - neutral) + rng.normal(0.0, JITTER[key])
        params[key] = value
    params["eyes"] = float(np.clip(params["eyes"], 0.35, 1.9))
    params["open"] = float(np.clip(params["open"], 0.0, 1.0))
    params["width"] = float(np.clip(params["width"], 0.7, 1.4))
    params["sneer"] = float(max(params["sneer"], 0.0))
    params["wrinkle"] = float(max(params["wrinkle"], 0.0))
    return params


def _pt(x: float, y: float) -> tuple[int, int]:
    return int(round(x)), int(round(y))


def _draw_eye(img, cx, cy, w, h_open, skin, rng, glasses):
    """An eye: white of the eye, iris and pupil, upper lid line."""
    h = max(1.0, 5.0 * h_open)
    sclera = min(255, skin + 45)
    cv2.ellipse(img, _pt(cx, cy), _pt(w, h), 0, 0, 360, sclera, -1, cv2.LINE_AA)
    iris_r = min(h, 4.2)
    gaze = rng.normal(0, 1.0)
    cv2.circle(img, _pt(cx + gaze, cy), max(1, int(round(iris_r))), max(0, skin - 110), -1, cv2.LINE_AA)
    cv2.ellipse(img, _pt(cx, cy), _pt(w, h), 0, 180, 360, max(0, skin - 120), 2, cv2.LINE_AA)
    if h_open < 0.6:  # narrowed eyes: a heavy lower lid as well
        cv2.ellipse(img, _pt(cx, cy), _pt(w, h), 0, 0, 180, max(0, skin - 90), 2, cv2.LINE_AA)
    if glasses:
        cv2.rectangle(img, _pt(cx - w - 4, cy - 8), _pt(cx + w + 4, cy + 8), glasses, 2, cv2.LINE_AA)


def _mouth_curve(cx, cy, half_w, curve, sneer, n=13):
    """Points of the upper lip line: a parabola whose corners go up with ``curve``."""
    xs = np.linspace(-1.0, 1.0, n)
    ys = cy - curve * 6.0 * (xs**2 - 0.5)  # corners up for a smile, down for a frown
    ys = ys - sneer * 5.0 * np.clip(xs, 0, None) ** 1.5  # one side of the lip raised
    return np.stack([cx + xs * half_w, ys], axis=1)


def _draw_mouth(img, cx, cy, p, skin):
    half_w = 13.0 * p["width"]
    upper = _mouth_curve(cx, cy, half_w, p["curve"], p["sneer"])
    lip = max(0, skin - 95)
    if p["open"] > 0.08:
        xs = np.linspace(-1.0, 1.0, len(upper))
        depth = p["open"] * 15.0 * (1 - xs**2) ** 0.8
        lower = upper + np.stack([np.zeros_like(xs), depth], axis=1)
        poly = np.concatenate([upper, lower[::-1]]).round().astype(np.int32)
        cv2.fillPoly(img, [poly], max(0, skin - 140), cv2.LINE_AA)
        if p["curve"] > 0.4 and p["open"] > 0.2:  # a smile shows the upper teeth
            teeth = np.concatenate([upper, (upper * 0.65 + lower * 0.35)[::-1]])
            cv2.fillPoly(img, [teeth.round().astype(np.int32)], min(255, skin + 40), cv2.LINE_AA)
        cv2.polylines(img, [poly], True, lip, 2, cv2.LINE_AA)
    else:
        cv2.polylines(img, [upper.round().astype(np.int32)], False, lip, 3, cv2.LINE_AA)


def _draw_brow(img, x_outer, x_inner, y, p, side, hair):
    """One brow from its outer to its inner end; raised with ``brow``, tilted with ``tilt``."""
    base = y - 6.0 * p["brow"]
    y_inner = base - 5.0 * p["tilt"]
    y_outer = base + 1.5 * p["tilt"]
    x_mid = (x_outer + x_inner) / 2
    y_mid = (y_inner + y_outer) / 2 - 2.0 - 1.5 * max(p["brow"], 0)  # an arch, higher when raised
    pts = np.array([[x_outer, y_outer], [x_mid, y_mid], [x_inner, y_inner]])
    cv2.polylines(img, [pts.round().astype(np.int32)], False, hair, 4, cv2.LINE_AA)


def render_face(emotion: str, rng: np.random.Generator) -> np.ndarray:
    """Draw one 48x48 ``uint8`` grey face showing ``emotion``."""
    p = expression_params(emotion, rng)
    c = _C

    skin = int(rng.uniform(105, 215))
    hair = int(rng.uniform(10, max(11, skin - 60)))
    cx, cy = c / 2, c / 2 + 4
    fw, fh = rng.uniform(29, 35), rng.uniform(38, 44)  # half width and height of the face

    # The head is drawn on its own layer with a mask, so that moving it later leaves
    # plain background behind instead of smeared edges.
    img = np.zeros((c, c), np.uint8)
    mask = np.zeros((c, c), np.uint8)

    def head(layer, hair_v, ear_v, skin_v):  # hair behind the head, ears, then the face
        cv2.ellipse(layer, _pt(cx, cy - 8), _pt(fw + 5, fh + 4), 0, 0, 360, hair_v, -1, cv2.LINE_AA)
        for sx in (-1, 1):
            cv2.ellipse(layer, _pt(cx + sx * fw, cy + 2), (5, 9), 0, 0, 360, ear_v, -1, cv2.LINE_AA)
        cv2.ellipse(layer, _pt(cx, cy), _pt(fw, fh), 0, 0, 360, skin_v, -1, cv2.LINE_AA)

    head(img, hair, skin - 10, skin)
    head(mask, 255, 255, 255)
    fringe = rng.uniform(0, 10)
    cv2.ellipse(img, _pt(cx, cy - fh + 2), _pt(fw + 1, 6 + fringe), 0, 0, 180, hair, -1, cv2.LINE_AA)

    eye_y = cy - 7 + rng.normal(0, 1.0)
    eye_dx = rng.uniform(12, 15)
    eye_w = rng.uniform(6.5, 8.0)
    glasses = int(rng.uniform(0, 60)) if rng.random() < 0.1 else 0
    for side in (-1, 1):
        ex = cx + side * eye_dx
        _draw_eye(img, ex, eye_y, eye_w, p["eyes"], skin, rng, glasses)
        _draw_brow(img, ex + side * (eye_w + 2), ex - side * (eye_w - 1), eye_y - 11, p, side, hair)
    if glasses:
        cv2.line(img, _pt(cx - eye_dx + eye_w + 4, eye_y), _pt(cx + eye_dx - eye_w - 4, eye_y), glasses, 2)

    # Nose: a shadow line and nostrils; creases across the bridge for disgust.
    nose_y = cy + 8
    shade = max(0, skin - 45)
    cv2.line(img, _pt(cx + 2, eye_y + 4), _pt(cx + 3, nose_y), shade, 1, cv2.LINE_AA)
    for sx in (-1, 1):
        cv2.circle(img, _pt(cx + sx * 4, nose_y + 1), 2, max(0, skin - 70), -1, cv2.LINE_AA)
    for k in range(int(round(min(p["wrinkle"], 1.5) * 2.5))):
        yk = eye_y + 3 + 3 * k
        cv2.line(img, _pt(cx - 4, yk), _pt(cx + 4, yk + 1), shade, 1, cv2.LINE_AA)

    _draw_mouth(img, cx, cy + 21 + rng.normal(0, 1.0), p, skin)

    # Pose: rotate, scale and shift the head, then lay it over a background with a gradient.
    angle = rng.normal(0, 7)
    scale = rng.uniform(0.85, 1.12)
    m = cv2.getRotationMatrix2D((c / 2, c / 2), angle, scale)
    m[:, 2] += rng.normal(0, 3.0 * _S, size=2)
    img = cv2.warpAffine(img, m, (c, c), flags=cv2.INTER_LINEAR, borderValue=0)
    mask = cv2.warpAffine(mask, m, (c, c), flags=cv2.INTER_LINEAR, borderValue=0)
    img = cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
    alpha = cv2.resize(mask, (SIZE, SIZE), interpolation=cv2.INTER_AREA).astype(np.float32) / 255

    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE - 0.5
    ang = rng.uniform(0, 2 * math.pi)
    bg = rng.uniform(20, 235) + rng.uniform(-40, 40) * (xx * math.cos(ang) + yy * math.sin(ang))
    face = alpha * img + (1 - alpha) * bg

    # Lighting from one side, contrast, blur and sensor noise.
    ang = rng.uniform(0, 2 * math.pi)
    face *= 1.0 + rng.uniform(0, 0.6) * (xx * math.cos(ang) + yy * math.sin(ang))
    face = (face - face.mean()) * rng.uniform(0.7, 1.15) + face.mean() + rng.normal(0, 12)
    sigma = rng.uniform(0.0, 1.0)
    if sigma > 0.3:
        face = cv2.GaussianBlur(face, (0, 0), sigma)
    face += rng.normal(0, rng.uniform(1, 9), size=face.shape)
    return np.clip(face, 0, 255).round().astype(np.uint8)


def render_faces(emotions, seed: int) -> np.ndarray:
    """Draw one face per entry of ``emotions``; returns ``(N, 48, 48)`` ``uint8``."""
    rng = np.random.default_rng(seed)
    return (
        np.stack([render_face(e, rng) for e in emotions])
        if len(emotions)
        else np.zeros((0, SIZE, SIZE), np.uint8)
    )
