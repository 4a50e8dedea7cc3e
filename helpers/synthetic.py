"""Procedural 48x48 grey faces whose expression carries an emotion label.

The faces stand in for FER2013 wherever the real set is not at hand (CI, a classroom with
no downloads, a first run). They are framed like FER2013's crops (the face fills the
picture, from the hairline to the chin) and shaded like a photo: soft shadows in the eye
sockets, under the nose and the lower lip, along the cheeks. Each face is drawn from a
handful of expression parameters, the facial actions people read emotions from (the
action units of Ekman and Friesen's Facial Action Coding System are given in brackets):

=============  =======================================================================
parameter      meaning (0 is a neutral face)
=============  =======================================================================
``brow``       brows raised (+, AU1+2, with lines on the forehead) or lowered (-, AU4)
``tilt``       inner ends of the brows up (+, AU1: sad, fear) or down (-, angry)
``knit``       brows pulled together (AU4), with creases between them (angry, fear)
``eyes``       eye opening, 1.0 is relaxed; wide open > 1 (AU5, white above the iris),
               narrowed < 1 (lids lowered)
``tense``      lower lids tightened and raised (AU7): a hard stare (angry, fear)
``down``       head and eyes lowered (AU54+64): the eyes look down, their sockets
               darken (sad)
``cheek``      cheeks raised (AU6): the lower lids pushed up, deep smile folds (happy)
``curve``      mouth corners up (+, AU12) or down (-, AU15)
``open``       mouth opening, 0 closed to 1 jaw dropped (AU25-27)
``width``      mouth width, 1.0 is relaxed; stretched sideways > 1 (AU20, fear)
``press``      lips pressed thin (AU23/24, angry)
``chin``       chin pushed up, lower lip pouting (AU17, sad)
``sneer``      upper lip raised, showing the teeth (AU10, disgust)
``wrinkle``    nose wrinkled (AU9, disgust)
=============  =======================================================================

Every class has a typical setting (:data:`EXPRESSIONS`, after the prototypes of the
coding system); a face blends neutral and that setting by a random *intensity*, adds
per-face jitter, and is then varied in identity (face shape, skin and hair tone,
hairline, glasses), pose (position, scale, rotation), lighting, blur and noise. A weak
expression looks close to neutral, and the pairs that real FER2013 confuses share their
strongest cues (fear and surprise: raised upper lids and an open mouth; fear and sad: inner
brows raised and pulled together, corners down; angry and disgust: lowered brows), so a
CNN learns the set well but not perfectly.

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
    "knit": 0.0,
    "eyes": 1.0,
    "tense": 0.0,
    "down": 0.0,
    "cheek": 0.0,
    "curve": 0.0,
    "open": 0.0,
    "width": 1.0,
    "press": 0.0,
    "chin": 0.0,
    "sneer": 0.0,
    "wrinkle": 0.0,
}

#: Typical parameters of each expression (FER2013 class names).
EXPRESSIONS: dict[str, dict[str, float]] = {
    # AU4+5+7+23/24: brows down and together, a hard stare, lips pressed thin (two faces in
    # five shout instead, AU4+5+7+10+25: the mouth open over bared teeth, see render_face)
    "angry": {
        "brow": -1.0,
        "tilt": -1.0,
        "knit": 1.0,
        "eyes": 1.15,
        "tense": 1.0,
        "curve": -0.25,
        "width": 0.85,
        "press": 1.0,
        "wrinkle": 0.25,
    },
    # AU9+10+15+17: nose wrinkled, upper lip raised, corners down, brows lowered
    "disgust": {
        "brow": -0.6,
        "tilt": -0.4,
        "knit": 0.5,
        "eyes": 0.75,
        "tense": 0.5,
        "cheek": 0.3,
        "curve": -0.5,
        "open": 0.15,
        "width": 0.95,
        "chin": 0.3,
        "sneer": 1.0,
        "wrinkle": 1.0,
    },
    # AU1+4+5+7+20+26: inner brows up and pulled together, eyes wide and tense, the jaw
    # dropped with the lips stretched thin and sideways, corners down
    "fear": {
        "brow": 0.2,
        "tilt": 1.0,
        "knit": 0.8,
        "eyes": 1.2,
        "tense": 0.7,
        "curve": -0.8,
        "open": 0.55,
        "width": 1.3,
    },
    # AU6+12+25: cheeks up, corners up, lips parted over the teeth
    "happy": {"eyes": 0.8, "cheek": 1.0, "curve": 1.0, "open": 0.35, "width": 1.2},
    # AU1+4+15+17+54+64: inner brows up, corners down, chin pushed up, head and eyes down
    "sad": {
        "brow": -0.1,
        "tilt": 0.9,
        "knit": 0.4,
        "eyes": 0.6,
        "down": 0.8,
        "curve": -0.8,
        "width": 0.95,
        "chin": 0.8,
    },
    # AU1+2+5+26: brows high and arched, eyes wide, jaw dropped in a round mouth
    "surprise": {"brow": 1.0, "tilt": 0.1, "eyes": 1.6, "open": 0.9, "width": 0.8},
    "neutral": {},
}

#: Per-face jitter (standard deviation) of each parameter, on top of the class setting.
JITTER = {
    "brow": 0.18,
    "tilt": 0.18,
    "knit": 0.12,
    "eyes": 0.12,
    "tense": 0.12,
    "down": 0.12,
    "cheek": 0.12,
    "curve": 0.15,
    "open": 0.08,
    "width": 0.07,
    "press": 0.12,
    "chin": 0.12,
    "sneer": 0.12,
    "wrinkle": 0.12,
}

_LIMITS = {"eyes": (0.35, 1.9), "open": (0.0, 1.0), "width": (0.7, 1.45)}
_NON_NEGATIVE = ("knit", "tense", "down", "cheek", "press", "chin", "sneer", "wrinkle")


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
        low, high = _LIMITS.get(key, (0.0 if key in _NON_NEGATIVE else -np.inf, np.inf))
        params[key] = float(np.clip(value, low, high))
    return params


# --- soft shapes on a float canvas (0 black .. 1 white) ----------------------------------

_T = np.linspace(-1.0, 1.0, 15)  # position along a curve, from one end (-1) to the other (1)


def _curve(x0: float, x1: float, ys) -> np.ndarray:
    """Points from x0 to x1 with heights ``ys`` (one per value of ``_T``)."""
    return np.stack([x0 + (_T + 1) / 2 * (x1 - x0), ys], axis=1)


def _pts(points) -> np.ndarray:
    return np.asarray(points, dtype=np.float64).round().astype(np.int32)


def _xy(point) -> tuple[int, int]:
    return int(round(point[0])), int(round(point[1]))


def _soft(canvas: np.ndarray, sigma: float) -> np.ndarray:
    """A uint8 drawing as a 0..1 mask, blurred by ``sigma`` (soft edges, like a shadow)."""
    m = canvas.astype(np.float32) / 255
    x, y, w, h = cv2.boundingRect(canvas)
    if sigma > 0 and w:  # blur only around the shape: the same result, less work
        pad = int(math.ceil(4 * sigma)) + 1
        box = np.s_[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad]
        m[box] = cv2.GaussianBlur(m[box], (0, 0), sigma)
    return m


def _polyline(points, width: int, sigma: float = 0.0) -> np.ndarray:
    c = np.zeros((_C, _C), np.uint8)
    cv2.polylines(c, [_pts(points)], False, 255, width, cv2.LINE_AA)
    return _soft(c, sigma)


def _polygon(points, sigma: float = 0.0) -> np.ndarray:
    c = np.zeros((_C, _C), np.uint8)
    cv2.fillPoly(c, [_pts(points)], 255, cv2.LINE_AA)
    return _soft(c, sigma)


def _segment(a, b, width: int, sigma: float = 0.0) -> np.ndarray:
    c = np.zeros((_C, _C), np.uint8)
    cv2.line(c, _xy(a), _xy(b), 255, width, cv2.LINE_AA)
    return _soft(c, sigma)


def _ellipse(centre, axes, sigma: float = 0.0, arc=(0, 360)) -> np.ndarray:
    c = np.zeros((_C, _C), np.uint8)
    cv2.ellipse(c, _xy(centre), _xy(axes), 0, arc[0], arc[1], 255, -1, cv2.LINE_AA)
    return _soft(c, sigma)


def _circle(centre, radius: int, sigma: float = 0.0) -> np.ndarray:
    c = np.zeros((_C, _C), np.uint8)
    cv2.circle(c, _xy(centre), radius, 255, -1, cv2.LINE_AA)
    return _soft(c, sigma)


def _unit(amount: float) -> float:
    # a float64, as np.clip returned: the arithmetic, and so the pixels, stay the same
    return np.float64(min(max(float(amount), 0.0), 1.0))


def _darken(img, mask, amount):
    img *= 1.0 - _unit(amount) * mask


def _lighten(img, mask, amount):
    img += _unit(amount) * mask * (1.0 - img)


def _paint(img, mask, value):
    img *= 1.0 - mask
    img += value * mask


# --- the parts of a face -----------------------------------------------------------------


def _brows(img, g, p, hair):
    """Brows raised and arched with ``brow``, inner ends up or down with ``tilt``, pulled
    together with ``knit``; the shadow of the brow over the eye; the creases they fold."""
    cx, ex, ey, ew = g["cx"], g["eye_dx"], g["eye_y"], g["eye_w"]
    base = ey - 10 - 7.0 * p["brow"]
    y_inner = base - 7.0 * p["tilt"] + 2.0 * min(p["brow"], 0)
    y_outer = base + 1.0 * p["tilt"]
    arch = 2.0 + 2.5 * max(p["brow"], 0) * (1 - p["knit"]) - 1.5 * max(p["tilt"], 0)  # fear: flat
    for side in (-1, 1):
        inner_x = cx + side * (ex - ew + 1 - 3.0 * p["knit"])
        outer_x = cx + side * (ex + ew + 3)
        ys = (y_outer + y_inner) / 2 + _T * (y_inner - y_outer) / 2 - arch * (1 - _T**2)
        _paint(img, _polyline(_curve(outer_x, inner_x, ys), g["brow_w"], 0.8) * 0.9, hair)
        # the eye socket in the brow's shadow: deeper when the brows come down, or the head
        socket = _ellipse((cx + side * ex, ey - 2), (ew * 1.5, 7), 3.5)
        _darken(img, socket, 0.3 + 0.25 * max(-p["brow"], 0) + 0.5 * p["down"])
    if p["knit"] > 0.2:  # vertical creases between brows pulled together
        for dx in (-3.5, 3.5):
            _darken(img, _segment((cx + dx, y_inner), (cx + dx * 0.6, y_inner + 8), 1, 0.6), 0.4 * p["knit"])
    if p["tilt"] > 0.3 and p["brow"] <= 0.35:  # inner ends alone raised: lines in the middle only
        for j in range(2):
            ys = base - 9 - 4 * j - 4 * p["tilt"] + 1.5 * _T**2
            _darken(img, _polyline(_curve(cx - 7, cx + 7, ys), 2, 0.8), 0.25 * (p["tilt"] - 0.2))
    if p["brow"] > 0.35:  # raised brows fold the whole forehead
        for j in range(3):
            ys = base - 7 - 5 * j - 2 * (1 - _T**2)
            _darken(img, _polyline(_curve(cx - 16, cx + 16, ys), 2, 0.8), 0.25 * (p["brow"] - 0.2))


def _eyes(img, g, p, skin):
    """Almond eyes: white, iris and pupil inside the lids, a dark upper lash line; the lids
    open with ``eyes``, the lower one pushed up by ``tense`` and ``cheek``."""
    ew, ey = g["eye_w"], g["eye_y"]
    # lid opening above and below the eye's midline: the relaxed upper lid covers the top of
    # the iris, a wide-open one shows white above it; looking down, the upper lids follow
    upper = 3.4 * p["eyes"] ** 1.4 * (1 - 0.45 * p["down"])
    lower = max(0.6, 2.4 * (1 - 0.55 * p["cheek"]) * (1 - 0.5 * p["tense"]) * min(p["eyes"], 1.3))
    straight = 0.9 - 0.6 * min(p["tense"], 1.0)  # a tightened lower lid runs straight across
    for side in (-1, 1):
        ex = g["cx"] + side * g["eye_dx"]
        top = _curve(ex - ew, ex + ew, ey - upper * (1 - _T**2) ** 0.7 - 0.8 * side * _T)
        bottom = _curve(ex - ew, ex + ew, ey + lower * (1 - _T**2) ** straight)
        eye = _polygon(np.concatenate([top, bottom[::-1]]))
        _paint(img, eye, min(0.95, skin + 0.1))
        iris = (ex + g["gaze"], ey + 2.5 * p["down"])
        _paint(img, _circle(iris, 3) * eye, g["iris"])
        _paint(img, _circle(iris, 2) * eye, 0.03)
        _lighten(img, _circle((iris[0] + 1.5, iris[1] - 1.5), 1) * eye, 0.6)  # a glint
        _darken(img, _polyline(top, 2, 0.6), 0.75)  # lashes
        _darken(img, _polyline(bottom, 1, 0.6), 0.3 + 0.3 * max(p["cheek"], p["tense"]))
        # the upper lid's fold, hidden when the brows come down over it
        fold = _curve(ex - ew, ex + ew, ey - upper - 2.5 * (1 - _T**2) - 1.5)
        _darken(img, _polyline(fold, 1, 0.8), 0.25 * max(0.0, 1 + min(p["brow"], 0)))
        if p["cheek"] > 0.2:  # raised cheeks bunch up under the eye
            bag = _curve(ex - ew, ex + ew, ey + lower + 2.5 + 1.5 * (1 - _T**2))
            _darken(img, _polyline(bag, 2, 1.0), 0.3 * p["cheek"])


def _nose(img, g, p):
    """Shadow down one side of the bridge, a lit tip, nostrils, the shadow under the nose;
    creases across the bridge and lifted nostrils for ``wrinkle``."""
    cx, ey = g["cx"], g["eye_y"]
    ny = g["nose_y"] - 2.0 * p["wrinkle"]
    side = g["light_side"]
    _darken(img, _segment((cx - side * 5, ey + 2), (cx - side * 7, ny - 3), 3, 2.0), 0.18)
    _lighten(img, _circle((cx, ny - 4), 4, 2.0), 0.18)
    _darken(img, _ellipse((cx, ny + 3), (9, 3), 1.8), 0.35)
    w = 4.5 + 1.0 * p["wrinkle"]
    for s in (-1, 1):
        _darken(img, _ellipse((cx + s * w, ny + 1), (3, 2), 0.8), 0.6)  # nostril
        wing = _curve(cx + s * (w + 2), cx + s * (w + 4), ny - 3 - 3 * _T)
        _darken(img, _polyline(wing, 2, 1.0), 0.3)
    for k in range(int(round(min(p["wrinkle"], 1.5) * 3))):  # creases across the bridge
        crease = _curve(cx - 6, cx + 6, ey + 2 + 3.5 * k + 1.5 * _T**2)
        _darken(img, _polyline(crease, 2, 0.7), 0.4)


def _mouth(img, g, p, skin) -> tuple[float, float]:
    """Lips, the mouth's opening (dark inside, teeth where the lips pull back), the shadow
    under the lower lip, a raised chin; returns the mouth's half width and corner height."""
    cx = g["cx"]
    my = g["mouth_y"] + 2.5 * p["open"]  # the jaw drops
    curve, sneer = p["curve"], p["sneer"]
    stretch = float(np.clip((p["width"] - 1.0) / 0.3, 0, 1))  # lips pulled sideways (fear)
    hw = 12.5 * p["width"] * (1 + 0.15 * max(curve, 0)) * (1 - 0.15 * p["press"])
    lift = (8.0 if curve > 0 else 7.0) * curve  # corners up (+) or down (-), relative to the middle
    pout = 1.5 * p["chin"]  # a raised chin pushes the middle of the mouth up

    def line(t):
        # a smile lifts the whole line into a U; turned-down corners droop at the ends only
        bend = t * t - 0.35 if curve > 0 else t**4 - 0.2
        return my - lift * bend - pout * (1 - t * t) - 3.0 * sneer * (1 - t * t) ** 2

    upper_in = _curve(cx - hw, cx + hw, line(_T))
    gap = 16.0 * p["open"] + 2.5 * sneer  # the lips part
    # a stretched mouth opens flat and wide, a relaxed one round
    lower_in = _curve(cx - hw, cx + hw, line(_T) + gap * (1 - _T**2) ** (0.7 - 0.45 * stretch))
    thin = (1 - 0.5 * stretch) * (1 - 0.75 * p["press"])  # stretched or pressed lips are thin
    arc = np.stack([0 * _T, (1 - _T**2) ** 0.5], axis=1)
    upper_out = upper_in - 3.5 * thin * (1 - 0.4 * max(curve, 0)) * arc
    lower_out = lower_in + 4.5 * thin * (1 - 0.3 * max(curve, 0)) * arc
    _darken(img, _polygon(np.concatenate([upper_out, lower_out[::-1]]), 0.6), 0.28 + 0.1 * p["press"])
    below = lower_out[len(_T) // 2, 1]  # the middle of the lower lip
    _darken(img, _ellipse((cx, below + 3), (hw * 0.55, 3), 1.8), 0.3)
    if gap > 1.2:
        inside = _polygon(np.concatenate([upper_in, lower_in[::-1]]), 0.5)
        _paint(img, inside, 0.06)
        teeth_show = max(curve - 0.25, 0) * 1.6 + sneer + g["shout"]
        if teeth_show > 0.2:
            band = min(gap * 0.55, 2.5 + 4 * min(teeth_show, 1))
            teeth = _polygon(np.concatenate([upper_in, (upper_in + [0, band])[::-1]]), 0.5)
            _paint(img, teeth * inside, min(0.95, skin + 0.3))
        if stretch > 0.3 and gap > 3:  # lips stretched back from the lower teeth
            band = min(gap * 0.3, 3.0 * stretch)
            teeth = _polygon(np.concatenate([lower_in, (lower_in - [0, band])[::-1]]), 0.5)
            _paint(img, teeth * inside, min(0.95, skin + 0.25))
    else:
        _darken(img, _polyline(upper_in, 2, 0.6), 0.55)
    for s in (-1, 1):  # the corners: small dimples, deeper when pulled down or pressed
        _darken(
            img, _circle((cx + s * hw, line(1.0) + 1), 2, 1.0), 0.2 + 0.3 * max(-curve, 0) + 0.3 * p["press"]
        )
    if p["chin"] > 0.2 or p["press"] > 0.3:  # a raised chin bunches into a boss with a crease above
        k = max(p["chin"], p["press"] * 0.7)
        _darken(img, _polyline(_curve(cx - 7, cx + 7, below + 6 + 2 * _T**2), 2, 1.2), 0.35 * k)
        _lighten(img, _ellipse((cx, below + 12), (7, 4), 2.5), 0.15 * k)
    return hw, line(1.0)


def _cheeks(img, g, p, half_width, corner_y):
    """Folds from the nose to past the mouth corners (deep in a smile or a sneer) and lit
    cheeks, raised with ``cheek``."""
    cx, ny = g["cx"], g["nose_y"]
    depth = (
        0.1 + 0.45 * max(p["curve"], 0) * (0.4 + 0.6 * p["cheek"]) + 0.35 * p["sneer"] + 0.15 * p["wrinkle"]
    )
    along = (_T + 1) / 2
    for s in (-1, 1):
        x0, y0 = cx + s * 9, ny - 1
        x1, y1 = cx + s * (half_width + 2 + 2 * max(p["curve"], 0)), corner_y + 4
        bulge = 3 + 4 * max(p["curve"], 0)
        fold = np.stack(
            [x0 + along * (x1 - x0) + s * bulge * np.sin(along * math.pi), y0 + along * (y1 - y0)], 1
        )
        _darken(img, _polyline(fold, 2, 1.0), depth)
        _lighten(
            img,
            _ellipse((cx + s * 19, g["eye_y"] + 13 - 3 * p["cheek"]), (8, 6), 3.0),
            0.08 + 0.2 * p["cheek"],
        )


#: What stays the same in every picture of one person (see :func:`render_face`'s ``person``).
PERSON_KEYS = (
    "skin", "hair", "eye_dx", "eye_w", "brow_w", "iris", "glasses", "face_width", "face_height",
    "hairline", "background", "light_side", "light", "rotation", "scale", "shift", "gain",
)  # fmt: skip


def render_face(emotion: str, rng: np.random.Generator, person: dict | None = None) -> np.ndarray:
    """Draw one 48x48 ``uint8`` grey face showing ``emotion``.

    ``person`` fixes what makes a face someone's (:data:`PERSON_KEYS`: face shape, skin and
    hair tone, glasses) and a recording's conditions (light, background, where the face sits
    in the crop, ``gain`` for overall brightness); pose keys are a mean that each picture
    varies a little around. Without it every face is someone new. The random numbers are
    drawn the same way either way, so the course's data set does not depend on this option.
    """
    person = person or {}
    unknown = set(person) - set(PERSON_KEYS)
    if unknown:
        raise ValueError(f"unknown person key(s) {sorted(unknown)}; expected some of {PERSON_KEYS}")

    def own(key, drawn):
        return person.get(key, drawn)

    p = expression_params(emotion, rng)
    c = _C
    skin = own("skin", float(rng.uniform(0.4, 0.85)))
    hair = own("hair", float(rng.uniform(0.03, max(0.06, skin - 0.25))))
    g = {
        "cx": c / 2,
        "eye_y": c * 0.41 + rng.normal(0, 1.0),
        "eye_dx": own("eye_dx", rng.uniform(16.5, 19)),
        "eye_w": own("eye_w", rng.uniform(7.0, 8.5)),
        "brow_w": own("brow_w", int(rng.integers(4, 7))),
        "nose_y": c * 0.6 + rng.normal(0, 1.0),
        "mouth_y": c * 0.75 + rng.normal(0, 1.0),
        "gaze": rng.normal(0, 0.8),
        "iris": own("iris", float(rng.uniform(0.05, 0.3))),
        "light_side": own("light_side", 1 if rng.random() < 0.5 else -1),
        "shout": 0.0,
    }
    glasses = own("glasses", float(rng.uniform(0.0, 0.25)) if rng.random() < 0.1 else None)
    if emotion == "angry" and rng.random() < 0.4:  # two angry faces in five shout
        p["open"], p["press"], g["shout"] = float(rng.uniform(0.3, 0.55)), 0.0, 1.0
    fw = own("face_width", rng.uniform(36, 41))  # half width: it fills the picture, as in FER2013
    fh = own("face_height", rng.uniform(48, 53)) + 4.0 * p["open"]  # the jaw drops with an open mouth
    cx, cy = c / 2, c * 0.53

    # Background with a gradient; hair behind the head, the neck in shadow below it.
    yy, xx = np.mgrid[0:c, 0:c].astype(np.float32) / c - 0.5
    ang = rng.uniform(0, 2 * math.pi)
    img = own("background", rng.uniform(0.1, 0.9)) + rng.uniform(-0.15, 0.15) * (
        xx * math.cos(ang) + yy * math.sin(ang)
    )
    _paint(img, _ellipse((cx, cy - 8), (fw + 6, fh + 2), 1.5), hair)
    neck = np.zeros((c, c), np.uint8)
    cv2.rectangle(neck, _xy((cx - fw * 0.6, cy)), _xy((cx + fw * 0.6, c)), 255, -1)
    _paint(img, _soft(neck, 1.5), skin * 0.6)
    # The face: an oval narrowing to the chin, darker towards its edges like a rounded surface.
    t = np.linspace(0, 2 * math.pi, 72)
    narrow = 1 - 0.2 * np.clip(np.sin(t), 0, None) ** 2
    face = _polygon(np.stack([cx + fw * np.cos(t) * narrow, cy + fh * np.sin(t)], axis=1), 1.0)
    r2 = (xx * c / fw) ** 2 + ((yy * c + cx - cy) / fh) ** 2
    _paint(img, face, skin * (1 - 0.45 * np.clip(r2, 0, 1) ** 2.5))
    hairline = cy - fh * own("hairline", rng.uniform(0.55, 0.8))
    fringe = _ellipse((cx + rng.normal(0, 6), hairline), (fw + 8, 14), 2.0, arc=(180, 360))
    fringe[int(hairline) :] = 0  # the hair stops at the hairline
    _paint(img, cv2.GaussianBlur(fringe, (0, 0), 1.5), hair)

    _brows(img, g, p, hair)
    _eyes(img, g, p, skin)
    _nose(img, g, p)
    half_width, corner_y = _mouth(img, g, p, skin)
    _cheeks(img, g, p, half_width, corner_y)
    if glasses is not None:
        frame = np.zeros((c, c), np.uint8)
        ex, ey, ew = g["eye_dx"], g["eye_y"], g["eye_w"]
        for side in (-1, 1):
            x = cx + side * ex
            cv2.rectangle(frame, _xy((x - ew - 4, ey - 8)), _xy((x + ew + 4, ey + 8)), 255, 2, cv2.LINE_AA)
        cv2.line(frame, _xy((cx - ex + ew + 4, ey)), _xy((cx + ex - ew - 4, ey)), 255, 2, cv2.LINE_AA)
        _paint(img, _soft(frame, 0), glasses)

    # Light from one side.
    img = img * (1.0 + own("light", rng.uniform(0.05, 0.6)) * g["light_side"] * xx * 2)

    # Pose: rotate, scale and shift, then shrink to 48x48.
    angle, scale, shift = rng.normal(0, 8), rng.uniform(0.86, 1.12), rng.normal(0, 2.5 * _S, size=2)
    if person:  # one person's pictures vary a little around their own pose
        angle = person.get("rotation", 0.0) + 0.15 * angle
        scale = person.get("scale", 1.0) + 0.15 * (scale - 0.99)
        shift = np.asarray(person.get("shift", (0.0, 0.0)), float) * _S + 0.15 * shift
    m = cv2.getRotationMatrix2D((c / 2, c / 2), angle, scale)
    m[:, 2] += shift
    img = cv2.warpAffine(img, m, (c, c), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    out = cv2.resize(img, (SIZE, SIZE), interpolation=cv2.INTER_AREA) * 255

    # Contrast, blur and sensor noise.
    out = (out - out.mean()) * rng.uniform(0.8, 1.15) + out.mean() + rng.normal(0, 10)
    out = out * person.get("gain", 1.0)
    sigma = rng.uniform(0.0, 0.7)
    if sigma > 0.4:
        out = cv2.GaussianBlur(out, (0, 0), sigma)
    out += rng.normal(0, rng.uniform(1, 6), size=out.shape)
    return np.clip(out, 0, 255).round().astype(np.uint8)


def render_faces(emotions, seed: int) -> np.ndarray:
    """Draw one face per entry of ``emotions``; returns ``(N, 48, 48)`` ``uint8``."""
    rng = np.random.default_rng(seed)
    return (
        np.stack([render_face(e, rng) for e in emotions])
        if len(emotions)
        else np.zeros((0, SIZE, SIZE), np.uint8)
    )
