"""Statistics on (council, keyworker) for the children table.

A child's keyworker works for the child's council, but PostgreSQL takes the two columns as
independent: for "the children of these workers in this council" it multiplied the two
selectivities and expected a 150th of the children there are (91 for the big council's team of
3,000 at national size), and so looked up each child's referrals, assessments, packages and
grants one by one rather than reading the council's overdue items from their indexes. With the
functional dependency recorded, the estimate follows the data (`make bench`: the team's overdue
count 82 ms to 20 ms). ANALYZE fills the statistics at once; autovacuum keeps them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0015_overnight_counts")]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE STATISTICS IF NOT EXISTS referrals_child_council_keyworker "
                "(dependencies, ndistinct) ON council_id, keyworker_id FROM referrals_child",
                "ANALYZE referrals_child",
            ],
            reverse_sql="DROP STATISTICS IF EXISTS referrals_child_council_keyworker",
        )
    ]
