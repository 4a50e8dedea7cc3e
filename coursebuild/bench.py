"""The course's benchmark: prints a table of figures and writes them to build/benchmark.json.

    python3 course.py bench            (or: python -m coursebuild.bench)

    python3 course.py bench --skip-notebooks   (without the ~4-minute fast-mode notebook run)

    python3 course.py bench --seeds    (notebook 10's recipe over several seeds, with and without
                                        class weights: 15-25 minutes; coursebuild/seeds.py)

Speed is measured here and reported, never asserted in a test. The figures:

* synthetic: time to generate and to load the full-mode set (a fresh temporary folder, so
  the learner's data/ is not touched); a small CNN trained for a few epochs on it, with its
  accuracy and macro F1 beside the majority-class baseline;
* capstone: training throughput of notebook 10's model (images/s), of its FER2013 recipe
  (images/s, and minutes per epoch of FER2013's 28,709 faces), and notebook 08's two input
  pipelines side by side (images/s, the median of 3 one-epoch timings with their range, and
  the ratio of medians, separated into what augmenting whole batches gains from the same
  source and what the cache gains), through helpers.pipelines;
* inference: milliseconds per face, called eagerly, through predict, compiled, and batched;
* realtime: notebook 11's loop on 640x480 frames with one face: frames per second and
  milliseconds per stage (face search on the full frame, on a downscaled copy, and every
  third frame with the faces tracked in between), and the age of the frame shown when the
  frames come from a 30-fps camera with a 4-frame buffer;
* webcam: the webcam widget's kernel side per frame (a 320x240 JPEG in, annotated, out), the
  rate it allows, and the widget's own rate and round trip from the last browser test;
* reference: how real the synthetic faces are: the reference model (trained on real FER2013,
  helpers.reference) scored on the synthetic test split (accuracy, macro F1, recall per class),
  and, when notebook 10 has saved a model, how often that model agrees with the reference
  model on the real faces of data.real_faces() (agreement and Cohen's kappa);
* notebooks: wall time of executing every notebook in fast mode.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from pathlib import Path

from helpers import config, data, models


def synthetic_figures(folder: Path, epochs: int = 5, fraction: float = 0.2):
    """Generate the synthetic set in ``folder``, load it and learn it with the small CNN;
    return the set's root, its splits and the figures."""
    import numpy as np
    from sklearn.metrics import f1_score

    figures = {}
    start = time.perf_counter()
    root = data.generate_synthetic(folder / "synthetic", fraction=fraction, verbose=False)
    figures["generate_seconds"] = time.perf_counter() - start
    start = time.perf_counter()
    splits = data.load_dataset(root)
    figures["load_seconds"] = time.perf_counter() - start
    train, val, test = splits["train"], splits["val"], splits["test"]
    figures["train_images"] = len(train)
    figures["test_images"] = len(test)

    config.set_seed(0)
    model = models.compile_classifier(models.build_small_cnn(), learning_rate=2e-3)
    start = time.perf_counter()
    history = model.fit(
        data.add_channel(train.images),
        train.labels,
        validation_data=(data.add_channel(val.images), val.labels),
        epochs=epochs,
        batch_size=32,
        verbose=0,
    )
    seconds = time.perf_counter() - start
    predicted = model.predict(data.add_channel(test.images), verbose=0).argmax(axis=1)
    figures.update(
        cnn_parameters=model.count_params(),
        cnn_epochs=epochs,
        cnn_train_seconds=seconds,
        cnn_train_images_per_second=len(train) * epochs / seconds,
        cnn_val_accuracy_by_epoch=[round(v, 4) for v in history.history["val_accuracy"]],
        cnn_test_accuracy=float(np.mean(predicted == test.labels)),
        cnn_test_macro_f1=float(f1_score(test.labels, predicted, average="macro")),
        majority_baseline_accuracy=float(np.bincount(test.labels).max() / len(test)),
    )
    return root, splits, figures


