"""Exercises of notebook 05 (``tensorflow`` / Keras)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from helpers.exercises import Exercise, call

_FER_LIKE = np.repeat(np.arange(7), [40, 6, 41, 72, 48, 32, 50])  # happy (3) the most frequent
_NO_NEUTRAL = np.array([3, 3, 0, 1, 4, 4, 2, 3, 5, 3])  # no face of class 6 (neutral)


def _bias_step_cases():
    """(labels, learning rate, the biases after one step from zero weights) for the check."""
    cases = []
    for labels, rate in [(_FER_LIKE, 0.5), (_NO_NEUTRAL, 0.1), (np.array([5]), 2.0)]:
        shares = np.bincount(labels, minlength=7) / len(labels)
        # at zero weights every class gets 1/7, so the gradient of the mean loss is 1/7 - share
        cases.append((labels, rate, rate * (shares - 1 / 7)))
    return cases


def _test_first_bias_step(fn):
    for labels, rate, want in _bias_step_cases():
        got = np.asarray(call(fn, labels.copy(), rate), dtype=float)
        said = f"for labels with class counts {np.bincount(labels, minlength=7).tolist()} and learning rate {rate}"
        if got.shape != (7,):
            return (
                f"{said}, return the seven biases, one per class; your function returned shape {got.shape}. "
                "A class with no face in the labels still has a bias"
            )
        if np.allclose(got, -want, atol=1e-5):
            return (
                f"{said}, your biases moved uphill: the frequent classes' biases fell. A step of gradient "
                "descent goes against the gradient"
            )
        if np.allclose(got, want * len(labels), atol=1e-4) and len(labels) > 1:
            return (
                f"{said}, your step is {len(labels)} times too large: the loss is the mean over the faces, "
                "not their sum"
            )
        if np.allclose(got, -want / rate, atol=1e-5):
            return f"{said}, you returned the gradient itself: return the biases after the step"
        if not np.allclose(got, want, atol=1e-5):
            return f"{said}, the biases after one step are {np.round(want, 4).tolist()}; yours are {np.round(got, 4).tolist()}"
    return None


def _solution_first_bias_step():
    import tensorflow as tf

    def first_bias_step(labels, learning_rate):
        b = tf.Variable(tf.zeros(7))  # the biases start at zero, like the weights
        with tf.GradientTape() as tape:
            # x @ W is zero for every face while W is zero: each face's scores are the biases alone
            scores = tf.zeros((len(labels), 7)) + b
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, scores))
        # against the gradient: the biases of frequent classes rise, those of rare or absent ones fall
        b.assign_sub(learning_rate * tape.gradient(loss, b))
        return b.numpy()

    return first_bias_step


def _first_bias_step_formula(labels, learning_rate):
    # by hand: every class gets 1/7 at the start, so the gradient is 1/7 minus each class's share
    shares = np.bincount(labels, minlength=7) / len(labels)
    return learning_rate * (shares - 1 / 7)


def _bias_step_with_tape(labels, learning_rate, mean=True, downhill=True, step=True):
    import tensorflow as tf

    def answer(labels, learning_rate):
        b = tf.Variable(np.zeros(7, "float32"))
        with tf.GradientTape() as tape:
            scores = tf.ones((len(labels), 1)) * b
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, scores)
            loss = tf.reduce_mean(losses) if mean else tf.reduce_sum(losses)
        gradient = tape.gradient(loss, b)
        if not step:
            return gradient.numpy()
        if downhill:
            b.assign_sub(learning_rate * gradient)
        else:
            b.assign_add(learning_rate * gradient)
        return b.numpy()

    return answer(labels, learning_rate)


first_bias_step = Exercise(
    key="05.1",
    title="the biases after the first step from zero weights",
    test=_test_first_bias_step,
    hints=(
        "While W is zero, the faces change nothing: every face's seven scores are the seven biases. So the "
        "loss depends on the biases and the labels alone; record it on a tape and take one step against "
        "the gradient.",
        "Answers usually go wrong in three places: the loss is the mean over the faces, not their sum, so "
        "the step does not grow with the batch; a step goes against the gradient, so the biases of frequent "
        "classes rise; and a class with no face in the labels still has a bias, and it moves too.",
    ),
    solution=_solution_first_bias_step,
    wrong_answers=[
        lambda labels, rate: _bias_step_with_tape(labels, rate, downhill=False),  # uphill
        lambda labels, rate: _bias_step_with_tape(labels, rate, mean=False),  # the sum of the losses
        lambda labels, rate: _bias_step_with_tape(labels, rate, step=False),  # the gradient, not the step
        lambda labels, rate: rate * (np.bincount(labels) / len(labels) - 1 / 7),  # a missing class drops out
    ],
    other_answers=[_first_bias_step_formula, _bias_step_with_tape],
)


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
    key="05.2",
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
    key="05.3",
    title="how many numbers reach Flatten",
    test=_test_flatten_size,
    hints=(
        "Follow the side through the blocks: a 'same' convolution keeps it, each pooling halves it. Then "
        "count what Flatten lines up: every position of the last feature maps, for every filter.",
        "Answers usually go wrong in two places. A side is a whole number of pixels at every step: a pooled "
        "side of 3 becomes 1, not 1.5, because the last row and column have no partner and are dropped. And "
        "the last maps are squares, one per filter: every position of the square counts, for each filter.",
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


#: 05.4's parameter budget: the notebook's first CNN (171,719) does not fit, so the learner designs one
_BUDGET = 50_000


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
    if model.count_params() > _BUDGET:
        biggest = max(layers, key=lambda layer: layer.count_params())
        kind = type(biggest).__name__
        why = (
            "a Dense layer has one weight per number it receives (all of Flatten's), for each unit"
            if kind == "Dense"
            else "count its parameters as in 05.2 and make it smaller"
        )
        return (
            f"{model.count_params():,} parameters is more than the {_BUDGET:,} allowed here. Your {kind} "
            f"layer alone holds {biggest.count_params():,}: {why}"
        )
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
                # small filters slid over the face find edges and spots wherever they are. They are
                # cheap, (3 x 3 x 1 + 1) x 16 = 160 parameters, as each is reused at every position
                layers.Conv2D(16, 3, padding="same", activation="relu"),
                layers.MaxPooling2D(2),  # halves the side: the next filters see a larger part of the face
                layers.Conv2D(32, 3, padding="same", activation="relu"),  # (3 x 3 x 16 + 1) x 32 = 4,640
                layers.MaxPooling2D(2),
                # 12 x 12 x 32 = 4,608 numbers. A Dense(64) here, as in the first CNN, would take
                # 295,000 weights; straight to the seven outputs it takes (4,608 + 1) x 7 = 32,263
                layers.Flatten(),
                layers.Dense(7, activation="softmax"),  # seven probabilities, one per emotion
            ]
        )
        # 160 + 4,640 + 32,263 = 37,063 parameters, under the budget of 50,000.
        # The labels are class numbers 0-6, not one-hot rows: hence the *sparse* cross-entropy
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


def _first_cnn(dense_units):
    """The notebook's first CNN, compiled, with ``dense_units`` in its first Dense layer."""
    import keras
    from keras import layers

    stack = [keras.Input(shape=(48, 48, 1)), layers.Rescaling(1 / 255)]
    for filters in (16, 32, 64):
        stack += [
            layers.Conv2D(filters, 3, padding="same", activation="relu"),
            layers.BatchNormalization(momentum=0.9),
            layers.MaxPooling2D(2),
        ]
    stack += [layers.Flatten(), layers.Dropout(0.3), layers.Dense(dense_units, activation="relu")]
    stack += [layers.Dropout(0.3), layers.Dense(7, activation="softmax")]
    model = keras.Sequential(stack)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


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
    key="05.4",
    title="design an emotion CNN within a budget",
    test=_test_build_model,
    hints=(
        "Design within the budget: count each layer's parameters as you did in 05.2 and 05.3, and see "
        "where most of them sit. Then check the other requirements one by one.",
        "Answers usually go over the budget in the first Dense layer after Flatten: it has one weight per "
        "number Flatten hands on, for each unit. More pooling, fewer units, or global average pooling "
        "shrink it; the convolutions are cheap. Then the usual slips: Rescaling multiplies by its number, "
        "so it takes one over 255; probabilities come from a softmax in the last layer; and class-number "
        "labels need the sparse loss.",
    ),
    solution=_solution_build_model,
    wrong_answers=[
        _wrong_model(rescale=False),
        _wrong_model(scale=255),  # multiplies by 255 instead of dividing
        _wrong_model(conv=False),  # Rescaling, Flatten, Dense: no convolution at all
        lambda: _first_cnn(64),  # the notebook's first CNN: 171,719 parameters
        lambda: _first_cnn(16),  # its Dense layer shrunk, but not enough: 60,743
        _wrong_model(units=10),
        _wrong_model(activation=None),
        _wrong_model(compiled=False),
        _wrong_model(loss="categorical_crossentropy"),
        _wrong_model(loss="logits"),  # a softmax output and a loss that expects logits
    ],
    other_answers=[_build_model_gap, _build_model_functional, lambda: _first_cnn(8)],  # 42,247
)


