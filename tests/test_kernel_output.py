"""The course's kernel keeps C++ log lines out of notebook cells (course.py setup writes the
kernel setting): TensorFlow's start-up lines go to the terminal, Python warnings still show."""

from __future__ import annotations

import os
import sys

import jupyter_client
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

CPP_NOISE = ("absl::InitializeLog", "I0000", "E0000", "cudart_stub", "cuInit", "port.cc")


class _ThisPython(KernelSpecManager):
    """A kernel of the interpreter running the tests (.venv's), as nbval's --nbval-current-env."""

    def get_kernel_spec(self, kernel_name):
        argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        return KernelSpec(argv=argv, display_name="course", language="python")


def _run_cell(code: str, tmp_path) -> tuple[list[tuple[str, str]], str]:
    """Run ``code`` in a fresh kernel; return the cell's stream outputs and the kernel's own stderr."""
    manager = jupyter_client.KernelManager(kernel_name="course", kernel_spec_manager=_ThisPython())
    log = tmp_path / "kernel-stderr.txt"
    with log.open("w") as stderr:
        # ipykernel never copies raw stderr into cells under pytest (it checks this variable):
        # start the kernel as Jupyter and `course.py run` do, without it
        env = {key: value for key, value in os.environ.items() if key != "PYTEST_CURRENT_TEST"}
        manager.start_kernel(stderr=stderr, env=env)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            msg_id = client.execute(code)
            streams = []
            while True:
                msg = client.get_iopub_msg(timeout=120)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    streams.append((msg["content"]["name"], msg["content"]["text"]))
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return streams, log.read_text()


def test_tensorflow_log_lines_stay_out_of_cells_and_python_warnings_do_not(tmp_path):
    code = (
        "from helpers import config\n"
        "import warnings, tensorflow as tf\n"
        "print('tensorflow', tf.__version__, float(tf.reduce_sum(tf.ones(3))))\n"
        "warnings.warn('a warning that teaches')\n"
    )
    streams, kernel_stderr = _run_cell(code, tmp_path)
    cell_text = "".join(text for _, text in streams)
    assert "tensorflow 2." in cell_text and "3.0" in cell_text
    assert "a warning that teaches" in cell_text  # Python's warnings still reach the learner
    assert not [noise for noise in CPP_NOISE if noise in cell_text], cell_text
    assert "absl::InitializeLog" in kernel_stderr  # the lines exist: they went to the terminal
