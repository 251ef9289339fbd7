"""Steps the journeys share."""

from __future__ import annotations


def click_and_load(locator) -> None:
    """Click a link or button that leads to another page, and wait until that page has loaded.

    Playwright's click returns once the click is made, not once the page it leads to is there: a
    check straight after it (axe, or a read that does not retry) could read the page before."""
    with locator.page.expect_navigation():
        locator.click()
