import django.core.serializers.json
from django.db import migrations, models


def _every_council(schema_editor):
    """Row-level security binds the tables' owner too (it is forced): this is work across every
    council."""
    from shortbreaks import rls

    return rls.all_councils(schema_editor.connection.alias)


def keep_sentences(apps, schema_editor):
    """Rows written before kinds were typed keep their sentence as params["text"], shown as it
    was."""
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE bookings_bookingevent SET params = jsonb_build_object('text', summary)"
        )


def sentences_back(apps, schema_editor):
    with _every_council(schema_editor):
        schema_editor.execute(
            "UPDATE bookings_bookingevent SET summary = COALESCE(params->>'text', '')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_block_places"),
    ]

    operations = [
        migrations.AddField(
            model_name="bookingevent",
            name="params",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
        migrations.RunPython(keep_sentences, sentences_back),
        migrations.RemoveField(
            model_name="bookingevent",
            name="summary",
        ),
        migrations.AlterField(
            model_name="booking",
            name="status",
            field=models.CharField(
                choices=[
                    ("booked", "Booked"),
                    ("cancelled", "Cancelled"),
                    ("delivered", "Delivered"),
                ],
                default="booked",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="bookingevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("places", "Places set"),
                    ("places_changed", "Places changed"),
                    ("booked", "Booked"),
                    ("cancelled", "Cancelled"),
                    ("delivered", "Delivered"),
                    ("waiting", "Waiting"),
                    ("offered", "Offered a place"),
                    ("offer_taken", "Offer taken"),
                    ("withdrawn", "Withdrawn"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="waitinglistentry",
            name="status",
            field=models.CharField(
                choices=[
                    ("waiting", "Waiting"),
                    ("offered", "Offered a place"),
                    ("booked", "Booked"),
                    ("withdrawn", "Withdrawn"),
                ],
                default="waiting",
                max_length=10,
            ),
        ),
    ]
