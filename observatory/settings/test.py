"""Test settings: the same environment-driven settings, with fast hashing and a private media folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="observatory-test-media-"))
AXES_ENABLED = True
# Tasks run in-process in tests; the end-to-end test switches the Celery app to its real broker
# (CELERY_BROKER_URL) and starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
# Static files are served from the source folders (no collectstatic needed to run the tests).
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="observatory-test-static-"))
WHITENOISE_USE_FINDERS = True
