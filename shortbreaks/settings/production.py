"""Production settings: every secret from the environment, no defaults."""

from shortbreaks.db_pool import pool_settings
from shortbreaks.settings.base import *  # noqa: F403
from shortbreaks.settings.base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
env("DATABASE_URL")  # required, no default: base.py reads it into DATABASES
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
# The web processes share a pool of connections among their threads (shortbreaks/db_pool.py, which
# says how each comes back clean); gunicorn's config switches it on for its workers. Celery's
# workers are forked from a parent, with which a pool would share its sockets: they keep one
# persistent connection each (CONN_MAX_AGE above).
if env.bool("DATABASE_POOL", default=False):
    DATABASES["default"] = pool_settings(  # noqa: F405
        DATABASES["default"],  # noqa: F405
        min_size=env.int("DATABASE_POOL_MIN_SIZE", default=2),
        max_size=env.int("DATABASE_POOL_MAX_SIZE", default=4),
    )
REDIS_URL = env("REDIS_URL")
# The ocid prefix registered with the Open Contracting Partnership; no default (see base.py).
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# EMAIL_URL decides the backend and the server (smtp://, smtp+tls://, consolemail://).
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_URL)
