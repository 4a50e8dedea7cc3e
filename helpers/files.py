"""Writing files and folders so that a stop half-way never leaves a half-written one behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


def move_into_place(tmp, path) -> Path:
    """Move the finished file or folder ``tmp`` onto ``path`` in one step (``os.replace``, on
    the same disk): whatever was at ``path`` stays whole until then. A folder may take the
    place of nothing or of an empty folder only. Returns ``path``."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
        path.rmdir()  # an empty folder (one the learner made): take its place
    os.replace(tmp, path)
    return path


@contextlib.contextmanager
def replaced_atomically(path, *, staging=None) -> Iterator[Path]:
    """Write to a temporary path beside ``path``, which takes ``path``'s place in one step when
    the ``with`` block ends without an error.

        with files.replaced_atomically(model_path) as tmp:
            model.save(tmp)

    Until that step, whatever was at ``path`` stays whole; after it, the new file or folder is
    there complete (:func:`move_into_place`). The temporary name keeps ``path``'s suffix (Keras
    checks it) and starts with a dot. On an error the temporary is deleted and ``path`` is
    left as it was.
    """
    path = Path(path)
    tmp = path.with_name(f".{uuid.uuid4().hex[:8]}-{path.name}")
    try:
        yield tmp
        move_into_place(tmp, path)
    finally:
        if tmp.exists() or tmp.is_symlink():
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                tmp.unlink(missing_ok=True)
