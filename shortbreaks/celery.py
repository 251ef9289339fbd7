"""The Celery application. Tasks live in each app's tasks.py; the beat schedule in settings.

A task runs in the council scope it was sent from (shortbreaks.rls): the scope travels in the
message's headers and is set on the worker's connection for the task's run, then cleared. A task
sent with no scope (every beat task) sees no council's rows until it opens one.
"""

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

# DJANGO_SETTINGS_MODULE comes from whoever starts the process (the Procfile's runner, compose's
# env file, the tests): importing this package must not choose one, or `gunicorn
# shortbreaks.wsgi` would get these settings instead of the ones wsgi.py names.
app = Celery("shortbreaks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SCOPE_HEADER = "shortbreaks_scope"


@before_task_publish.connect
def _carry_scope(headers=None, **kwargs):
    from shortbreaks import rls

    if headers is not None and SCOPE_HEADER not in headers:
        headers[SCOPE_HEADER] = rls.current_if_connected()


@task_prerun.connect
def _enter_scope(task=None, **kwargs):
    """A task taken from the broker runs in the scope it carried (none, if sent with none). One
    run in-process (`apply()`) was never sent: it runs in its caller's scope."""
    from shortbreaks import rls

    carried = getattr(task.request, SCOPE_HEADER, None)
    if carried is None:
        return
    task.request.shortbreaks_previous_scope = rls.set_scope(
        {name: str(carried.get(name, "")) for name in rls.SETTINGS}
    )


@task_postrun.connect
def _leave_scope(task=None, **kwargs):
    from shortbreaks import rls

    previous = getattr(task.request, "shortbreaks_previous_scope", None)
    if previous is not None:
        rls.restore(previous)
