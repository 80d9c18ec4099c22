"""A Manager finds the incident a 500 page named in the Control panel, in headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from objweb import Script
from test_zmi_browser import Manager, populate  # noqa: F401 (a fixture)
from support import ServeProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def manager(page, site_home, populate, request):  # noqa: F811 (the fixture imported)
    populate(lambda root: root.add("broken", Script(title="Broken", body="return 1 / 0")))
    server = ServeProcess(site_home)
    request.addfinalizer(server.stop)
    user = Manager(page, server, site_home)
    user.log_in()
    return user


def test_the_incident_of_a_500_page_is_found_by_its_id_with_its_traceback(manager):
    page = manager.page
    manager.go("/broken")
    shown = page.locator("main").inner_text()
    incident = re.search(r"incident ([0-9a-f]{12})", shown).group(1)
    assert "Traceback" not in page.content()
    manager.go("/manage_control")
    page.fill("#incident-id", incident)
    page.keyboard.press("Enter")
    found = page.locator(f"#incident-{incident}")
    expect(found).to_have_attribute("open", "open")
    expect(found.locator("summary")).to_contain_text("GET /broken")
    expect(found.locator("pre.traceback")).to_contain_text("ZeroDivisionError")
    expect(page.locator("#slowest tbody tr", has_text="GET /broken")).to_contain_text("500")


def test_an_incident_opens_and_closes_from_the_keyboard(manager):
    page = manager.page
    manager.go("/broken")
    manager.go("/manage_control")
    summary = page.locator("#incidents details summary").first
    summary.focus()
    expect(page.locator("#incidents pre.traceback").first).not_to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#incidents pre.traceback").first).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#incidents pre.traceback").first).not_to_be_visible()
