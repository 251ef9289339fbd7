"""The Django admin lives at the path in ADMIN_URL (default "admin/"); moved, /admin/ is a 404."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

import shortbreaks.urls

ROOT = Path(__file__).resolve().parents[2]
MOVED = "back-office-7f3c/"


def _reload_urls() -> None:
    importlib.reload(shortbreaks.urls)
    clear_url_caches()


@pytest.fixture
def moved_admin(settings):
    original = settings.ADMIN_URL
    settings.ADMIN_URL = MOVED
    _reload_urls()
    yield "/" + MOVED
    settings.ADMIN_URL = original
    _reload_urls()


def _settings_with(admin_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shortbreaks.settings.test"}
    env["ADMIN_URL"] = admin_url
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "from django.urls import reverse; print(settings.ADMIN_URL, reverse('admin:index'))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db
def test_a_moved_admin_is_not_at_admin(moved_admin):
    assert Client().get("/admin/").status_code == 404
    assert Client().get("/admin/login/").status_code == 404


@pytest.mark.django_db
def test_a_moved_admin_is_at_its_path_behind_its_sign_in(moved_admin, client_for, two_councils):
    assert reverse("admin:index") == moved_admin
    response = Client().get(moved_admin)
    assert response.status_code == 302
    assert response["Location"].startswith(moved_admin + "login/")
    assert Client().get(moved_admin + "login/").status_code == 200
    # Council staff are not platform administrators: the admin sends them to its sign-in.
    staff = next(iter(two_councils["alpha"]["people"].values()))
    assert client_for(staff).get(moved_admin)["Location"].startswith(moved_admin + "login/")


def test_the_admin_path_is_read_from_the_environment():
    result = _settings_with("/staff-desk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["staff-desk/", "/staff-desk/"]


@pytest.mark.parametrize("bad", ["", "/", "../etc", "admin page/", "ädmin/"])
def test_an_unusable_admin_path_stops_the_settings_loading(bad):
    result = _settings_with(bad)
    assert result.returncode != 0
    assert "ADMIN_URL must be a path" in result.stderr
