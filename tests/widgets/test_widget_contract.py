"""What every widget promises: a root container, display hooks, readable errors, and no secrets shown."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import ipywidgets
import pytest

from paycombat_tools import PayCombat, WebhookListener
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.widgets import CheckoutForm, PayoutForm, TransactionBrowser, WalletExplorer

from .support import open_customer_wallet, pay_on_hosted_page, shown_strings, successful_payin, walk

WIDGETS = (WalletExplorer, CheckoutForm, PayoutForm, TransactionBrowser)


def test_importing_the_package_loads_no_notebook_dependencies() -> None:
    code = ("import sys, paycombat_tools; "
            "heavy = [m for m in ('ipywidgets', 'pandas', 'matplotlib', 'tqdm') if m in sys.modules]; "
            "assert not heavy, heavy; "
            "import paycombat_tools.widgets; assert 'ipywidgets' not in sys.modules; "
            "from paycombat_tools.widgets import PayoutForm; assert 'ipywidgets' in sys.modules; "
            "assert 'pandas' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_every_widget_has_a_root_container_display_hooks_and_a_status_area(client: PayCombat,
                                                                           widget_class: Any) -> None:
    view = widget_class(client)
    try:
        assert isinstance(view.widget, ipywidgets.Box)
        assert isinstance(view.status, ipywidgets.HTML) and view.status in list(walk(view.widget))
        assert view.last_error is None
        bundle = view._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
        assert callable(view._ipython_display_)
    finally:
        view.close()


@pytest.mark.parametrize("widget_class", WIDGETS)
def test_unreachable_api_is_a_readable_message(widget_class: Any) -> None:
    with PayCombat("token", "key", "http://127.0.0.1:9", max_retries=0, timeout=2) as offline:
        view = widget_class(offline)
    assert view.last_error is not None and "NetworkError" in view.last_error
    assert "Traceback" not in view.status.value


def test_no_widget_shows_or_stores_the_token_or_signature_key(sandbox: Sandbox, client: PayCombat, tmp_path) -> None:
    secrets = (sandbox.token, sandbox.signature_key)
    wallet_id = open_customer_wallet(client)
    successful_payin(client, wallet_id)

    explorer = WalletExplorer(client)
    explorer.wallet_picker.value = wallet_id

    with WebhookListener(sandbox.signature_key) as listener:
        checkout = CheckoutForm(client, listener=listener, poll_interval=60)
        checkout.amount.value, checkout.currency.value = "12.00", "AUD"
        assert checkout.create() is not None
        pay_on_hosted_page(checkout.checkout_link)
        assert checkout.wait(10) == "SUCCESS"
        checkout.refresh_status()
        checkout.amount.value = "bad"
        checkout.create()  # an error message is on show too
        checkout.close()

    payout = PayoutForm(client)
    payout.fields["bsb"].value, payout.fields["account_number"].value = "062-000", "12345678"
    payout.fields["individual.first_name"].value, payout.amount.value = "Grace", "25"
    payout.quote()
    payout.confirm()
    payout.simulate()

    browser = TransactionBrowser(client)
    browser.export_csv(tmp_path / "all.csv")

    for view in (explorer, checkout, payout, browser):
        shown = shown_strings(view.widget)
        assert len(shown) > 10
        for text in shown:
            for secret in secrets:
                assert secret not in text, f"{type(view).__name__} shows a credential"
            assert "identifier=" not in text, f"{type(view).__name__} shows a checkout_url's identifier"
        stored = [value for name, value in vars(view).items() if name not in ("_client", "_listener")]
        assert not [value for value in stored if isinstance(value, str) and value in secrets]
        assert sandbox.token not in repr(view) and sandbox.token not in repr(view.widget)
    assert sandbox.token not in (tmp_path / "all.csv").read_text()


#: A colour written as a value (hex, rgb(), or a name) instead of a theme variable.
FIXED_COLOUR = re.compile(r"(?:color|background)\s*:\s*(?!var\(--jp-|none|inherit|transparent)(?:#|rgb|[a-z])", re.IGNORECASE)


def test_widget_colours_come_from_the_theme(sandbox: Sandbox, client: PayCombat, tmp_path) -> None:
    from paycombat_tools.widgets._theme import STYLESHEET

    wallet_id = open_customer_wallet(client)
    successful_payin(client, wallet_id)
    explorer = WalletExplorer(client)
    explorer.wallet_picker.value = wallet_id
    payout = PayoutForm(client)
    payout.amount.value = "25"
    payout.quote()  # errors next to the empty required fields
    payout.fields["bsb"].value, payout.fields["account_number"].value = "062-000", "12345678"
    payout.fields["individual.first_name"].value = "Grace"
    payout.quote()
    payout.confirm()
    browser = TransactionBrowser(client, export_dir=tmp_path)
    browser.export_csv()
    checkout = CheckoutForm(client, poll_interval=60)
    checkout.amount.value = "bad"
    checkout.create()  # an error message
    try:
        for view in (explorer, payout, browser, checkout):
            root = view.widget
            assert "pct" in root._dom_classes and root.children[0].value.startswith("<style>")
            html = [node.value for node in walk(root)
                    if isinstance(node, ipywidgets.HTML) and not node.value.startswith("<style>")]
            fixed = [text for text in html if FIXED_COLOUR.search(text)]
            assert not fixed, f"{type(view).__name__} sets a colour of its own: {fixed[:2]}"
            assert not [t for t in html if "<a " in t and "href" in t and "style=" in t.split("<a ")[1][:80]]
        assert not FIXED_COLOUR.search(STYLESHEET)  # the sheet uses --jp- variables
        assert ".pct a, .pct a:visited { color: var(--jp-content-link-color); text-decoration: underline; }" \
            in STYLESHEET
        for button in (payout.confirm_button, checkout.cancel_button):
            assert button.button_style == "" and "pct-danger-button" in button._dom_classes
    finally:
        checkout.close()


def test_a_widget_is_shown_after_a_note_that_only_a_missing_widget_leaves_visible() -> None:
    from paycombat_tools.widgets._theme import STYLESHEET, rerun_note

    note = rerun_note("PayoutForm")
    assert "pct-rerun-note" in note and "run this cell again" in note
    # hidden by the widget's own stylesheet when the widget renders right after it
    assert ".jp-OutputArea-child:has(+ .jp-OutputArea-child .pct) .pct-rerun-note { display: none; }" in STYLESHEET
