"""Exercises of notebook 07 (optimizers: SGD, RMSprop, Adam)."""

from __future__ import annotations

import numpy as np

from helpers.exercises import Exercise, call, close


def _test_momentum_step(fn):
    w, velocity, grad = np.array([1.0, -2.0]), np.array([0.1, 0.0]), np.array([0.5, -4.0])
    lr, momentum = 0.1, 0.9
    want_v = momentum * velocity - lr * grad
    want_w = w + want_v
    got = call(fn, w.copy(), velocity.copy(), grad, lr, momentum)
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"return two arrays, (new_w, new_velocity); got {got!r}"
    if not close(got[1], want_v):
        return f"the new velocity should be momentum * velocity - lr * grad = {want_v}; yours is {got[1]}"
    if not close(got[0], want_w):
        return f"the new weights should be w + new_velocity = {want_w}; yours are {got[0]}"
    return None


def _solution_momentum_step():
    def momentum_step(w, velocity, grad, lr, momentum):
        # keep part of the last step (momentum), and add a new step downhill: minus the gradient
        velocity = momentum * velocity - lr * grad
        return w + velocity, velocity  # the weight moves by the new velocity, updated first

    return momentum_step


def _momentum_step_parts(w, velocity, grad, lr, momentum):
    new_velocity = momentum * np.asarray(velocity) - lr * np.asarray(grad)
    return np.asarray(w) + new_velocity, new_velocity


momentum_step = Exercise(
    key="07.1",
    title="one step of SGD with momentum",
    test=_test_momentum_step,
    hints=(
        "Momentum keeps a velocity: a running memory of past steps, updated before the weight moves.",
        "Answers usually go wrong on the order or the sign: the velocity is updated first, and the weight "
        "then moves by the new velocity, not the old one; and the gradient is subtracted, as in plain "
        "gradient descent. Return both new values.",
    ),
    solution=_solution_momentum_step,
    wrong_answers=[
        lambda w, v, g, lr, m: (w - lr * g, v),
        lambda w, v, g, lr, m: (w + (m * v + lr * g), m * v + lr * g),
        lambda w, v, g, lr, m: (w - lr * g + m * v, v),
    ],
    other_answers=[_momentum_step_parts],
)


def _test_rmsprop_step(fn):
    w, avg, grad = np.array([0.5, 0.5, 0.5]), np.array([0.0, 1.0, 0.01]), np.array([0.1, -2.0, 0.0])
    lr, rho, eps = 0.01, 0.9, 1e-7
    want_avg = rho * avg + (1 - rho) * grad**2
    want_w = w - lr * grad / np.sqrt(want_avg + eps)
    got = call(fn, w.copy(), avg.copy(), grad, lr)
    if not isinstance(got, tuple | list) or len(got) != 2:
        return f"return two arrays, (new_w, new_average); got {got!r}"
    if not close(got[1], want_avg):
        return f"the new average of squared gradients should be {want_avg}; yours is {got[1]}"
    if not close(got[0], want_w):
        return f"the new weights should be {want_w}; yours are {got[0]} (is the average updated first?)"
    return None


def _solution_rmsprop_step():
    import numpy as np

    def rmsprop_step(w, avg_sq, grad, lr, rho=0.9, eps=1e-7):
        # a moving average of squared gradients, updated first: the step below uses the new one
        avg_sq = rho * avg_sq + (1 - rho) * grad**2
        # dividing by its root evens out the steps of weights with large and with small gradients;
        # Keras keeps eps inside the square root
        w = w - lr * grad / np.sqrt(avg_sq + eps)
        return w, avg_sq

    return rmsprop_step


def _rmsprop_step_parts(w, avg_sq, grad, lr, rho=0.9, eps=1e-7):
    grad = np.asarray(grad, dtype=float)
    new_avg = rho * np.asarray(avg_sq) + (1 - rho) * np.square(grad)
    return np.asarray(w) - lr * grad / np.sqrt(new_avg + eps), new_avg


