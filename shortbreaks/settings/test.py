"""Settings for the test suite: PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set."""

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
