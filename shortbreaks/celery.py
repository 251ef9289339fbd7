"""The Celery application. Tasks live in each app's tasks.py; the beat schedule in settings."""

from celery import Celery

# DJANGO_SETTINGS_MODULE comes from whoever starts the process (the Procfile's runner, compose's
# env file, the tests): importing this package must not choose one, or `gunicorn
# shortbreaks.wsgi` would get these settings instead of the ones wsgi.py names.
app = Celery("shortbreaks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
