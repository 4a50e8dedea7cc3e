"""Exercises of notebook 07 (optimizers: SGD, RMSprop, Adam)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close


def _sizes(got, steps):
    """The learner's sizes as a float array of length steps, or None when they are not that."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    return got if got.shape == (steps,) else None


def _momentum_sizes(momentum, steps):
    return np.array([(1 - momentum**k) / (1 - momentum) for k in range(1, steps + 1)])


def _test_momentum_step_sizes(fn):
    for momentum, steps in [(0.9, 3), (0.5, 1), (0.0, 4), (0.9, 50)]:
        want = _momentum_sizes(momentum, steps)
        raw = call(fn, momentum, steps)
        got = _sizes(raw, steps)
        said = f"with momentum {momentum} and {steps} step{'s' if steps > 1 else ''}"
        if got is None:
            return (
                f"{said}, return a list of {steps} numbers, one size per step; your function returned {raw!r}"
            )
        if close(got, want, 1e-6):
            continue
        if close(got, -want, 1e-6):
            return f"{said}, your sizes are negative: a size is how far the weight moves, a positive number"
        if close(got, np.full(steps, 1 / (1 - momentum)), 1e-6):
            return (
                f"{said}, every step is {1 / (1 - momentum):.4g}, the top speed. The velocity starts at 0, "
                "so the steps only build up towards it"
            )
        if close(got, np.concatenate([[0.0], want[:-1]]), 1e-6):
            return (
                f"{said}, your first step is 0: the weight moves by the new velocity, updated before it moves"
            )
        if close(got, np.cumsum(want), 1e-6):
            return f"{said}, you returned the distance covered so far; return each step's own size"
        if close(got, _momentum_sizes(momentum, steps + 1)[1:], 1e-6):
            return (
                f"{said}, your first step is already {want[0] + momentum:.4g} SGD steps. With a velocity "
                "starting at 0, the first step is exactly one plain SGD step"
            )
        return f"{said}, the sizes are {np.round(want, 4).tolist()}; yours are {np.round(got, 4).tolist()}"
    return None


def _solution_momentum_step_sizes():
    def momentum_step_sizes(momentum, steps):
        # measure in plain SGD steps: with learning_rate * gradient = 1, plain SGD moves by 1
        velocity = 0.0  # a new optimizer's velocity: the weight is at rest
        sizes = []
        for _ in range(steps):
            # Keras' update: part of the last step is kept, and a new SGD step is added
            velocity = momentum * velocity - 1
            sizes.append(-velocity)  # the weight moves by the new velocity, downhill: its size is minus it
        return sizes

    return momentum_step_sizes


def _momentum_step_sizes_formula(momentum, steps):
    # the velocity after k steps is the sum 1 + m + m**2 + ... + m**(k - 1), a geometric series
    return [(1 - momentum**k) / (1 - momentum) for k in range(1, steps + 1)]


def _momentum_sizes_moved_first(momentum, steps):
    velocity, sizes = 0.0, []
    for _ in range(steps):
        sizes.append(-velocity)  # the weight moves by the old velocity
        velocity = momentum * velocity - 1
    return sizes


momentum_step_sizes = Exercise(
    key="07.1",
    title="how momentum's steps build up",
    test=_test_momentum_step_sizes,
    hints=(
        "Apply the velocity update again and again, as Keras does, with a gradient that never changes. Working "
        "in plain SGD steps makes the learning rate times the gradient simply 1.",
        "Answers usually go wrong at the first step, which is exactly one plain SGD step because the velocity "
        "starts at 0; on the order, since the weight moves by the new velocity; or by adding the steps up, "
        "when each entry is one step's own size.",
    ),
    solution=_solution_momentum_step_sizes,
    wrong_answers=[
        lambda momentum, steps: [1 / (1 - momentum)] * steps,  # the top speed from the first step on
        _momentum_sizes_moved_first,  # the weight moves before the velocity is updated
        lambda momentum, steps: np.cumsum(_momentum_sizes(momentum, steps)).tolist(),  # the distance so far
        lambda momentum, steps: _momentum_sizes(momentum, steps + 1)[1:].tolist(),  # the velocity starts at 1
    ],
    other_answers=[_momentum_step_sizes_formula],
)


