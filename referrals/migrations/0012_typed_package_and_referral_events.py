"""A package's history and a referral's changes become typed events. A package row keeps what
happened as structured params instead of a stored sentence; rows written before keep their
sentence as params["text"], shown as it was. A referral row keeps its statuses and reason in
their columns and gains the kind of change it was, found from the status it moved to."""

import django.core.serializers.json
from django.db import migrations, models


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def keep_sentences(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE referrals_packageevent SET params = jsonb_build_object('text', summary)"
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE referrals_packageevent SET summary = COALESCE(params->>'text', '')"
        )


def referral_kinds(apps, schema_editor):
    """The step that moves a referral to each status; a row that left the status as it was
    closed the children in need episode."""
    with _every_council(schema_editor):
        schema_editor.execute(
            """
            UPDATE referrals_referralevent e
               SET kind = CASE
                       WHEN e.from_status = e.to_status THEN 'closed'
                       WHEN e.to_status = 'screening' THEN 'screen'
                       WHEN e.to_status = 'accepted_for_assessment' THEN 'accept_for_assessment'
                       WHEN e.to_status = 'signposted_universal' THEN 'signpost_universal'
                       WHEN e.to_status = 'referred_targeted' THEN 'refer_targeted'
                       WHEN e.to_status = 'no_further_action' THEN 'no_further_action'
                       ELSE 'received'
                   END,
                   params = CASE
                       WHEN e.from_status = e.to_status
                           THEN jsonb_build_object('closure_reason', r.closure_reason)
                       WHEN e.to_status = 'received' AND e.from_status = ''
                           THEN jsonb_build_object('source', r.source)
                       ELSE '{}'::jsonb
                   END
              FROM referrals_referral r
             WHERE r.id = e.referral_id
            """
        )


def _params(model_name):
    return migrations.AddField(
        model_name=model_name,
        name="params",
        field=models.JSONField(
            blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0011_typed_child_record_events"),
    ]

    operations = [
        _params("packageevent"),
        migrations.AlterField(
            model_name="packageevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("line_added", "Service added"),
                    ("line_ended", "Service ended"),
                    ("panel", "Panel decision"),
                    ("started", "Support started"),
                    ("withdrawn", "Withdrawn"),
                    ("reviewed", "Reviewed"),
                    ("ceased", "Ceased at review"),
                    ("brokerage", "Brokerage"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        # Going back, the column comes back empty before `sentences_back` fills it.
        migrations.AlterField(
            model_name="packageevent", name="summary", field=models.TextField(default="")
        ),
        migrations.RemoveField(model_name="packageevent", name="summary"),
        _params("referralevent"),
        migrations.AddField(
            model_name="referralevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("received", "Received"),
                    ("screen", "Screening started"),
                    ("accept_for_assessment", "Accepted for assessment"),
                    ("signpost_universal", "Signposted to universal services"),
                    ("refer_targeted", "Referred to targeted services"),
                    ("no_further_action", "No further action"),
                    ("closed", "Children in need episode closed"),
                ],
                default="received",
                max_length=30,
            ),
            preserve_default=False,
        ),
        # Going back, the kind and params columns are dropped: the statuses stay as they were.
        migrations.RunPython(referral_kinds, migrations.RunPython.noop),
    ]
