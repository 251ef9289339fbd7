from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0001_outcome_surveys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="survey",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
                default="draft",
                max_length=10,
            ),
        ),
    ]
