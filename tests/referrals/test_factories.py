"""The children's records factories make records that hold together: one council throughout,
the package on its own child's assessment, the line's provider the service's."""

from __future__ import annotations

import pytest

from referrals.models import AssessmentStatus, ChildEvent, PackageEvent
from tests.referrals.factories import AssessmentFactory, CarerFactory, PackageLineFactory

pytestmark = pytest.mark.django_db


def test_a_package_line_and_everything_under_it_share_one_council():
    line = PackageLineFactory()
    package = line.package
    councils = {
        line.council_id,
        package.council_id,
        package.child.council_id,
        package.assessment.council_id,
        line.service.council_id,
        line.provider.council_id,
    }
    assert len(councils) == 1
    assert package.assessment.child == package.child
    assert package.assessment.status == AssessmentStatus.COMPLETED
    assert line.provider == line.service.provider
    assert line.cost_per_week == 5 * line.unit_rate
    assert not ChildEvent.objects.exists() and not PackageEvent.objects.exists()


def test_a_carer_and_an_authorised_assessment_take_the_council_given():
    carer = CarerFactory()
    assessment = AssessmentFactory(council=carer.council, child=carer.child, authorised=True)
    assert carer.child.council == carer.council == assessment.council
    assert assessment.status == AssessmentStatus.AUTHORISED
    assert assessment.sections == dict.fromkeys(
        ("child_needs", "carer_needs", "regulation_3", "outcome"), True
    )
