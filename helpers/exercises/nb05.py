"""Exercises of notebook 05 (``tensorflow`` / Keras)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises import Exercise, call


def _test_block_params(fn):
    import keras
    from keras import layers

    for kernel, channels_in, filters in [(3, 1, 16), (3, 16, 32), (5, 3, 8), (1, 64, 10)]:
        block = keras.Sequential(
            [
                keras.Input((12, 12, channels_in)),
                layers.Conv2D(filters, kernel, padding="same", use_bias=False),
                layers.BatchNormalization(),
            ]
        )
        want = block.count_params()
        got = call(fn, kernel, channels_in, filters)
        if got == (kernel * kernel * channels_in + 1) * filters + 4 * filters:
            return "the convolution in this block has no bias (use_bias=False): batch normalisation's shift replaces it"
        if got != want:
            return (
                f"a Conv2D without bias ({kernel}x{kernel} kernel, {channels_in} input channel(s), {filters} filters) "
                f"followed by BatchNormalization has {want} parameters, as Keras counts them; your function returned {got!r}"
            )
    return None


def _solution_block_params():
    def block_params(kernel_size, in_channels, filters):
        # one weight per kernel position and input channel, per filter; no bias (use_bias=False)
        conv = kernel_size * kernel_size * in_channels * filters
        batch_norm = 4 * filters  # scale and shift (trained), running mean and variance (measured)
        return conv + batch_norm

    return block_params


block_params = Exercise(
    key="05.1",
    title="count the parameters of a convolution block without bias",
    test=_test_block_params,
    hints=(
        "Two layers to count: a convolution that has no bias, and a batch normalisation after it; the table "
        "'Shapes and parameters, by hand' explains what each keeps per filter or per channel.",
        "Two slips are common: giving the convolution the bias it does not have here (batch normalisation's "
        "shift does that job), and counting only the trained half of batch normalisation. It keeps four "
        "numbers per channel, and it has as many channels as the convolution has filters.",
    ),
    solution=_solution_block_params,
    wrong_answers=[
        lambda k, c, f: (k * k * c + 1) * f + 4 * f,  # a bias the layer does not have
        lambda k, c, f: k * k * c * f + 2 * f,  # only the trained half of batch normalisation
        lambda k, c, f: k * k * c * f + 4 * c,  # batch normalisation on the input channels
    ],
    other_answers=[lambda k, c, f: f * (k * k * c + 4)],
)


def _test_flatten_size(fn):
    cases = [
        ((48, 3, 64), 2304),
        ((48, 2, 32), 4608),
        ((48, 5, 128), 128),  # 48, 24, 12, 6, 3, then 1: the odd side 3 is rounded down
        ((45, 3, 8), 200),  # notebook 05's example of an odd side: 45 -> 22
    ]
    for args, want in cases:
        got = call(fn, *args)
        if got != want or not isinstance(got, int | np.integer):
            said = (
                f"a {args[0]}x{args[0]} input after {args[1]} 'same' convolution(s) each followed by a 2x2 "
                f"MaxPooling2D, with {args[2]} filters in the last one, flattens to {want} numbers (an int); "
                f"your function returned {got!r}"
            )
            if isinstance(got, float):
                return f"{said}. A side is a whole number of pixels: pooling an odd side drops the last row and column."
            return said
    return None


def _solution_flatten_size():
    def flatten_size(image_size, num_pools, filters):
        side = image_size
        for _ in range(num_pools):  # "same" convolutions keep the side: only the poolings change it
            side = side // 2  # MaxPooling2D(2) halves the side, dropping an odd last row/column
        # Flatten lines up every position of the square maps, for each of the last block's filters
        return side * side * filters

    return flatten_size


def _flatten_size_formula(image_size, num_pools, filters):
    return (image_size // 2**num_pools) ** 2 * filters


flatten_size = Exercise(
    key="05.2",
    title="how many numbers reach Flatten",
    test=_test_flatten_size,
    hints=(
        "'same' padding keeps the side; each 2x2 pooling halves it. Which way does it round an odd side?",
        "Answers usually go wrong on an odd side: a pooled side of 3 becomes 1, not 1.5, because the last "
        "row and column have no partner and are dropped; a side is a whole number of pixels at every step. "
        "And the numbers that reach Flatten are all the positions of the square, for every filter.",
    ),
    solution=_solution_flatten_size,
    wrong_answers=[
        lambda size, pools, filters: (size / 2**pools) ** 2 * filters,
        lambda size, pools, filters: (size // 2**pools) * filters,
        lambda size, pools, filters: round(size / 2**pools) ** 2 * filters,
    ],
    other_answers=[_flatten_size_formula],
)


def _inner_layers(model) -> list:
    """A model's layers in order, those of a model inside it too, without the Input layer
    (a functional model lists it first, a Sequential one does not)."""
    found = []
    for layer in getattr(model, "layers", []):
        if type(layer).__name__ != "InputLayer":
            found.append(layer)
            found.extend(_inner_layers(layer))
    return found


def _test_build_model(fn):
    import keras

    model = call(fn)
    if not hasattr(model, "predict") or not hasattr(model, "layers"):
        return f"build_model() should return a Keras model, not {type(model).__name__}"
    if tuple(model.input_shape) != (None, 48, 48, 1):
        return f"the model should take faces of shape (48, 48, 1); its input shape is {model.input_shape}"
    if tuple(model.output_shape) != (None, 7):
        return (
            f"the model should output 7 numbers per face (one per emotion); it outputs {model.output_shape}"
        )
    layers = _inner_layers(model)
    if type(layers[0]).__name__ != "Rescaling":
        return "the first layer should be Rescaling(1 / 255), so that raw 0-255 pixels can go in"
    darkest, brightest = keras.ops.convert_to_numpy(layers[0](np.array([[0.0, 255.0]], "float32")))[0]
    if abs(darkest) > 1e-6 or abs(brightest - 1) > 1e-4:
        return (
            f"the rescaling should turn pixels from 0-255 into 0-1, but yours turns 255 into {brightest:.6g}"
            + (f" and 0 into {darkest:.6g}" if abs(darkest) > 1e-6 else "")
            + ": Rescaling multiplies by its number, so that number is one over 255"
        )
    if not any("Conv2D" in type(layer).__name__ for layer in layers):
        return (
            "an emotion CNN needs at least one convolution (Conv2D): without one, every weight is tied to "
            "one pixel position, and nothing finds an edge or a mouth wherever it is in the face"
        )
    if model.count_params() > 250_000:
        return f"{model.count_params():,} parameters is more than the 250,000 allowed here: use fewer filters or units"
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        return "the model should be compiled (model.compile(optimizer=..., loss=..., metrics=[...]))"
    loss = model.loss if isinstance(model.loss, str) else getattr(model.loss, "name", str(model.loss))
    if "sparse_categorical_crossentropy" not in str(loss):
        return f"with integer labels the loss is 'sparse_categorical_crossentropy', not {loss!r}"
    if getattr(model.loss, "from_logits", False) is True:
        return (
            "the loss has from_logits=True, but the last layer's softmax gives probabilities already: "
            "the loss would apply a softmax a second time"
        )
    faces = np.random.default_rng(3).integers(0, 256, size=(4, 48, 48, 1)).astype(np.uint8)
    probs = np.asarray(model.predict(faces, verbose=0))
    if not np.allclose(probs.sum(axis=1), 1, atol=1e-4) or (probs < 0).any():
        return "the outputs should be probabilities (a softmax in the last layer): each row positive, summing to 1"
    return None


def _solution_build_model():
    import keras
    from keras import layers

    def build_model():
        model = keras.Sequential(
            [
                keras.Input(shape=(48, 48, 1)),  # one grey face; Keras adds the batch axis itself
                # inside the model, so that training, evaluation and the webcam all scale the same way
                layers.Rescaling(1 / 255),
                # small filters slid over the face find edges and spots wherever they are
                layers.Conv2D(16, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(2),  # halves the side: the next filters see a larger part of the face
                layers.Conv2D(32, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(2),
                layers.Flatten(),  # 12 x 12 x 32 = 4,608 numbers: about 32,000 weights below, in budget
                layers.Dense(7, activation="softmax"),  # seven probabilities, one per emotion
            ]
        )
        # the labels are class numbers 0-6, not one-hot rows: hence the *sparse* cross-entropy
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return model

    return build_model


def _wrong_model(
    rescale=True,
    units=7,
    activation="softmax",
    compiled=True,
    loss="sparse_categorical_crossentropy",
    scale=1 / 255,
    conv=True,
):
    def build():
        import keras
        from keras import layers

        stack = [keras.Input(shape=(48, 48, 1))]
        if rescale:
            stack.append(layers.Rescaling(scale))
        if conv:
            stack += [layers.Conv2D(8, 3, activation="relu"), layers.MaxPooling2D(4)]
        stack.append(layers.Flatten())
        stack.append(layers.Dense(units, activation=activation))
        model = keras.Sequential(stack)
        if compiled:
            loss_fn = (
                keras.losses.SparseCategoricalCrossentropy(from_logits=True) if loss == "logits" else loss
            )
            model.compile(optimizer="adam", loss=loss_fn, metrics=["accuracy"])
        return model

    return build


def _build_model_gap():
    import keras
    from keras import layers

    model = keras.Sequential(
        [
            keras.Input(shape=(48, 48, 1)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(7, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.RMSprop(), loss=keras.losses.SparseCategoricalCrossentropy())
    return model


def _build_model_functional():
    import keras
    from keras import layers

    faces = keras.Input(shape=(48, 48, 1))
    x = layers.Rescaling(1.0 / 255)(faces)
    x = layers.SeparableConv2D(16, 3, activation="relu")(x)
    x = layers.MaxPooling2D(4)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(7)(x)
    probs = layers.Softmax()(x)
    model = keras.Model(faces, probs)
    model.compile(optimizer="sgd", loss=keras.losses.sparse_categorical_crossentropy)
    return model


build_model = Exercise(
    key="05.3",
    title="build and compile an emotion CNN",
    test=_test_build_model,
    hints=(
        "Go through the requirements one by one: input shape, rescaling first, at least one convolution (it "
        "is a CNN), seven probabilities out, a parameter budget, compiled with the right loss.",
        "Answers usually slip on one of these: Rescaling multiplies every pixel by its number, so only one "
        "over 255 brings 255 down to 1; probabilities come from a softmax in the last layer; and the labels "
        "are class numbers, which decides the loss (the sparse one). The notebook's first CNN has every "
        "piece, and its 171,719 parameters fit under the budget.",
    ),
    solution=_solution_build_model,
    wrong_answers=[
        _wrong_model(rescale=False),
        _wrong_model(scale=255),  # multiplies by 255 instead of dividing
        _wrong_model(conv=False),  # Rescaling, Flatten, Dense: no convolution at all
        _wrong_model(units=10),
        _wrong_model(activation=None),
        _wrong_model(compiled=False),
        _wrong_model(loss="categorical_crossentropy"),
        _wrong_model(loss="logits"),  # a softmax output and a loss that expects logits
    ],
    other_answers=[_build_model_gap, _build_model_functional],
)


def _test_save_and_reload(fn):
    import keras

    from helpers import config, models

    config.set_seed(0)
    model = models.build_first_cnn()
    faces = np.random.default_rng(0).integers(0, 256, size=(4, 48, 48, 1), dtype=np.uint8)
    before = model.predict(faces, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "runs" / "models"  # neither this folder nor the one above it exists yet
        try:
            loaded = call(fn, model, folder)
        except FileNotFoundError as err:
            return (
                f"saving failed, because {folder.name}/ and the folder above it, {folder.parent.name}/, "
                f"do not exist yet: make both (mkdir has an option for missing parents). It said: {err}"
            )
        saved = sorted(p.name for p in folder.glob("*")) if folder.exists() else []
        if not saved:
            return f"no file was saved in {folder.name}/ (create the folder first if it is missing)"
        if not any(name.endswith(".keras") for name in saved):
            return f"save in the native format, a file name ending in .keras; the folder holds {saved}"
        if loaded is model:
            return "return the model loaded from the file (keras.models.load_model), not the model you were given"
        if not isinstance(loaded, keras.Model):
            return f"expected a Keras model back, got {type(loaded).__name__}"
        after = loaded.predict(faces, verbose=0)
        if not np.allclose(before, after, atol=1e-6):
            return "the reloaded model predicts differently from the original"
        try:
            call(fn, model, folder)
        except FileExistsError:
            return (
                f"the second time, {folder.name}/ exists already, and making it again failed: saving a model "
                "into a folder that is there must work too (mkdir has an option for that)"
            )
    return None


def _solution_save_and_reload():
    from pathlib import Path

    import keras

    def save_and_reload(model, folder):
        folder = Path(folder)
        # parents: the folders above it may be missing too; exist_ok: no error when it is there
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "emotion_cnn.keras"  # the .keras ending selects Keras' native format
        model.save(path)
        # what comes back from the file, not the model in memory: that proves the file is complete
        return keras.models.load_model(path)

    return save_and_reload


def _save_h5(model, folder):
    import keras

    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / "emotion_cnn.h5")
    return keras.models.load_model(Path(folder) / "emotion_cnn.h5")


def _return_same(model, folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / "emotion_cnn.keras")
    return model


def _one_level_only(model, folder):
    import keras

    Path(folder).mkdir(exist_ok=True)  # fails when the folder above is missing too
    model.save(Path(folder) / "emotion_cnn.keras")
    return keras.models.load_model(Path(folder) / "emotion_cnn.keras")


def _folder_made_every_time(model, folder):
    import os

    import keras

    os.makedirs(folder)  # fails the second time: the folder is there
    model.save(os.path.join(folder, "emotion_cnn.keras"))
    return keras.models.load_model(os.path.join(folder, "emotion_cnn.keras"))


def _save_and_reload_os(model, folder):
    import os

    import keras

    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.keras")
    keras.saving.save_model(model, path)
    return keras.saving.load_model(path)


save_and_reload = Exercise(
    key="05.4",
    title="save a model in the native format and load it back",
    test=_test_save_and_reload,
    hints=(
        "Write the model to a file, then read the file back: what you return should come from the file, "
        "which proves the file holds the whole model.",
        "Answers usually trip over one of three things: the folder may not exist yet, nor the one above it "
        "(saving into a missing folder fails, and so does making a folder that is already there unless you "
        "say that is fine); Keras picks the format from the file name's ending; and the model you were "
        "given proves nothing about the file.",
    ),
    solution=_solution_save_and_reload,
    wrong_answers=[_save_h5, _return_same, _one_level_only, _folder_made_every_time],
    other_answers=[_save_and_reload_os],
)


def _descent_problem():
    """A small softmax classifier on 64 standardised faces, the set-up of notebook 05's loop."""
    import tensorflow as tf

    rng = np.random.default_rng(5)
    x = tf.constant(rng.normal(size=(64, 48 * 48)).astype("float32"))
    y = tf.constant(rng.integers(0, 7, size=64))
    W = tf.Variable(rng.normal(scale=0.01, size=(48 * 48, 7)).astype("float32"))
    b = tf.Variable(np.zeros(7, "float32"))
    return x, y, W, b


