"""The audits app's Celery tasks, found by autodiscovery: each part of the app keeps its own
tasks beside its services (evidence packs in `audits.packs.tasks`)."""

from audits.packs.tasks import expire_pack_grants

__all__ = ["expire_pack_grants"]
