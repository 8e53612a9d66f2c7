"""What every widget promises: a root container, display hooks, readable errors, and no secrets shown."""

from __future__ import annotations

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
