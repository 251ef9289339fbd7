"""Settings for the test suite: PostgreSQL and Redis, embedded by `make test` unless
DATABASE_URL and REDIS_URL are given."""

import os
import re

from shortbreaks.settings.base import *  # noqa: F403
from shortbreaks.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env("MEDIA_ROOT", default="/tmp/shortbreaks-test-media")  # noqa: S108
# A killed worker's document job is taken over quickly in the worker tests.
DOCUMENT_JOB_STALE_SECONDS = 3
DOCUMENT_BUILDERS = {**DOCUMENT_BUILDERS, "test": "tests.documents_builders.build"}  # noqa: F405
# The access log refuses TRUNCATE unless the session says so; the test runner empties every table
# with TRUNCATE after each transactional test (docs/decisions/0007). Only the tests say so.
DATABASES["default"]["OPTIONS"]["options"] += " -c shortbreaks.allow_truncate=on"  # noqa: F405

# Each test process (pytest-xdist's gw0, gw1, ...) and the workers it starts get a Redis database
# of their own, so one process's worker never takes another's task (their databases differ).
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw"):  # noqa: F405
    _REDIS_DB = 1 + int(_XDIST_WORKER[2:])
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = re.sub(  # noqa: F405
        r"/\d*$",
        f"/{_REDIS_DB}",
        REDIS_URL.rstrip("/"),  # noqa: F405
    )