#: the file 05.5 saves into the folder it is given
_MODEL_FILE = "emotion_cnn.keras"


def _small_cnn():
    """A small model for 05.5's check: saving and loading it is quick."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(48, 48, 1)),
            layers.Rescaling(1 / 255),
            layers.Conv2D(4, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(7, activation="softmax"),
        ],
        name="small_cnn",
    )


def _test_save_and_reload(fn):
    import os

    import keras

    model = _small_cnn()
    faces = np.random.default_rng(0).integers(0, 256, size=(4, 48, 48, 1), dtype=np.uint8)
    before = model.predict(faces, verbose=0)
    with tempfile.TemporaryDirectory() as tmp:
        # 1. neither the folder nor the one above it exists yet
        folder = Path(tmp) / "runs" / "models"
        try:
            loaded = call(fn, model, folder)
        except FileNotFoundError as err:
            return (
                f"saving failed, because {folder.name}/ and the folder above it, {folder.parent.name}/, "
                f"did not exist yet: make both (mkdir has an option for missing parents). It said: {err}"
            )
        path = folder / _MODEL_FILE
        saved = sorted(p.name for p in folder.glob("*")) if folder.exists() else []
        if not path.exists():
            if any(name.endswith(".h5") for name in saved):
                return f"Keras picks the format from the file name's ending: the native format is .keras, not .h5 ({saved})"
            if saved:
                return f"save the model as {_MODEL_FILE} in the folder; your function saved {saved}"
            return f"no file was saved in {folder.name}/: save the model as {_MODEL_FILE} there"
        if loaded is model:
            return "return the model loaded from the file (keras.models.load_model), not the model you were given"
        if not isinstance(loaded, keras.Model):
            return f"expected a Keras model back, got {type(loaded).__name__}"
        if not np.allclose(before, loaded.predict(faces, verbose=0), atol=1e-6):
            return "the reloaded model predicts differently from the original"

        # 2. a folder that is there already, with no model in it
        ready = Path(tmp) / "ready"
        ready.mkdir()
        try:
            call(fn, model, ready)
        except FileExistsError:
            return (
                f"{ready.name}/ existed already, with no {_MODEL_FILE} in it, and your function raised "
                "FileExistsError. A folder that is there is fine (mkdir has an option for that): only an "
                "existing model file must not be replaced"
            )
        if not (ready / _MODEL_FILE).exists():
            return f"into {ready.name}/, a folder that existed already, your function saved no {_MODEL_FILE}"

        # 3. the first folder again: its model file is there now, and must stay as it is
        os.utime(path, ns=(10**18, 10**18))  # an old time stamp: a file written again gets a new one
        content = path.read_bytes()
        try:
            call(fn, model, folder)
            raised = False
        except FileExistsError:
            raised = True
        replaced = not path.exists() or path.stat().st_mtime_ns != 10**18 or path.read_bytes() != content
        second = f"the second call into {folder.name}/, where {_MODEL_FILE} was already"
        if replaced and raised:
            return f"{second}, raised FileExistsError, but only after replacing the file: look before saving"
        if replaced:
            return (
                f"{second}, replaced that file: model.save overwrites without asking. Look for the file "
                "first; if it is there, leave it and raise FileExistsError"
            )
        if not raised:
            return (
                f"{second}, left the file as it was, good, but raised no FileExistsError: the caller "
                "would believe the new model was saved"
            )
    return None


def _solution_save_and_reload():
    from pathlib import Path

    import keras

    def save_and_reload(model, folder):
        folder = Path(folder)
        # parents: the folders above it may be missing too; exist_ok: a folder that is there is fine
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "emotion_cnn.keras"  # the .keras ending selects Keras' native format
        # model.save would replace the file without asking: look first, as the course does, and
        # stop loudly, so a trained model is never lost and the caller knows nothing was saved
        if path.exists():
            raise FileExistsError(f"{path} is there already: not replacing it")
        model.save(path)
        # what comes back from the file, not the model in memory: that proves the file is complete
        return keras.models.load_model(path)

    return save_and_reload


def _guarded(save):
    """A wrong answer that gets the overwrite rule right, around another mistake ``save``."""

    def answer(model, folder):
        if (Path(folder) / _MODEL_FILE).exists():
            raise FileExistsError(folder)
        return save(model, folder)

    return answer


def _save_h5(model, folder):
    import keras

    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / "emotion_cnn.h5")
    return keras.models.load_model(Path(folder) / "emotion_cnn.h5")


def _return_same(model, folder):
    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / _MODEL_FILE)
    return model


def _one_level_only(model, folder):
    import keras

    Path(folder).mkdir(exist_ok=True)  # fails when the folder above is missing too
    model.save(Path(folder) / _MODEL_FILE)
    return keras.models.load_model(Path(folder) / _MODEL_FILE)


def _folder_made_every_time(model, folder):
    import os

    import keras

    os.makedirs(folder)  # fails when the folder is there already
    model.save(os.path.join(folder, _MODEL_FILE))
    return keras.models.load_model(os.path.join(folder, _MODEL_FILE))


def _refuses_a_folder(model, folder):
    import keras

    if Path(folder).exists():  # the folder, not the file: refuses an empty folder too
        raise FileExistsError(folder)
    Path(folder).mkdir(parents=True)
    model.save(Path(folder) / _MODEL_FILE)
    return keras.models.load_model(Path(folder) / _MODEL_FILE)


def _overwrites(model, folder):
    import keras

    Path(folder).mkdir(parents=True, exist_ok=True)
    model.save(Path(folder) / _MODEL_FILE)  # replaces a saved model without asking
    return keras.models.load_model(Path(folder) / _MODEL_FILE)


def _loads_what_is_there(model, folder):
    import keras

    path = Path(folder) / _MODEL_FILE
    if not path.exists():  # the file is kept, but the caller is not told the new model was not saved
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
    return keras.models.load_model(path)


def _save_and_reload_os(model, folder):
    import os

    import keras

    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "emotion_cnn.keras")
    if os.path.exists(path):
        raise FileExistsError(path)
    keras.saving.save_model(model, path)
    return keras.saving.load_model(path)


def _save_and_reload_exclusive(model, folder):
    import keras

    path = Path(folder) / "emotion_cnn.keras"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(exist_ok=False)  # an exclusive create, as in notebook 01: FileExistsError if it is there
    model.save(path)  # replaces only the empty file just made
    return keras.models.load_model(path)


save_and_reload = Exercise(
    key="05.5",
    title="save a model without replacing one, and load it back",
    test=_test_save_and_reload,
    hints=(
        "Write the model to a file, then read the file back: what you return should come from the file. "
        "Before writing, look whether the file is there: the course never replaces a saved model by accident.",
        "Answers usually trip over the folders or the second call. The folder above may be missing too, and "
        "a folder that is there already is no error: making folders has an option for each case. Keras "
        "picks the format from the file name's ending. And saving replaces a file without asking, so the "
        "look for the file must come before the save.",
    ),
    solution=_solution_save_and_reload,
    wrong_answers=[
        _guarded(_save_h5),
        _guarded(_return_same),
        _guarded(_one_level_only),
        _guarded(_folder_made_every_time),
        _refuses_a_folder,
        _overwrites,
        _loads_what_is_there,
    ],
    other_answers=[_save_and_reload_os, _save_and_reload_exclusive],
)
