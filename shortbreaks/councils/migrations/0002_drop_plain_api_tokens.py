"""API tokens were DRF authtoken rows: kept in plain text and never expiring. They are replaced by
django-rest-knox's digests (shortbreaks.councils.authentication); drop the old table, so no token
that once worked stays readable in the database, and forget its migrations."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