def reference_figures(test) -> dict:
    """The reference model on the synthetic ``test`` split, and notebook 10's model against it
    on real faces (when that model exists)."""
    import numpy as np
    from sklearn.metrics import cohen_kappa_score, f1_score, recall_score

    from helpers import models, reference

    net = reference.load_reference_model()
    predicted = np.asarray(net.predict(data.add_channel(test.images), batch_size=256, verbose=0)).argmax(
        axis=1
    )
    recalls = recall_score(test.labels, predicted, labels=range(7), average=None, zero_division=0)
    figures = {
        "synthetic_test_accuracy": float(np.mean(predicted == test.labels)),
        "synthetic_test_macro_f1": float(f1_score(test.labels, predicted, average="macro")),
        **{f"synthetic_recall_{name}": float(r) for name, r in zip(data.CLASS_NAMES, recalls, strict=True)},
    }
    path = models.default_model_path()
    if path.is_file():
        faces = data.add_channel(np.concatenate(list(data.real_faces().values())))
        theirs = np.asarray(net.predict(faces, verbose=0)).argmax(axis=1)
        yours = np.asarray(models.load_model(path).predict(faces, verbose=0)).argmax(axis=1)
        figures.update(
            real_faces=len(faces),
            notebook10_agreement_on_real_faces=float(np.mean(yours == theirs)),
            notebook10_kappa_on_real_faces=float(cohen_kappa_score(yours, theirs)),
        )
    else:
        figures["notebook10_model"] = (
            f"not trained yet ({config.relative(path)}): run notebook 10 for the agreement"
        )
    return figures


def capstone_figures(train_dir, train, *, epochs: int = 2) -> dict:
    """Training throughput of notebook 10's model (augmentation inside, class weights), and
    notebook 08's two input pipelines on the same training folder."""
    import warnings

    import keras

    from coursebuild import seeds
    from helpers import pipelines

    warnings.filterwarnings("ignore", message="`shuffle=True` was passed")  # the dataset shuffles itself

    config.set_seed(0)
    model = models.compile_classifier(models.build_emotion_cnn())
    ds = seeds.training_dataset(train, seed=0)
    model.fit(ds.take(3), epochs=1, verbose=0)  # warm-up: graph tracing is not training speed
    start = time.perf_counter()
    model.fit(ds, epochs=epochs, verbose=0, class_weight=models.balanced_class_weights(train.labels))
    seconds = time.perf_counter() - start
    rates = pipelines.compare(train_dir)  # a median of 3 timings each, with their range
    median = {name: rate.median for name, rate in rates.items()}
    keys = {  # each pipeline's name in the figures' keys
        pipelines.LEGACY: "legacy",
        pipelines.MODERN: "tfdata",
        pipelines.MODERN_UNCACHED: "tfdata_uncached",
        pipelines.LEGACY_ARRAYS: "legacy_arrays",
        pipelines.MODERN_ARRAYS: "tfdata_arrays",
    }
    # notebook 10's FER2013 recipe (a fourth block, a hidden layer), timed as the notebook
    # times it before training, and scaled to FER2013's 28,709 training faces
    from coursebuild import fer2013
    from helpers import training

    fer2013_model = models.RECIPES["fer2013"]["model"]
    fer2013_faces = fer2013.SPLIT_COUNTS["train"]
    pace = training.estimate_epoch_seconds(
        lambda: models.compile_classifier(models.build_emotion_cnn(**fer2013_model)), ds, steps=40
    ).seconds_per_step
    keras.backend.clear_session()
    return {
        "parameters": model.count_params(),
        "train_images_per_second": len(train) * epochs / seconds,
        "seconds_per_epoch": seconds / epochs,
        "fer2013_recipe_parameters": models.build_emotion_cnn(**fer2013_model).count_params(),
        "fer2013_recipe_train_images_per_second": 64 / pace,
        "fer2013_recipe_minutes_per_fer2013_epoch": fer2013_faces / (64 / pace) / 60,
        "pipeline_legacy_images_per_second": median[pipelines.LEGACY],
        "pipeline_tfdata_images_per_second": median[pipelines.MODERN],
        "pipeline_ratio": median[pipelines.MODERN] / median[pipelines.LEGACY],
        # the two effects in that ratio, separated (notebook 08)
        "pipeline_tfdata_uncached_images_per_second": median[pipelines.MODERN_UNCACHED],
        "pipeline_legacy_arrays_images_per_second": median[pipelines.LEGACY_ARRAYS],
        "pipeline_tfdata_arrays_images_per_second": median[pipelines.MODERN_ARRAYS],
        "pipeline_ratio_same_files": median[pipelines.MODERN_UNCACHED] / median[pipelines.LEGACY],
        "pipeline_ratio_same_arrays": median[pipelines.MODERN_ARRAYS] / median[pipelines.LEGACY_ARRAYS],
        "pipeline_ratio_cache": median[pipelines.MODERN] / median[pipelines.MODERN_UNCACHED],
        # each median's range: the slowest and the fastest of its timings
        **{
            f"pipeline_{key}_images_per_second_{end}": getattr(rates[name], end)
            for name, key in keys.items()
            for end in ("low", "high")
        },
    }


