import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_outcome_surveys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="survey",
            name="status",
            field=django_fsm.FSMField(
                choices=[("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
                default="draft",
                max_length=10,
            ),
        ),
    ]
