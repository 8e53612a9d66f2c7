"""End to end in a real browser: JupyterLab + ipywidgets + the sandbox, driven by Playwright on Chromium.

Chromium opens a small notebook that builds a ``CheckoutForm``, runs all cells, waits for the widget
to render, clicks **Create payment request**, follows the checkout link to the sandbox's hosted page,
pays there, and checks that the widget's status turns SUCCESS. The form learns that the way it does
against the real API: from the PAYIN webhook (a ``WebhookListener`` in the kernel) and the payin it
names, never from the sandbox-only checkout status. The link it shows must not carry the merchant
token (``identifier=``). Screenshots go to ``test-artifacts/``. The server and browser: ``lab.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .lab import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, UI_TIMEOUT_MS, JupyterLab, require_browser, run_all, running_lab,
    write_notebook,
)

require_browser()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

CHECKOUT_NOTEBOOK_CELLS = [
    "from paycombat_tools import WebhookListener\n"
    "from paycombat_tools.sandbox import Sandbox\n"
    "from paycombat_tools.widgets import CheckoutForm\n"
    "\n"
    "sandbox = Sandbox(seed=11)\n"
    "client = sandbox.client()\n"
    "listener = WebhookListener(sandbox.signature_key)",
    "form = CheckoutForm(client, listener=listener)\n"
    "form.amount.value = '42.00'\n"
    "form.description.value = 'Browser test order'\n"
    "form",
]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[JupyterLab]:
    root = tmp_path / "notebooks"
    root.mkdir()
    write_notebook(root / "browser_checkout.ipynb", CHECKOUT_NOTEBOOK_CELLS)
    with running_lab(root, tmp_path) as server:
        yield server


def test_checkout_form_in_jupyterlab(lab: JupyterLab) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "jupyterlab-failure.png").unlink(missing_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(UI_TIMEOUT_MS)
            expect.set_options(timeout=UI_TIMEOUT_MS)
            try:
                page.goto(lab.notebook_url("browser_checkout.ipynb"))
                expect(page.locator(".jp-NotebookPanel")).to_be_visible()
                page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
                expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first).to_be_visible()

                run_all(page)
                create = page.get_by_role("button", name="Create payment request")
                expect(create).to_be_visible()               # the widget rendered from the kernel's state

                create.click()                               # a browser click -> the kernel creates it
                link = page.get_by_role("link", name="Open the checkout page")
                expect(link).to_be_visible()
                checkout_url = link.get_attribute("href") or ""
                assert "/checkout/" in checkout_url and "token=" in checkout_url, checkout_url
                assert "identifier" not in checkout_url.lower()  # the merchant token stays in the kernel
                expect(page.locator(".jp-OutputArea-output", has_text="Open the checkout page").last
                       ).not_to_contain_text("identifier")
                status = page.locator(".jp-OutputArea-output", has_text="Status:").last
                expect(status).to_contain_text("PENDING")
                expect(status).to_contain_text("waiting for the PAYIN webhook")

                payer = browser.new_page()                   # the payer opens the hosted page and pays
                payer.goto(checkout_url)
                expect(payer.locator("#status")).to_have_text("PENDING")
                payer.screenshot(path=str(ARTIFACTS / "checkout-page.png"))
                payer.locator("#pay").click()
                expect(payer.locator("#status")).to_have_text("COMPLETED")
                payer.close()

                expect(status).to_contain_text("SUCCESS")    # the PAYIN webhook reached the form
                expect(status).to_contain_text("from the payin")  # ... which then read the payin
                page.screenshot(path=str(ARTIFACTS / "jupyterlab.png"), full_page=True)
            except Exception:
                try:
                    page.screenshot(path=str(ARTIFACTS / "jupyterlab-failure.png"), full_page=True)
                finally:
                    print(lab.log())  # shown by pytest with the failure
                raise
        finally:
            browser.close()
