"""The OCDS export of a council with nothing in its register. (The export of a register with
records in it is in test_ocds_export.py, whose records are built once for that module.)"""

from __future__ import annotations

import pytest

from shortbreaks.councils.models import Role
from tests.clock import frozen_today  # noqa: F401
from tests.contracts.test_ocds_export import URL

pytestmark = pytest.mark.usefixtures("frozen_today")


def test_an_empty_register_answers_an_empty_package(two_councils, client_for):
    response = client_for(two_councils["alpha"]["people"][Role.AUDITOR]).get(URL)
    assert response.status_code == 200
    assert response.json()["releases"] == []