def inference_figures() -> dict:
    """Milliseconds per face through the capstone model: eager call, ``predict``, a compiled
    ``tf.function`` (the real-time detector's own), and per face in a batch of 32 (median of
    repeats, after a warm-up)."""
    import numpy as np

    from helpers import detector, timing

    model = models.build_emotion_cnn()
    one = np.random.default_rng(0).integers(0, 256, (1, 48, 48, 1)).astype("float32")
    batch = np.repeat(one, 32, axis=0)
    compiled = detector.EmotionDetector(model).predict_fn  # what notebook 11's loop calls
    eager = timing.measure(lambda: model(one, training=False), repeat=30)
    predict = timing.measure(lambda: model.predict(one, verbose=0), repeat=30)
    fast = timing.measure(lambda: compiled(one), repeat=30, warmup=3)
    batched = timing.measure(lambda: compiled(batch), repeat=30, warmup=3)
    return {
        "eager_ms_per_face": eager.median * 1000,
        "predict_ms_per_face": predict.median * 1000,
        "compiled_ms_per_face": fast.median * 1000,
        "batched32_ms_per_face": batched.median * 1000 / len(batch),
    }


def realtime_figures(num_frames: int = 90) -> dict:
    """Notebook 11's loop on 640x480 frames with one face (the course's astronaut video, in
    memory): frames per second end to end and the median milliseconds of each stage, with
    the course's face search (full frame, faces from 15 % of the height), on a copy halved
    to 320x240 (``half_``), and searching every third frame with optical-flow tracking in
    between (``track3_``, and its frame rate against every-frame search, ``track3_speedup``);
    the same tracked loop with test-time flips (``track3_flip_``: each face read as it is and
    mirrored, ``course.py live --flip``), and with an ensemble of the CNN and the reference
    model (``track3_ensemble_``, ``course.py live --with-reference``), and what each costs
    (``flip_predict_ratio``, ``ensemble_predict_ratio``: the prediction stage's median over the
    single model's)."""
    import numpy as np

    from helpers import detector, reference, video

    model = models.build_emotion_cnn()
    frames = video.demo_frames(num_frames)
    figures = {"frames": len(frames)}
    variants = (
        ("", {}),
        ("half_", {"detect_width": 320}),
        ("track3_", {"detect_every": 3}),
        ("track3_flip_", {"detect_every": 3, "flip": True}),
        ("track3_ensemble_", {"detect_every": 3, "model": [model, reference.load_reference_model()]}),
    )
    for name, settings in variants:
        settings = dict(settings)
        emotions = detector.EmotionDetector(settings.pop("model", model), **settings)
        emotions.process(frames[0].copy())  # warm-up: compiles the prediction
        timings: dict = {}
        start = time.perf_counter()
        with_face = 0
        for frame in frames:
            _, faces = emotions.process(frame.copy(), timings)
            with_face += bool(faces)
        seconds = time.perf_counter() - start
        total = [sum(stage) for stage in zip(*timings.values(), strict=True)]
        figures[f"{name}frames_with_face"] = with_face
        figures[f"{name}fps"] = len(frames) / seconds
        figures[f"{name}ms_per_frame_median"] = float(np.median(total))
        figures.update({f"{name}{stage}_ms": float(np.median(ms)) for stage, ms in timings.items()})
    figures["track3_speedup"] = figures["track3_fps"] / figures["fps"]
    figures["flip_predict_ratio"] = figures["track3_flip_predict_ms"] / figures["track3_predict_ms"]
    figures["ensemble_predict_ratio"] = figures["track3_ensemble_predict_ms"] / figures["track3_predict_ms"]
    # the age of the frame shown (capture to annotated) when the frames come from a 30-fps
    # camera with a 4-frame driver buffer (helpers.capture), for each loop
    from helpers import capture, live

    for name, settings in (("", {}), ("track3_", {"detect_every": 3})):
        emotions = detector.EmotionDetector(model, **settings)
        emotions.process(frames[0].copy())
        summary = live.run(emotions, capture.PacedCamera(frames, fps=30, buffer=4))
        figures[f"{name}camera30_age_ms"] = summary.age_ms
        figures[f"{name}camera30_fps"] = summary.fps
    return figures


