"""The production shape: docker-compose.yml, .env.example and production settings agree.

No database needed: these read files, and load production settings in a subprocess.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
PRODUCTION_SETTINGS = ROOT / "shortbreaks" / "settings" / "production.py"
APP_SERVICES = ("web", "worker", "beat")
ENV_READERS = {"list", "db", "int", "bool", "email_url", "str", "url", "cache", "json", "float"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env_example_names() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        assert match, f".env.example: not KEY=value: {line!r}"
        names.append(match.group(1))
    return names


def required_production_env_vars() -> set[str]:
    """Names production.py reads with env(...)/env.list/env.db/... and no default."""
    tree = ast.parse(PRODUCTION_SETTINGS.read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = isinstance(func, ast.Name) and func.id == "env"
        is_reader = (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
            and func.attr in ENV_READERS
        )
        first = node.args[0]
        if (is_env or is_reader) and isinstance(first, ast.Constant):
            if not any(keyword.arg == "default" for keyword in node.keywords):
                names.add(first.value)
    return names


def major(image: str) -> int:
    tag = image.rpartition(":")[2]
    match = re.match(r"(\d+)", tag)
    assert match, f"{image}: pin a major version in the tag"
    return int(match.group(1))


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def test_compose_has_every_service(services):
    assert {"web", "worker", "beat", "db", "redis", "migrate"} <= set(services)


def test_compose_file_has_no_obsolete_version_key(compose):
    assert "version" not in compose


def test_app_services_share_one_image_and_one_env_file(services):
    images = {services[name].get("image") for name in APP_SERVICES}
    builds = {str(services[name].get("build")) for name in APP_SERVICES}
    env_files = {tuple(as_list(services[name].get("env_file"))) for name in APP_SERVICES}
    assert images == {"shortbreaks:latest"}
    assert builds == {"."}
    # A plain path: compose must stop if .env is missing, not start without secrets.
    assert env_files == {(".env",)}


def test_database_and_broker_versions(services):
    assert services["db"]["image"].startswith("postgres:")
    assert major(services["db"]["image"]) >= 15
    assert services["redis"]["image"].startswith("redis:")
    assert major(services["redis"]["image"]) == 7


def test_web_waits_for_migrations_and_redis(services):
    depends = services["web"]["depends_on"]
    assert depends["migrate"]["condition"] == "service_completed_successfully"
    assert depends["redis"]["condition"] == "service_healthy"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(as_list(services["web"]["healthcheck"]["test"]))


def test_env_example_names_every_required_production_variable():
    required = required_production_env_vars()
    # The parser must find the known ones, or it is not reading production.py.
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= required
    names = env_example_names()
    assert len(names) == len(set(names)), ".env.example names a variable twice"
    missing = required - set(names)
    assert not missing, f".env.example lacks {sorted(missing)}"
    assert {"DJANGO_SETTINGS_MODULE", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= set(
        names
    )


def test_env_example_selects_production_settings():
    assert "DJANGO_SETTINGS_MODULE=shortbreaks.settings.production" in (
        ENV_EXAMPLE.read_text().splitlines()
    )


def _setup_production(**overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="shortbreaks.settings.production",
        DJANGO_ALLOWED_HOSTS="shortbreaks.example.org",
        DATABASE_URL="postgres://unused@127.0.0.1:5432/unused",
        REDIS_URL="redis://localhost:6379/0",
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = _setup_production()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_load_with_every_required_variable():
    # The control for the test above: it fails for the missing key, not for something else.
    result = _setup_production(DJANGO_SECRET_KEY="test-only-" + "x" * 50)
    assert result.returncode == 0, result.stderr
