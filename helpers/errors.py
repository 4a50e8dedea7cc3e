"""The course's own errors. Each message says what went wrong and what to do about it.

All of them are :class:`CourseError`, so ``except CourseError`` catches any of them; each is
also the built-in error it is a kind of (a missing data folder is a ``FileNotFoundError``,
an unusable model file a ``ValueError``), so code written for those keeps working.
"""

from __future__ import annotations


class CourseError(Exception):
    """Something the learner can fix; the message says how."""


class DataError(CourseError, ValueError):
    """The data is there but cannot be used as it is; the message says what to fix."""


class DataNotFoundError(CourseError, FileNotFoundError):
    """No data where the course looked; the message says how to get it."""


class ArchiveError(DataError):
    """A FER2013 archive that cannot be imported; the message says why and what to do."""


class ModelFileError(CourseError, ValueError):
    """A model file that is missing, unreadable, or not a 48x48 grey emotion model."""


class ResumeError(CourseError, RuntimeError):
    """A saved training state that does not fit the training being started."""


class VideoError(CourseError, RuntimeError):
    """A camera, video file or detector that cannot be used; the message says what to do."""
