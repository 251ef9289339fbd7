"""The version's status becomes a django-fsm-2 field: its changes are declared on the model."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statementversion",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("consultation", "Out for consultation"),
                    ("published", "Published"),
                    ("superseded", "Superseded"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
    ]