def _test_step_decay(fn):
    import keras

    call(fn, 0, 0.01)  # an unanswered stub stops here, before a seed is set or a model is built
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(7, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    y = np.arange(32) % 7
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch, lr: call(fn, epoch, lr))
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0, callbacks=[scheduler])
    got = [round(float(v), 8) for v in history.history["learning_rate"]]
    want = [0.01, 0.01, 0.01, 0.005, 0.005, 0.005, 0.0025, 0.0025]
    if got != want:
        return (
            f"with a start of 0.01 the learning rate per epoch should be {want} (halved every 3 epochs); "
            f"Keras used {got}"
        )
    return None


def _solution_step_decay():
    def step_decay(epoch, lr):
        if epoch > 0 and epoch % 3 == 0:  # epochs are counted from 0: halve at 3, 6, 9, ...
            return lr / 2  # lr is the rate in use, already halved before: halve it once more
        return lr

    return step_decay


step_decay = Exercise(
    key="07.2",
    title="a learning-rate schedule for Keras",
    test=_test_step_decay,
    hints=(
        "Keras calls your function at the start of every epoch with the epoch number (counted from 0) and the "
        "learning rate in use, and trains that epoch with whatever you return.",
        "Answers usually go wrong at epoch 0, whose remainder after dividing by 3 is 0 too, although nothing "
        "is halved there; or by halving more than once: `lr` is the rate in use, already halved at the "
        "earlier epochs, so halve it once at each of 3, 6, 9 and so on.",
    ),
    solution=_solution_step_decay,
    wrong_answers=[
        lambda epoch, lr: lr / 2 if epoch % 3 == 0 else lr,  # also halves at epoch 0
        lambda epoch, lr: 0.01 * 0.5 ** (epoch // 2),  # every 2 epochs
        lambda epoch, lr: lr * 0.5 ** (epoch // 3),  # compounds: lr is already the decayed rate
    ],
    other_answers=[lambda epoch, lr: 0.01 * 0.5 ** (epoch // 3)],
)


def _rmsprop_sizes(grads, rho=0.9, eps=1e-7, moved_first=False, inside=True, memory=True, signed=False):
    avg, sizes = 0.0, []
    for grad in grads:
        new_avg = (rho * avg if memory else 0.0) + (1 - rho) * grad**2
        used = avg if moved_first else new_avg
        size = grad / (np.sqrt(used + eps) if inside else np.sqrt(used) + eps)
        sizes.append(size if signed else abs(size))
        avg = new_avg
    return sizes


_GRADIENT_RUNS = [  # (gradients, rho or None for the default): negative, steady, tiny, zeros then a jump
    ([-0.5, -0.5, -0.5], None),
    ([0.02] * 30, None),
    ([1e-4, 1e-4], None),
    ([0.0, 0.0, 0.1, 0.001], None),
    ([0.3, 0.3, 0.03], 0.5),
]


def _test_rmsprop_step_sizes(fn):
    for grads, rho in _GRADIENT_RUNS:
        args = (list(grads),) if rho is None else (list(grads), rho)
        want = np.array(_rmsprop_sizes(*args))
        raw = call(fn, *args)
        got = _sizes(raw, len(grads))
        shown = grads if len(grads) < 6 else f"[{grads[0]}] * {len(grads)}"
        said = f"for the gradients {shown}" + ("" if rho is None else f" with rho = {rho}")
        if got is None:
            return f"{said}, return {len(grads)} numbers, one size per step; your function returned {raw!r}"
        if close(got, want, 1e-4):
            continue
        if np.isnan(got).any():
            return (
                f"{said}, you got nan. A gradient of 0 moves the weight by 0: epsilon keeps the division safe"
            )
        if (got < 0).any():
            return f"{said}, some sizes are negative: a size is how far the weight moves, a positive number"
        mistakes = {
            "the average is updated after the step: this step's gradient should already be in it": {
                "moved_first": True
            },
            "epsilon belongs inside the square root, as Keras puts it": {"inside": False},
            "the average forgets nothing of the earlier gradients: it is a moving average, carried from step to step": {
                "memory": False
            },
        }
        for message, how in mistakes.items():
            if close(got, _rmsprop_sizes(*args, **how), 1e-4):
                return f"{said}, {message}"
        return f"{said}, the sizes are {np.round(want, 4).tolist()}; yours are {np.round(got, 4).tolist()}"
    return None


def _solution_rmsprop_step_sizes():
    import numpy as np

    def rmsprop_step_sizes(grads, rho=0.9, eps=1e-7):
        avg = 0.0  # a new optimizer's average of squared gradients starts at 0
        sizes = []
        for grad in grads:
            # updated first, so this step already counts this gradient; kept for the next step
            avg = rho * avg + (1 - rho) * grad**2
            # the step is learning_rate * grad / sqrt(avg + eps): divided by the learning rate, it is
            # the size in learning rates; abs because a size does not care which way the weight goes
            sizes.append(abs(grad) / np.sqrt(avg + eps))
        return sizes

    return rmsprop_step_sizes


def _rmsprop_step_sizes_keras(grads, rho=0.9, eps=1e-7):
    import keras
    import tensorflow as tf

    # Keras itself, at learning rate 1: each move of the weight is then its size in learning rates
    optimizer = keras.optimizers.RMSprop(learning_rate=1.0, rho=rho, epsilon=eps)
    w = keras.Variable(np.zeros(1, dtype=np.float32))
    sizes = []
    for grad in grads:
        before = w.numpy().copy()
        optimizer.apply_gradients([(tf.constant([grad], dtype=tf.float32), w)])
        sizes.append(float(np.abs(w.numpy() - before)[0]))
    return sizes


rmsprop_step_sizes = Exercise(
    key="07.3",
    title="the sizes of RMSprop's steps for one weight",
    test=_test_rmsprop_step_sizes,
    hints=(
        "Carry the moving average from one gradient to the next, as RMSprop does, and divide each step by "
        "the learning rate: what is left is the gradient over the root of the average.",
        "Answers usually go wrong in three places: the average is updated before the step, so the first "
        "step already uses it; it carries over between steps rather than starting afresh; and epsilon stays "
        "inside the root. A size is positive whichever way the gradient points.",
    ),
    solution=_solution_rmsprop_step_sizes,
    wrong_answers=[
        lambda grads, rho=0.9, eps=1e-7: _rmsprop_sizes(grads, rho, eps, moved_first=True),
        lambda grads, rho=0.9, eps=1e-7: _rmsprop_sizes(grads, rho, eps, inside=False),
        lambda grads, rho=0.9, eps=1e-7: _rmsprop_sizes(grads, rho, eps, memory=False),
        lambda grads, rho=0.9, eps=1e-7: _rmsprop_sizes(grads, rho, eps, signed=True),
    ],
    other_answers=[_rmsprop_step_sizes_keras],
)


_SETTINGS = [  # (settings, the class's name, its learning rate, other attributes it must have)
    ({"name": "sgd", "lr": 0.05, "momentum": 0.9}, "SGD", 0.05, {"momentum": 0.9}),
    ({"name": "rmsprop", "learning_rate": 3e-4, "rho": 0.8}, "RMSprop", 3e-4, {"rho": 0.8}),
    ({"name": "adam", "lr": 0.002, "beta_1": 0.8}, "Adam", 0.002, {"beta_1": 0.8}),
    ({"name": "sgd"}, "SGD", 0.01, {"momentum": 0.0}),
    ({"name": "adam"}, "Adam", 0.001, {}),
]


def _test_optimizer_from_settings(fn):
    import keras

    for settings, class_name, lr, attributes in _SETTINGS:
        given = dict(settings)
        opt = call(fn, given)
        if given != settings:
            return (
                f"optimizer_from_settings({settings}) changed the dict it was given into {given}: leave the "
                "settings as they were, as the caller may use them again"
            )
        cls = getattr(keras.optimizers, class_name)
        if type(opt) is not cls:
            return f"optimizer_from_settings({settings}) should return a keras.optimizers.{class_name}, not {opt!r}"
        if abs(float(opt.learning_rate) - lr) > 1e-6 * lr:
            where = (
                "Keras' default for it"
                if "lr" not in settings and "learning_rate" not in settings
                else "the one asked for"
            )
            return (
                f"optimizer_from_settings({settings}) has learning rate {float(opt.learning_rate):.6g}, not "
                f"{lr}, {where}"
            )
        for attribute, value in attributes.items():
            if abs(float(getattr(opt, attribute)) - value) > 1e-6:
                return (
                    f"optimizer_from_settings({settings}) has {attribute} = {getattr(opt, attribute)}: pass the "
                    "other settings on to the optimizer"
                )
    return None


def _solution_optimizer_from_settings():
    import keras

    def optimizer_from_settings(settings):
        settings = dict(settings)  # a copy: the caller's dict stays as it was
        name = settings.pop("name")  # the rest are the optimizer's own keyword arguments
        if "lr" in settings:
            # the old spelling, which Keras 3 refuses: rename it rather than drop it
            settings["learning_rate"] = settings.pop("lr")
        classes = {
            "sgd": keras.optimizers.SGD,
            "rmsprop": keras.optimizers.RMSprop,
            "adam": keras.optimizers.Adam,
        }
        # ** passes each key as a keyword; a missing learning rate leaves each class its own default
        return classes[name](**settings)

    return optimizer_from_settings


def _optimizer_kind(name):
    import keras

    return {"sgd": keras.optimizers.SGD, "rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam}[
        name
    ]


def _settings_as_they_are(settings):
    # "lr" goes to Keras unchanged: Keras 3 raises a ValueError
    return _optimizer_kind(settings["name"])(**{k: v for k, v in settings.items() if k != "name"})


def _lr_dropped(settings):
    # the old spelling is left out instead of renamed: Keras' default rate is used
    return _optimizer_kind(settings["name"])(**{k: v for k, v in settings.items() if k not in ("name", "lr")})


def _default_rate_guessed(settings):
    # 0.001 is Adam's and RMSprop's default, but SGD's is 0.01
    others = {k: v for k, v in settings.items() if k not in ("name", "lr", "learning_rate")}
    rate = settings.get("learning_rate", settings.get("lr", 0.001))
    return _optimizer_kind(settings["name"])(learning_rate=rate, **others)


def _pops_from_the_callers_dict(settings):
    name = settings.pop("name")  # changes the dict the caller passed in
    if "lr" in settings:
        settings["learning_rate"] = settings.pop("lr")
    return _optimizer_kind(name)(**settings)


def _name_and_rate_only(settings):
    # momentum, rho... are lost
    rate = settings.get("learning_rate", settings.get("lr"))
    optimizer = _optimizer_kind(settings["name"])
    return optimizer() if rate is None else optimizer(learning_rate=rate)


def _optimizer_from_settings_branches(settings):
    import keras

    options = {}
    for key, value in settings.items():
        if key != "name":
            options["learning_rate" if key == "lr" else key] = value
    if settings["name"] == "sgd":
        return keras.optimizers.SGD(**options)
    if settings["name"] == "rmsprop":
        return keras.optimizers.RMSprop(**options)
    return keras.optimizers.Adam(**options)


optimizer_from_settings = Exercise(
    key="07.4",
    title="an optimizer from an old tutorial's settings",
    test=_test_optimizer_from_settings,
    hints=(
        "Pick the class from the name, turn the remaining settings into keyword arguments, and fix the one "
        "spelling Keras 3 no longer accepts on the way.",
        "Answers usually go wrong in three places: the old spelling must be renamed, not dropped, or your "
        "rate is lost; a missing rate is best left out altogether, since the classes' defaults differ; and "
        "removing keys from the dict you were given changes the caller's settings, so work on a copy.",
    ),
    solution=_solution_optimizer_from_settings,
    wrong_answers=[
        _settings_as_they_are,
        _lr_dropped,
        _default_rate_guessed,
        _pops_from_the_callers_dict,
        _name_and_rate_only,
    ],
    other_answers=[_optimizer_from_settings_branches],
)
