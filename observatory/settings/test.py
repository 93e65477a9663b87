"""Test settings: the same environment-driven settings, with fast hashing and a private media folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="observatory-test-media-"))
AXES_ENABLED = True
