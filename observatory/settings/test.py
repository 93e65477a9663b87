"""Test settings: the same environment-driven settings, with fast hashing and a private media folder."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="observatory-test-media-"))
AXES_ENABLED = True
# Tasks run in-process in tests; the end-to-end test switches the Celery app to its real broker
# (CELERY_BROKER_URL) and starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
IMPORTS_IN_THREAD = False  # a test reads what an import wrote as soon as the upload returns
# Static files are served from the source folders (no collectstatic needed to run the tests).
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="observatory-test-static-"))
WHITENOISE_USE_FINDERS = True
# pytest-xdist workers must not clear each other's cache (page cache, API throttle counters): each gets its
# own Redis database, counted down from REDIS_URL's (gw0 takes REDIS_URL's, gw1 the one below…).
if REDIS_URL:  # noqa: F405
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    CACHES["default"]["LOCATION"] = _redis._replace(path=f"/{int(_redis.path.strip('/') or 0) - _worker}").geturl()  # noqa: F405
