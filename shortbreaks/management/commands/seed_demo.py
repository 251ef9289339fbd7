"""Loads the five demo councils of the seeds. Idempotent: running it again refreshes them."""

import os
from datetime import date

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from audits import demo as audits_demo
from audits.packs import services as pack_services
from bookings import demo as bookings_demo
from brokerage import demo as brokerage_demo
from contracts import demo as contracts_demo
from contracts.services import register as contract_services
from directpayments import demo as directpayments_demo
from outcomes import demo as outcomes_demo
from providers import demo as providers_demo
from referrals import demo as referrals_demo
from referrals.portal import demo as referrals_portal_demo
from shortbreaks import rls
from shortbreaks.councils import demo as councils_demo
from statements import demo as statements_demo

DEFAULT_DEMO_PASSWORD = "short-breaks-demo"  # noqa: S105 - a published demo password, by design

# Each app that has demo records adds its seeder here, in the order of the dependency arrow.
SEEDERS = [
    councils_demo.seed,
    providers_demo.seed,
    contracts_demo.seed,
    referrals_demo.seed,
    referrals_portal_demo.seed_parents,
    brokerage_demo.seed,
    referrals_portal_demo.seed_providers,
    bookings_demo.seed,
    outcomes_demo.seed,
    directpayments_demo.seed,
    audits_demo.seed,
    statements_demo.seed,
]


def run_daily_jobs(*, today: date) -> dict[str, int]:
    """What the daily beat tasks would have done by `today`, in their order of the day: the same
    services they call, called directly (no broker needed). The seed records history as it
    happened, so contracts that ended long ago come out of it active or extended until this runs.
    """
    return {
        "pack grants ended": pack_services.evidence_pack_grants_expire(today=today),
        "contracts expired": contract_services.contracts_expire(today=today),
        "expiry reminders sent": contract_services.contract_expiry_reminders_send(today=today),
    }


class Command(BaseCommand):
    help = "Create or refresh the demo councils, their teams and one login per role."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        # The demo is the system's own work across every council (shortbreaks.rls).
        with rls.all_councils(), transaction.atomic():
            logins = []
            for seeder in SEEDERS:
                logins.extend(seeder(password=password) or [])
            today = timezone.localdate()
            daily = run_daily_jobs(today=today)
        self.stdout.write(self.style.SUCCESS("Demo councils loaded. Sign in with:"))
        width = max(len(login) for login, _ in logins)
        for login, what in logins:
            self.stdout.write(f"  {login.ljust(width)}  {what}")
        shown = "the DEMO_PASSWORD you set" if os.environ.get("DEMO_PASSWORD") else password
        self.stdout.write(f"Password for every demo login: {shown}")
        done = ", ".join(f"{what}: {count}" for what, count in daily.items())
        self.stdout.write(f"Daily jobs run as on {today:%d/%m/%Y}: {done}.")
