"""One live grant application per child and scheme. A scheme is one council's for one financial
year, so this is one a year: a partial unique index on (child, scheme) over every application
that is not declined. A declined application does not count, so the family may apply again.

Applications already recorded twice or more for the same child and scheme are settled first:
the earliest live one (by date received, then by when it was recorded) is kept as it is. Each
later one is declined, with a reason naming the one kept and the decision dated today when it
had none; its amount stays as it was, a payment still awaited is stopped, and a payment already
made stays paid, for finance to recover. Going back drops the index and leaves those decisions
as they are.
"""

from django.db import migrations, models
from django.utils import timezone


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): settling duplicates is
    work across every council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def decline_later_duplicates(apps, schema_editor):
    GrantApplication = apps.get_model("referrals", "GrantApplication")
    today = timezone.localdate()
    with _every_council(schema_editor):
        live = (
            GrantApplication.objects.exclude(status="declined")
            .order_by("child_id", "scheme_id", "received_on", "created_at", "id")
            .only("id", "child_id", "scheme_id", "received_on", "decided_on", "payment_status")
        )
        kept: dict[tuple[int, int], object] = {}
        for application in live.iterator():
            key = (application.child_id, application.scheme_id)
            first = kept.setdefault(key, application)
            if first is application:
                continue
            application.status = "declined"
            application.decline_reason = (
                f"A second application on this scheme for this child: application {first.pk}, "
                f"received on {first.received_on:%-d %B %Y}, is the one kept."
            )
            application.decided_on = application.decided_on or today
            if application.payment_status == "awaiting_payment":
                application.payment_status = "stopped"
            application.save(
                update_fields=["status", "decline_reason", "decided_on", "payment_status"]
            )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_keyset_indexes")]

    operations = [
        migrations.RunPython(decline_later_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="grantapplication",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "declined"), _negated=True),
                fields=("child", "scheme"),
                name="grantapp_one_live_per_child_scheme",
            ),
        ),
    ]
