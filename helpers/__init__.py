"""The course's shared helpers.

Importing any of them imports :mod:`helpers.config` first, which turns TensorFlow's C++
log lines down before TensorFlow is loaded.
"""

from helpers import config  # noqa: F401
