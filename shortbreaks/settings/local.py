"""Settings for `make run`: a person trying the product on their own machine."""

from shortbreaks.settings.base import *  # noqa: F403
from shortbreaks.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-only-key-never-used-in-production")
