"""Joint contracts by consent: the lead council's list of participating councils (a plain
many-to-many) becomes `ContractParticipation`, one row per invited council with its status
(invited, accepted, declined, withdrawn), who invited it and who answered, and when.

The councils already named on a contract took part before consent was asked for, so each is
carried over as accepted: it keeps reading the contract as it did. Nobody invited or answered for
them, so `invited_by` and `responded_by` are left empty and both dates are the time of this
migration. Going back keeps only the accepted rows.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): carrying the rows over is
    work across every council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def carry_over_as_accepted(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    ContractParticipation = apps.get_model("contracts", "ContractParticipation")
    named = Contract.participating_councils.through
    now = timezone.now()
    with _every_council(schema_editor):
        rows = named.objects.select_related("contract").order_by("contract_id", "council_id")
        ContractParticipation.objects.bulk_create(
            [
                ContractParticipation(
                    council_id=row.council_id,
                    contract_id=row.contract_id,
                    lead_council_id=row.contract.council_id,
                    contract_reference=row.contract.reference,
                    contract_title=row.contract.title,
                    status="accepted",
                    invited_at=now,
                    responded_at=now,
                )
                for row in rows
                if row.council_id != row.contract.council_id
            ]
        )


def keep_the_accepted(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    ContractParticipation = apps.get_model("contracts", "ContractParticipation")
    named = Contract.participating_councils.through
    with _every_council(schema_editor):
        named.objects.bulk_create(
            [
                named(contract_id=row.contract_id, council_id=row.council_id)
                for row in ContractParticipation.objects.filter(status="accepted")
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_trigram_search"),
        ("councils", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ContractParticipation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("contract_reference", models.CharField(max_length=60)),
                ("contract_title", models.CharField(max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("invited", "Invited"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="invited",
                        max_length=10,
                    ),
                ),
                ("invited_at", models.DateTimeField()),
                ("responded_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                (
                    "contract",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="contracts.contract",
                    ),
                ),
                (
                    "council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="%(class)s_set",
                        related_query_name="%(class)s",
                        to="councils.council",
                    ),
                ),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "lead_council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="councils.council",
                    ),
                ),
                (
                    "responded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["invited_at", "id"],
                "indexes": [
                    models.Index(fields=["council", "status"], name="participation_council_status")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("contract", "council"), name="contract_participation_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(carry_over_as_accepted, keep_the_accepted),
        migrations.RemoveField(model_name="contract", name="participating_councils"),
    ]
