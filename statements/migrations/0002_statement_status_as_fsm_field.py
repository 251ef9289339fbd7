"""The version's status becomes a django-fsm-2 field: its changes are declared on the model."""

import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statementversion",
            name="status",
            field=django_fsm.FSMField(
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