def _loss(x, y, W, b):
    import tensorflow as tf

    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, x @ W + b))


def _test_descent_step(fn):
    import tensorflow as tf

    x, y, W, b = _descent_problem()
    with tf.GradientTape() as tape:
        loss = _loss(x, y, W, b)
    dW, db = tape.gradient(loss, [W, b])
    want_W, want_b = W.numpy() - 0.1 * dW.numpy(), b.numpy() - 0.1 * db.numpy()
    before = float(loss)
    got = call(fn, x, y, W, b, 0.1)
    if not isinstance(got, int | float | np.floating) and not hasattr(got, "numpy"):
        return f"return the loss before the step, as a number; your function returned {type(got).__name__}"
    if abs(float(got) - before) > 1e-4:
        return f"the loss before the step is {before:.4f}; your function returned {float(got):.4f}"
    if np.allclose(W.numpy(), want_W + 0.1 * dW.numpy()):
        return "W did not change: update the variables in place (they are tf.Variable), one step against the gradient"
    if np.allclose(W.numpy(), want_W + 0.2 * dW.numpy(), atol=1e-6):
        return "W moved uphill: a step of gradient descent goes against the gradient"
    if not np.allclose(W.numpy(), want_W, atol=1e-6):
        return "W is not where one step of learning_rate times the gradient of the loss would take it"
    if not np.allclose(b.numpy(), want_b, atol=1e-6):
        return "W is right, but b did not take its step: the bias learns too"
    if float(_loss(x, y, W, b)) >= before:
        return "after your step the loss did not fall"
    return None


