"""Settings for `make run`: the product as a council runs it, on one machine. DEBUG is off (the
product's own error pages); `DEBUG=1 make run` turns it on for developers."""

from shortbreaks.settings.base import *  # noqa: F403
from shortbreaks.settings.base import env

DEBUG = env.bool("DEBUG", default=env.bool("DJANGO_DEBUG", default=False))
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-never-used-in-production")
# Static files straight from the build folder (no collectstatic step), through WhiteNoise as in
# production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
