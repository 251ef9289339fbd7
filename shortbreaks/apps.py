from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ShortbreaksConfig(AppConfig):
    name = "shortbreaks"
    verbose_name = "Short breaks"

    def ready(self):
        from shortbreaks import checks  # noqa: F401 - registers the deploy check

        post_migrate.connect(_lock_tables)


def _lock_tables(sender, using="default", plan=None, **kwargs):
    """After every `migrate` (not `flush`, which sends the same signal with no plan), lock each
    council-owned table and grant the application's role: new tables are locked as they come."""
    # The signal comes once per app with models; once is enough, when all have migrated.
    if plan is None or sender.name != "shortbreaks.councils":
        return
    from shortbreaks import rls

    rls.apply(using=using)
