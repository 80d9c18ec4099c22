"""A real headless Chromium (Debian's) driven by Playwright, against `objweb serve`.

Each test gets a fresh instance home with a site whose Manager is `admin`, a
running `objweb serve` on a free port, and a browser page. A test that fails
leaves a screenshot in `test-artifacts/`.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from support import ADMIN, ADMIN_PASSWORD, ServeProcess, run_objweb

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium keeps calling home over a network that refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash_report = report


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def site_home(tmp_path):
    """An instance home whose site has the Manager `admin`."""
    result = run_objweb(["adduser", ADMIN, ADMIN_PASSWORD, "--role", "Manager"], tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


@pytest.fixture
def server(site_home):
    """`objweb serve` over the instance home, stopped by pid afterwards."""
    process = ServeProcess(site_home)
    yield process
    process.stop()


# Reports every Content-Security-Policy violation of every document to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.violatedDirective} ${event.blockedURI} at ${event.documentURI}`);
});
"""


def watch_csp(context) -> list[str]:
    """Return the list every CSP violation in `context`'s pages is added to."""
    violations: list[str] = []

    def report(text: str) -> None:
        violations.append(text)
    context.expose_function("reportCspViolation", report)
    context.add_init_script(REPORT_VIOLATIONS)
    return violations


@pytest.fixture
def page(browser, request):
    """A page in a fresh browser context; screenshots itself if the test fails.

    `page.csp_violations` lists what the pages' security policies blocked; a
    test ends with none (the management screens must work under their policy).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    violations = watch_csp(context)
    new_page = context.new_page()
    new_page.csp_violations = violations
    yield new_page
    report = getattr(request.node, "stash_report", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        new_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert violations == [], "the pages' security policy blocked something"
