"""Every tutorial widget, as a new developer meets it: JupyterLab in Chromium, Run All, then use it.

For each tutorial with widgets the notebook is opened at 1000 px with the file browser open, run with
Run All, and then: no cell raised, every widget view is on show (and the "run this cell again" note
above it is hidden), it answers clicks, it fits the panel, and axe-core's colour-contrast and label rules
pass on it in the light, the dark and the high-contrast theme. Screenshots of each widget in each theme go to
``test-artifacts/<widget>-<theme>.png``. 07 is followed the way its text says (approve in the panel,
then run the next cells); 06's TransactionBrowser is driven through its filters, pages and Export;
02 is saved and reopened without its kernel to check the note that replaces the widget.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .lab import (
    ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, NOTEBOOKS, UI_TIMEOUT_MS, VIEWPORT, JupyterLab, axe_violations, command,
    describe_violations, error_outputs, open_notebook, require_browser, run_all, running_lab, select_cell_containing,
    set_theme, wait_until_cells_ran,
)

require_browser()

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterLab]:
    scratch = tmp_path_factory.mktemp("lab")
    root = scratch / "notebooks"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.csv", "*.pdf"))
    with running_lab(root, scratch) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, lab: JupyterLab, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    expect.set_options(timeout=UI_TIMEOUT_MS)
    try:
        yield page
    finally:
        if getattr(request.node, "rep_failed", False):
            page.screenshot(path=str(ARTIFACTS / f"failure-{request.node.name}.png"), full_page=True)
            print(lab.log())
        context.close()


# -- what every widget must do ----------------------------------------------------------------------


def widget(page: Page, name: str) -> Any:
    """The root of the one live ``pct-<name>`` widget in the notebook on show."""
    root = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) .pct-{name}")
    expect(root).to_have_count(1)
    expect(root).to_be_visible()
    return root


def check_alive_after_run_all(page: Page, name: str) -> Any:
    assert not error_outputs(page), error_outputs(page)
    root = widget(page, name)
    note = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .pct-rerun-note")
    assert note.count() >= 1
    for index in range(note.count()):
        expect(note.nth(index)).to_be_hidden()  # the widget is alive: no "run this cell again"
    return root


def check_fits_the_panel(page: Page, root: Any) -> None:
    """Nothing of the widget is cut off or scrolled: it fits the notebook at 1000 px with the file browser open."""
    overflow = root.evaluate("""root => {
        const limit = root.closest('.jp-OutputArea-output').getBoundingClientRect().right + 1;
        return [...root.querySelectorAll('*')]
            .filter(e => e.offsetParent !== null && !e.closest('.dt-scroll, .pct-scroll, details:not([open])'))
            .filter(e => e.getBoundingClientRect().right > limit)
            .map(e => e.className + ' ' + (e.textContent || '').slice(0, 40));
    }""")
    assert not overflow, f"sticks out of the panel: {overflow[:5]}"


def check_themes(page: Page, root: Any, name: str) -> None:
    """Screenshots and axe-core in light, dark and high contrast; the theme goes back to light afterwards."""
    problems = []
    for theme in ("light", "dark", "high-contrast"):
        set_theme(page, theme)
        root.scroll_into_view_if_needed()
        root.screenshot(path=str(ARTIFACTS / f"{name}-{theme}.png"))
        violations = axe_violations(page, f".jp-NotebookPanel:not(.lm-mod-hidden) .pct-{name}")
        if violations:
            problems.append(f"[{theme}]\n{describe_violations(violations)}")
    set_theme(page, "light")
    assert not problems, f"axe-core on {name}:\n" + "\n".join(problems)


def status_of(root: Any) -> Any:
    return root.locator(".pct-msg").first


# -- the tutorials ----------------------------------------------------------------------------------


def test_02_wallet_explorer(page: Page, lab: JupyterLab) -> None:
    open_notebook(page, lab, "02_wallets_and_customers.ipynb")
    run_all(page)
    root = check_alive_after_run_all(page, "wallets")
    expect(root.locator("table.pct-table")).to_contain_text("Noah's seller wallet")

    picker = root.get_by_label("Wallet")
    noah = picker.evaluate("s => [...s.options].findIndex(o => o.text.replace(/\\s/g, ' ').includes(\"Noah's seller wallet\"))")
    picker.select_option(index=noah)
    expect(root.locator(".pct-section")).to_contain_text("ledger entries of Noah's seller wallet, newest first")
    expect(root.locator("table.dataTable tbody tr").first).to_be_visible()
    root.get_by_role("button", name="Refresh").click()
    expect(status_of(root)).to_contain_text("wallets,")
    expect(picker).not_to_have_value("")  # the picked wallet stays picked
    expect(root.locator("table.dataTable tbody tr").first).to_be_visible()
    check_fits_the_panel(page, root)
    check_themes(page, root, "wallets")

    # a saved notebook reopened without its kernel: a clear note instead of a bare "model not found"
    command(page, "docmanager:save")
    page.wait_for_timeout(500)
    command(page, "kernelmenu:shutdown")
    page.reload()
    expect(page.locator(".jp-NotebookPanel")).to_be_visible()
    note = page.locator(".pct-rerun-note").first
    expect(note).to_be_visible()
    expect(note).to_contain_text("run this cell again")
    expect(page.locator(".pct-wallets")).to_have_count(0)


def test_03_checkout_form(page: Page, lab: JupyterLab) -> None:
    open_notebook(page, lab, "03_checkout_and_payins.ipynb")
    run_all(page)
    root = check_alive_after_run_all(page, "checkout")
    expect(status_of(root)).to_contain_text("Cancelled")  # the tutorial's last request, cancelled from code

    root.get_by_label("Amount *").fill("7.50")
    root.get_by_label("Description").fill("Browser order")
    root.get_by_role("button", name="Create payment request").click()
    expect(status_of(root)).to_contain_text("Created: 7.50 AUD")
    expect(root.get_by_role("link", name="Open the checkout page")).to_be_visible()
    check_fits_the_panel(page, root)
    check_themes(page, root, "checkout")
    root.get_by_role("button", name="Cancel payment request").click()
    expect(status_of(root)).to_contain_text("Cancelled: the link no longer takes payments")


def test_04_payout_form(page: Page, lab: JupyterLab) -> None:
    open_notebook(page, lab, "04_payouts.ipynb")
    run_all(page)
    root = check_alive_after_run_all(page, "payout")
    expect(root).to_contain_text("Bank State Branch number *")  # labels from the field descriptions
    expect(root).to_contain_text("SUCCESS")

    root.get_by_label("Amount *").fill("12.00")
    expect(root).to_contain_text("The form changed after the quote")
    root.get_by_label("Bank State Branch number *").fill("")
    root.get_by_role("button", name="Quote").click()
    expect(root.locator(".pct-field-error").first).to_contain_text("required")  # marked after Quote
    root.get_by_label("Bank State Branch number *").fill("062-000")
    root.get_by_role("button", name="Quote").click()
    expect(root).to_contain_text("Quote — nothing has been sent yet")
    expect(root).to_contain_text("set by PayCombat when the payout is created")
    root.get_by_role("button", name="Confirm payout").click()
    expect(root).to_contain_text("Sent — this request created payout")
    expect(root).not_to_contain_text("nothing has been sent yet")
    expect(root).to_contain_text("Total debited")
    expect(root).to_contain_text("13.00 AUD")  # 12.00 + the 1.00 fee, once PayCombat has set it
    check_fits_the_panel(page, root)
    check_themes(page, root, "payout")


def rows_on_show(root: Any) -> int:
    return int(root.locator(".dt-scroll-body table.dataTable tbody tr").count())


def test_06_transaction_browser_filters_pages_and_export(page: Page, lab: JupyterLab) -> None:
    open_notebook(page, lab, "06_exploratory_analysis.ipynb")
    run_all(page)
    root = check_alive_after_run_all(page, "transactions")
    label = root.locator(".widget-html", has_text="newest first")
    expect(label).to_contain_text(re.compile(r"Page 1 of \d+"))
    for select in root.locator("select").all():  # every drop-down shows a choice, never a blank
        assert select.evaluate("s => s.selectedIndex >= 0 && s.options[s.selectedIndex].text.trim() !== ''")
    expect(root.get_by_label("Type", exact=True)).to_have_value(re.compile(".+"))

    root.get_by_role("button", name="Next").click()
    expect(label).to_contain_text("Page 2 of")
    root.get_by_label("Type", exact=True).select_option("FEE")  # a new filter: page 1 of the new selection, at once
    expect(label).to_contain_text("Page 1 of")
    expect(root.locator(".dt-scroll-body tbody")).not_to_contain_text("PAYOUT ")
    root.get_by_label("Rows per page").select_option("50")  # applies at once, no Search needed
    expect(root.locator(".dt-scroll-body table.dataTable tbody tr")).to_have_count(50)
    expect(root.get_by_role("button", name="Copy", exact=True)).to_be_visible()  # the grid's copy / CSV buttons
    expect(root.get_by_role("button", name="CSV", exact=True)).to_be_visible()
    total = int(re.search(r"· (\d+) transactions", label.inner_text()).group(1))

    root.get_by_role("button", name="Export CSV").click()
    download_link = root.get_by_role("link", name=re.compile("Download transactions-"))
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    saved = Path(download.value.path())
    with saved.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == total and {row["type"] for row in rows} == {"FEE"}
    check_fits_the_panel(page, root)
    check_themes(page, root, "transactions")

    # the ledger in a data grid, the rates as percentages and the rate chart: pictures to look at
    outputs = {"ledger-grid": "data_grid(frame", "success-rates": "analysis.percent_table(rates)",
               "success-rate-chart": "analysis.plot_success_rate(rates)"}
    for name, source in outputs.items():
        output = page.locator(".jp-CodeCell", has_text=source).locator(".jp-OutputArea")
        output.scroll_into_view_if_needed()
        output.screenshot(path=str(ARTIFACTS / f"{name}-light.png"))
    expect(page.locator(".jp-CodeCell", has_text="analysis.percent_table(rates)")).to_contain_text("%")
    grid = page.locator(".jp-CodeCell", has_text="data_grid(frame").locator(".itables_anywidget")
    expect(grid.get_by_role("button", name="Copy", exact=True)).to_be_visible()
    for theme in ("light", "dark"):
        set_theme(page, theme)
        violations = axe_violations(page, ".jp-NotebookPanel:not(.lm-mod-hidden) .itables_anywidget")
        assert not violations, f"[{theme}] the data grid:\n{describe_violations(violations)}"
    set_theme(page, "light")


def test_07_approve_in_the_panel_then_run_the_next_cell(page: Page, lab: JupyterLab) -> None:
    open_notebook(page, lab, "07_agent_tools.ipynb")
    stop = select_cell_containing(page, "Stop here and play.** Approve")
    command(page, "notebook:run-all-above")
    wait_until_cells_ran(page, last=stop - 1)
    root = check_alive_after_run_all(page, "approvals")
    expect(root).to_contain_text('Pay AUD 40.00 to "Grace Ho"')
    check_fits_the_panel(page, root)
    check_themes(page, root, "approvals")

    root.get_by_label("Approver *").fill("tester")
    root.get_by_role("button", name="Approve").click()  # as the text says
    expect(root).to_contain_text("Approved by tester and executed: payout")
    expect(root).to_contain_text("Nothing is waiting for approval")

    select_cell_containing(page, "Stop here and play.** Approve")
    command(page, "notebook:run-all-below")  # ... then the next cells
    wait_until_cells_ran(page)
    assert not error_outputs(page), error_outputs(page)
    answer = page.locator(".jp-Cell", has_text="waiting = any(").locator(".jp-OutputArea")
    expect(answer).to_contain_text("already decided in the panel")
    expect(answer).to_contain_text("approving again")