def _solution_descent_step():
    import tensorflow as tf

    def descent_step(x, y, W, b, learning_rate):
        with tf.GradientTape() as tape:  # records the computation, so that it can be differentiated
            scores = x @ W + b
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, scores))
        dW, db = tape.gradient(loss, [W, b])  # how the loss changes with each weight
        # against the gradient: the direction in which the loss falls fastest
        W.assign_sub(learning_rate * dW)  # assign_sub changes the Variable in place
        b.assign_sub(learning_rate * db)
        return float(loss)  # computed before the step: the loss these weights had

    return descent_step


def _descent_step_sgd(x, y, W, b, learning_rate):
    import keras
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, tf.matmul(x, W) + b)
    keras.optimizers.SGD(learning_rate=learning_rate).apply_gradients(
        zip(tape.gradient(loss, [W, b]), [W, b], strict=True)
    )
    return loss.numpy()


def _uphill(x, y, W, b, learning_rate):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = _loss(x, y, W, b)
    dW, db = tape.gradient(loss, [W, b])
    W.assign_add(learning_rate * dW)
    b.assign_add(learning_rate * db)
    return float(loss)


def _only_W(x, y, W, b, learning_rate):
    import tensorflow as tf

    with tf.GradientTape() as tape:
        loss = _loss(x, y, W, b)
    W.assign_sub(learning_rate * tape.gradient(loss, W))
    return float(loss)


def _no_tape(x, y, W, b, learning_rate):
    loss = _loss(x, y, W, b)
    W.assign_sub(learning_rate * W)  # the weights themselves are not the gradient
    return float(loss)


descent_step = Exercise(
    key="05.5",
    title="one step of gradient descent with GradientTape",
    test=_test_descent_step,
    hints=(
        "Notebook 05's loop on the faces does exactly this once per step: record the loss on the tape, "
        "ask the tape for the gradients, move each variable against its gradient.",
        "Answers usually go wrong in one of these places: a loss computed outside the tape's block leaves "
        "the tape nothing to differentiate; both W and b learn; a step goes against the gradient, which "
        "means subtracting; and the loss to return is the one from before the step, as a plain number.",
    ),
    solution=_solution_descent_step,
    wrong_answers=[_uphill, _only_W, _no_tape],
    other_answers=[_descent_step_sgd],
)
