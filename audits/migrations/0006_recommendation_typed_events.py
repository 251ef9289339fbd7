"""A recommendation's history events keep what happened as `params`, and the history shows the
sentence their kind declares (shortbreaks.events.TypedEvent). Rows written before keep what the
history showed for them as `params["text"]`.
"""

import django.core.serializers.json
from django.db import migrations, models

STATUS_LABELS = {"open": "Open", "in_progress": "In progress", "complete": "Complete"}
KIND_LABELS = {
    "recorded": "Recorded",
    "status": "Status changed",
    "action": "Management action changed",
    "details": "Details changed",
    "evidence_added": "Evidence added",
    "evidence_removed": "Evidence removed",
}


def keep_what_was_shown(apps, schema_editor):
    from shortbreaks import rls

    RecommendationEvent = apps.get_model("audits", "RecommendationEvent")
    with rls.all_councils(schema_editor.connection.alias):
        for event in RecommendationEvent.objects.filter(params={}).iterator():
            if event.kind == "status":
                text = (
                    f"{STATUS_LABELS.get(event.from_status, '')} to "
                    f"{STATUS_LABELS.get(event.to_status, '').lower()}"
                )
            else:
                text = KIND_LABELS.get(event.kind, event.kind)
            event.params = {"text": text}
            event.save(update_fields=["params"])


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0005_records_as_they_stood'),
    ]

    operations = [
        migrations.AddField(
            model_name='recommendationevent',
            name='params',
            field=models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder),
        ),
        migrations.RunPython(keep_what_was_shown, migrations.RunPython.noop),
    ]
