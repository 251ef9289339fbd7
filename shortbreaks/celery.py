"""The Celery application. Tasks live in each app's tasks.py; the beat schedule in settings.

A task runs in the council scope it was sent from (shortbreaks.rls): the scope travels in the
message's headers and is set on the worker's connection for the task's run, then put back. A task
sent with no scope (every beat task) sees no council's rows until it opens one.
"""

from celery import Celery, Task
from celery.signals import before_task_publish

SCOPE_HEADER = "shortbreaks_scope"


class ScopedTask(Task):
    """Runs in the scope its message carried. The scope is set here, in the run itself, after
    Celery's Django fixup has closed or renewed the connection for the task (task_prerun), so it
    is set on the connection the task uses. Called in-process (`apply()`, or as a function), a
    task was never sent and runs in its caller's scope."""

    def __call__(self, *args, **kwargs):
        from shortbreaks import rls

        carried = getattr(self.request, SCOPE_HEADER, None)
        if carried is None:
            return super().__call__(*args, **kwargs)
        with rls.scope({name: str(carried.get(name, "")) for name in rls.SETTINGS}):
            return super().__call__(*args, **kwargs)


# DJANGO_SETTINGS_MODULE comes from whoever starts the process (the Procfile's runner, compose's
# env file, the tests): importing this package must not choose one, or `gunicorn
# shortbreaks.wsgi` would get these settings instead of the ones wsgi.py names.
app = Celery("shortbreaks", task_cls=ScopedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _carry_scope(headers=None, **kwargs):
    from shortbreaks import rls

    if headers is not None and SCOPE_HEADER not in headers:
        headers[SCOPE_HEADER] = rls.current_if_connected()
