from __future__ import annotations

from decimal import Decimal

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.widgets import WalletExplorer

from .support import open_customer_wallet, successful_payin


def _row(explorer: WalletExplorer, wallet_id: str, currency: str) -> dict:
    return next(r for r in explorer.rows if r["wallet_id"] == wallet_id and r["currency"] == currency)


def test_lists_organisation_and_customer_wallets_with_balances_after_a_payin(sandbox: Sandbox,
                                                                            client: PayCombat) -> None:
    wallet_id = open_customer_wallet(client)
    explorer = WalletExplorer(client)
    assert _row(explorer, wallet_id, "AUD")["actual"] == Decimal("0.00")

    successful_payin(client, wallet_id, "100.00")  # 1% fee: 99.00 lands in the wallet
    explorer.refresh_button.click()

    categories = {row["category"] for row in explorer.rows}
    assert {"ORGANIZATION_PAYIN", "ORGANIZATION_PAYOUT", "ORGANIZATION_FEES", "CUSTOMER"} <= categories
    customer = _row(explorer, wallet_id, "AUD")
    assert customer["actual"] == customer["available"] == Decimal("99.00")
    assert customer["customer_id"] == client.wallets.retrieve(wallet_id).customer_id
    assert _row(explorer, wallet_id, "SGD")["actual"] == Decimal("0.00")
    for row in explorer.rows:  # every row agrees with the API's own view of the wallet
        account = client.wallets.retrieve(row["wallet_id"]).account(row["currency"])
        assert (row["actual"], row["available"]) == (account.actual_balance, account.available_balance)
    fees = sandbox.org_wallet_id("fees")
    assert _row(explorer, fees, "AUD")["actual"] == Decimal("1.00")
    assert _row(explorer, sandbox.org_wallet_id("payout"), "AUD")["available"] == Decimal("50000.00")
    assert ">99.00<" in explorer.table.value and ">50,000.00<" in explorer.table.value
    assert wallet_id not in explorer.table.value.replace(f"title='{wallet_id}'", "")  # shortened, full id as tooltip
    assert explorer.last_error is None


def test_picking_a_wallet_shows_its_recent_transactions_and_survives_refresh(client: PayCombat) -> None:
    wallet_id = open_customer_wallet(client)
    successful_payin(client, wallet_id, "50.00")
    explorer = WalletExplorer(client)
    assert wallet_id in [value for _, value in explorer.wallet_picker.options]
    assert explorer.transactions_html.value == "" and explorer.recent == []

    explorer.wallet_picker.value = wallet_id
    shown = explorer.transactions_grid.df
    assert list(shown["Type"]) == ["FEE", "PAYIN"]  # newest first: the fee was written after the payin
    assert list(shown["Amount"]) == ["0.50", "50.00"] and list(shown["Available after"]) == ["49.50", "50.00"]

    successful_payin(client, wallet_id, "20.00")
    explorer.refresh()
    assert explorer.wallet_picker.value == wallet_id
    assert "20.00" in set(explorer.transactions_grid.df["Amount"])


def test_recent_transactions_are_the_newest_ones(client: PayCombat) -> None:
    wallet_id = open_customer_wallet(client)
    for number in range(1, 13):  # 12 payins x (PAYIN + FEE) = 24 wallet entries: more than one page of 20
        successful_payin(client, wallet_id, f"{10 + number}.00")
    explorer = WalletExplorer(client)
    explorer.wallet_picker.value = wallet_id
    assert "The 20 most recent of 24" in explorer.transactions_html.value
    amounts = [t.amount for t in explorer.recent if t.type == "PAYIN"]
    assert amounts == [Decimal(f"{n}.00") for n in range(22, 12, -1)]  # newest first; the two oldest cut off


def test_api_errors_are_shown_as_a_readable_message(sandbox: Sandbox) -> None:
    with PayCombat("not-the-token", "not-the-key", sandbox.url, max_retries=0) as wrong:
        explorer = WalletExplorer(wrong)
    assert explorer.rows == []
    assert explorer.last_error is not None and "AuthenticationError" in explorer.last_error
    assert "Unauthenticated" in explorer.status.value and "Traceback" not in explorer.status.value