rmsprop_step = Exercise(
    key="07.2",
    title="one RMSprop step, as Keras computes it",
    test=_test_rmsprop_step,
    hints=(
        "Two updates in order: first the running average of the squared gradient, then the step, which divides by something.",
        "Answers usually go wrong on the order or the root: the step uses the new average, updated first; "
        "it divides by the square root of that average, with epsilon inside the root as Keras puts it, not "
        "by the average itself; and it is an average of squared gradients.",
    ),
    solution=_solution_rmsprop_step,
    wrong_answers=[
        lambda w, a, g, lr, rho=0.9, eps=1e-7: (w - lr * g / np.sqrt(a + eps), rho * a + (1 - rho) * g**2),
        lambda w, a, g, lr, rho=0.9, eps=1e-7: (
            w - lr * g / (rho * a + (1 - rho) * g**2 + eps),
            rho * a + (1 - rho) * g**2,
        ),
        lambda w, a, g, lr, rho=0.9, eps=1e-7: (w - lr * g, rho * a + (1 - rho) * g),
    ],
    other_answers=[_rmsprop_step_parts],
)


def _test_make_optimizer(fn):
    import keras

    expected = {
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
        "adam": keras.optimizers.Adam,
    }
    for name, cls in expected.items():
        for lr in (0.05, 3e-4):
            opt = call(fn, name, lr)
            if not isinstance(opt, cls):
                return f"make_optimizer({name!r}, {lr}) should return a keras.optimizers.{cls.__name__}, not {opt!r}"
            if abs(float(opt.learning_rate) - lr) > 1e-9:
                return (
                    f"make_optimizer({name!r}, {lr}) has learning rate {float(opt.learning_rate)}, not {lr}"
                )
    sgd = call(fn, "sgd", 0.01)
    if abs(float(sgd.momentum) - 0.9) > 1e-9:
        return f"give SGD momentum=0.9 (it is 0 unless asked for); yours has {sgd.momentum}"
    try:
        fn("adagrad", 0.01)
    except ValueError as err:
        if "adagrad" not in str(err):
            return f"the ValueError for an unknown name should repeat the name; it said: {err}"
        return None
    except Exception as err:
        return f"an unknown name should raise ValueError, not {type(err).__name__}"
    return (
        "make_optimizer('adagrad', 0.01) should raise ValueError naming 'adagrad' (only sgd, rmsprop, adam)"
    )


def _solution_make_optimizer():
    import keras

    def make_optimizer(name, learning_rate):
        # the classes, not the strings "sgd"...: a string would get Keras' default learning rate
        if name == "sgd":
            return keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9)  # 0 unless asked
        if name == "rmsprop":
            return keras.optimizers.RMSprop(learning_rate=learning_rate)
        if name == "adam":
            return keras.optimizers.Adam(learning_rate=learning_rate)
        # a typo must stop the program, rather than train with some other optimizer
        raise ValueError(f"unknown optimizer {name!r}: use 'sgd', 'rmsprop' or 'adam'")

    return make_optimizer


def _by_string(name, learning_rate):
    import keras

    return keras.optimizers.get(name)  # the learning rate is ignored: Keras' default is used


def _no_momentum(name, learning_rate):
    import keras

    classes = {
        "sgd": keras.optimizers.SGD,
        "rmsprop": keras.optimizers.RMSprop,
        "adam": keras.optimizers.Adam,
    }
    return classes[name](learning_rate=learning_rate)


def _make_optimizer_table(name, learning_rate):
    import keras

    table = {
        "sgd": lambda: keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.9),
        "rmsprop": lambda: keras.optimizers.RMSprop(learning_rate=learning_rate),
        "adam": lambda: keras.optimizers.Adam(learning_rate=learning_rate),
    }
    if name not in table:
        raise ValueError(f"unknown optimizer {name!r}: use one of {sorted(table)}")
    return table[name]()


make_optimizer = Exercise(
    key="07.3",
    title="an optimizer by name, with its learning rate",
    test=_test_make_optimizer,
    hints=(
        "Three optimizers from `keras.optimizers`, each made with the learning rate it is given; a name you do not know should stop the program with a clear error.",
        "Three things are easy to miss: the string shortcut that `compile` accepts gives Keras' default "
        "learning rate, not yours; SGD has no momentum unless it is given one (0.9 here); and an unknown "
        "name must end in a `ValueError` whose message repeats it.",
    ),
    solution=_solution_make_optimizer,
    wrong_answers=[_by_string, _no_momentum],
    other_answers=[_make_optimizer_table],
)


def _test_step_decay(fn):
    import keras

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
    key="07.4",
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
