"""The service navigation: each item shows only to people whose role may use it.

Each entry names the same permission its view checks, so a link never leads to a refusal.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    description: str


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(
        "Home",
        "home",
        "councils.use_service",
        "What you can do here, in your active council.",
    ),
    NavItem(
        "People and teams",
        "councils:people",
        "councils.view_team",
        "The council's organisations, teams and who holds which role.",
    ),
    NavItem(
        "Access log",
        "accesslog:list",
        "accesslog.view_accesslog",
        "Who viewed, changed, downloaded or was refused which record, and when.",
    ),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAVIGATION if user.has_perm(item.permission)]