def webcam_figures(num_frames: int = 60) -> dict:
    """The webcam widget's kernel side (``helpers.webcam``): the demo video's frames as the
    browser sends them (320x240 JPEGs), decoded, enlarged, annotated and encoded again, per
    frame, searching every frame and every third frame. The rate the kernel allows is 1000
    divided by that. What the browser itself measured through Chromium's fake camera
    (``browser_``: frames a second and median round trip) comes from the last
    ``course.py test-browser`` run, when there was one (``build/browser/webcam_rate.json``)."""
    import cv2
    import numpy as np

    from helpers import detector, video, webcam

    model = models.build_emotion_cnn()
    jpegs = [
        cv2.imencode(
            ".jpg", cv2.resize(f, (320, 240), interpolation=cv2.INTER_AREA), [cv2.IMWRITE_JPEG_QUALITY, 80]
        )[1].tobytes()
        for f in video.demo_frames(num_frames)
    ]
    figures: dict = {"max_fps_default": webcam.WebcamWidget.max_fps.default_value}
    for name, settings in (("", {}), ("track3_", {"detect_every": 3})):
        handle = webcam.annotator(detector.EmotionDetector(model, **settings))
        webcam.jpeg_round_trip(jpegs[0], handle)  # warm-up: compiles the prediction
        ms = []
        for jpeg in jpegs:
            start = time.perf_counter()
            webcam.jpeg_round_trip(jpeg, handle)
            ms.append(1000 * (time.perf_counter() - start))
        figures[f"{name}kernel_ms_per_frame"] = float(np.median(ms))
        figures[f"{name}kernel_fps_possible"] = 1000 / float(np.median(ms))
    recorded = config.ROOT / "build" / "browser" / "webcam_rate.json"
    if recorded.exists():
        browser = json.loads(recorded.read_text())
        figures.update({f"browser_{key}": value for key, value in browser.items()})
    return figures


def notebook_run_figures() -> dict:
    """Wall time of executing every notebook in fast mode (what the test suite runs)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COURSE_FAST": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "coursebuild.runner", "run"], cwd=config.ROOT, env=env)
    return {"fast_mode_seconds": time.perf_counter() - start, "all_ran": result.returncode == 0}


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if "--seeds" in argv:
        from coursebuild import seeds

        return seeds.main([word for word in argv if word != "--seeds"])

    parser = argparse.ArgumentParser(
        prog="python3 course.py bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--skip-notebooks",
        action="store_true",
        help="leave out the fast-mode run of every notebook (the longest figure, ~4 min)",
    )
    args = parser.parse_args(argv)
    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": _cpus()}
    }
    with tempfile.TemporaryDirectory() as tmp:
        print("measuring: synthetic data and a small CNN ...", flush=True)
        root, splits, results["synthetic"] = synthetic_figures(Path(tmp))
        print("measuring: the capstone model's training speed and the two input pipelines ...", flush=True)
        results["capstone"] = capstone_figures(root / "train", splits["train"])
        print(
            "measuring: the reference model on the synthetic test split, and notebook 10's model beside it ...",
            flush=True,
        )
        results["reference"] = reference_figures(splits["test"])
    print("measuring: inference latency per face ...", flush=True)
    results["inference"] = inference_figures()
    print("measuring: the real-time loop on 640x480 frames ...", flush=True)
    results["realtime"] = realtime_figures()
    print("measuring: the webcam widget's kernel side ...", flush=True)
    results["webcam"] = webcam_figures()
    if not args.skip_notebooks:
        print("measuring: every notebook in fast mode ...", flush=True)
        results["notebooks"] = notebook_run_figures()
    print(f"\n{'figure':45s} value")
    for section, figures in results.items():
        for key, value in figures.items():
            shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
            print(f"{section + '.' + key:45s} {shown}")
    out = config.ensure_dir(config.ROOT / "build") / "benchmark.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {config.relative(out)}")
    return 0


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
