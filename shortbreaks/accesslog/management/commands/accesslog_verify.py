"""Check the access log's hash chains: `manage.py accesslog_verify [--council slug]`.

Prints each chain's length and head; for a broken chain, the first row where its links disagree
(row id, and what differs). Exits with status 1 when any chain is broken.
"""

from django.core.management.base import BaseCommand, CommandError

from shortbreaks import rls
from shortbreaks.accesslog import chain
from shortbreaks.councils.models import Council


class Command(BaseCommand):
    help = "Check the access log's hash chains; report the first broken link of each."
    # The log's integrity is checked whatever else the project's checks would say.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--council", metavar="SLUG", help="Check only this council's chain.")

    def handle(self, *args, council=None, **options):
        # The integrity check is the system's own: it reads every council's chain.
        with rls.all_councils():
            return self._verify(council)

    def _verify(self, council):
        only = None
        if council is not None:
            only = Council.objects.filter(slug=council).first()
            if only is None:
                raise CommandError(f"No council with the slug {council!r}.")
        broken = 0
        for result in chain.chains_verify(council=only):
            if result.broken is None:
                self.stdout.write(
                    f"{result.chain.label}: {result.rows} rows, unbroken; "
                    f"head seq {result.head_seq} hash {result.head_hash}"
                )
            else:
                broken += 1
                self.stdout.write(self.style.ERROR(str(result.broken)))
                self.stdout.write(
                    f"{result.chain.label}: {result.rows} rows checked before the break"
                )
        if broken:
            raise CommandError(f"{broken} chain(s) broken.", returncode=1)
