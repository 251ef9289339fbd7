"""The demo's provider staff: one login per council, acting for one of its block or DPS providers,
with a KPI return to submit, who sign in to their own home page and see no staff page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from contracts.models import ContractKind, KPIReturnStatus, MonitoringRecord
from providers.selectors import provider_for
from referrals.portal.selectors import supported_children
from shortbreaks.councils.models import Role, User
from tests.clock import frozen_today_module  # noqa: F401

# The seed counts dates back from today: it runs on the frozen day, as the tests read it.
pytestmark = pytest.mark.usefixtures("frozen_today_module")

COUNCILS = ("shropshire", "warwickshire", "medway", "herefordshire", "birmingham")
DEMO_PASSWORD = "a-test-demo-password"  # tests.conftest.demo_seeded sets it


@pytest.fixture
def seeded(frozen_today_module, demo_seeded, db):  # noqa: F811
    return demo_seeded


@pytest.mark.parametrize("slug", COUNCILS)
def test_each_council_has_a_provider_login_with_a_return_to_submit(seeded, slug):
    user = User.objects.get(username=f"provider@{slug}.example")
    assert user.check_password(DEMO_PASSWORD)
    assert user.active_council.slug == slug
    assert user.active_roles == {Role.PROVIDER}
    provider = provider_for(user)
    assert provider is not None and provider.council.slug == slug
    assert provider.awards.filter(
        lot__contract__kind__in=(
            ContractKind.BLOCK,
            ContractKind.DPS_CALL_OFF,
            ContractKind.LEAD_PROVIDER,
            ContractKind.SLA,
        )
    ).exists()
    assert MonitoringRecord.objects.filter(
        provider=provider, kpi_status=KPIReturnStatus.DUE
    ).exists()
    assert f"provider@{slug}.example" in seeded


def test_the_demo_providers_support_some_children_and_sign_in_to_their_own_home(seeded):
    supported = {
        slug: supported_children(actor=User.objects.get(username=f"provider@{slug}.example"))
        for slug in COUNCILS
    }
    assert any(children.exists() for children in supported.values())
    client = Client()
    client.force_login(User.objects.get(username="provider@shropshire.example"))
    assert client.get(reverse("home")).url == reverse("provider:home")
    home = client.get(reverse("provider:home"))
    assert home.status_code == 200
    assert "KPI return" in home.content.decode()
    assert client.get(reverse("referrals:children")).status_code == 403
    assert client.get(reverse("contracts:list")).status_code == 403
