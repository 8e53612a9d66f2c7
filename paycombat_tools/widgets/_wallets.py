"""``WalletExplorer``: every wallet with its per-currency actual/available balances, and a drill-down.

The table fits a narrow notebook (about 540 px: JupyterLab at 1000 px with the file browser open):
one column for the wallet (name, state, kind and a shortened id whose tooltip is the full id), then
currency and the two balances, which never wrap; the full ids and the customer id are in the
drill-down heading and in ``rows``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import ClientWidget, badge, escape, format_money, hint_html, labelled, table
from ._newest import NewestFirst
from ._theme import themed_root

if TYPE_CHECKING:
    from itables.widget import ITable

    from .._client import PayCombat
    from ..models.transactions import Transaction
    from ..models.wallets import Wallet, WalletAccount

#: How many ledger entries the drill-down shows for the chosen wallet.
RECENT_TRANSACTIONS = 20
#: Wallet categories as a person says them.
CATEGORY_NAMES = {"ORGANIZATION_PAYIN": "Payin (yours)", "ORGANIZATION_PAYOUT": "Payout (yours)",
                  "ORGANIZATION_FEES": "Fees (yours)", "CUSTOMER": "Customer"}
#: The drill-down's columns: Transaction field -> heading.
RECENT_COLUMNS = {"created_at": "When (UTC)", "type": "Type", "direction": "Direction", "amount": "Amount",
                  "currency": "Currency", "balance_type": "Balance", "running_balance_available": "Available after",
                  "running_balance_actual": "Actual after", "description": "Description"}


class WalletExplorer(ClientWidget):
    """A table of wallets (organisation and customer) with balances; pick one to see its recent ledger."""

    def __init__(self, client: "PayCombat") -> None:
        super().__init__(client)
        self.wallets: list["Wallet"] = []
        self.rows: list[dict[str, Any]] = []
        #: The ledger entries the drill-down shows, newest first.
        self.recent: list["Transaction"] = []
        self.table = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read the wallets and balances again")
        self.wallet_picker = widgets.Dropdown(**labelled("Wallet", options=[("— choose a wallet —", None)]),
                                              layout=widgets.Layout(width="98%"))
        self.transactions_html = widgets.HTML()
        self.transactions_grid: "ITable | None" = None
        self.grid_box = widgets.VBox(layout=widgets.Layout(width="100%", min_width="0"))
        self._pages = NewestFirst(client)
        self._on_click(self.refresh_button, self.refresh)
        self.wallet_picker.observe(self._picked, names="value")
        self.widget = themed_root([
            widgets.HTML("<div class='pct-title'>Wallets</div>"), self.refresh_button, self.table, self.status,
            self.wallet_picker, self.transactions_html, self.grid_box,
        ], name="wallets")
        self.refresh()

    # -- actions --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read every wallet again (all pages) and redraw the table; the picked wallet stays picked."""
        with self._action("Reading wallets"):
            wallets = list(self._client.wallets.list(limit=100))
            self.wallets = wallets
            self.rows = [
                {"wallet_id": wallet.wallet_id, "category": wallet.category, "customer_id": wallet.customer_id,
                 "currency": account.currency, "actual": account.actual_balance,
                 "available": account.available_balance}
                for wallet in wallets for account in wallet.wallet_account
            ]
            self.table.value = self._table_html()
            self._ok(f"{len(wallets)} wallets, {len(self.rows)} currency accounts. "
                     "Choose one below to see its latest ledger entries.")
        self._set_picker_options()

    def show_transactions(self, wallet_id: str | None) -> None:
        """Show the most recent ledger entries of one wallet, newest first."""
        if not wallet_id:
            self.recent = []
            self.transactions_html.value = ""
            self.grid_box.children = []
            return
        with self._action("Reading transactions"):
            page, items = self._pages.page({"wallet_id": wallet_id}, 1, RECENT_TRANSACTIONS)
            self.recent = items
            wallet = next((w for w in self.wallets if w.wallet_id == wallet_id), None)
            total = f" of {page.total}" if page.total is not None else ""
            owner = f" · customer {wallet.customer_id}" if wallet is not None and wallet.customer_id else ""
            name = escape(_name(wallet) if wallet else wallet_id)
            heading = (f"The {len(items)} most recent{escape(total)} ledger entries of {name}, newest first"
                       if items else f"No ledger entries yet for {name}")
            self.transactions_html.value = (f"<div class='pct-section'>{heading}</div>"
                                            f"<div>{hint_html(wallet_id + owner)}</div>")
            self._draw_grid(items)

    # -- drawing --------------------------------------------------------------------------------------

    def _draw_grid(self, items: list["Transaction"]) -> None:
        from ..analysis import to_dataframe
        from ._grid import data_grid, update_grid

        frame = to_dataframe(items)
        if self.transactions_grid is None:
            self.transactions_grid = data_grid(frame, columns=RECENT_COLUMNS, paging=False)
        else:
            update_grid(self.transactions_grid, frame, RECENT_COLUMNS)
        self.grid_box.children = [self.transactions_grid] if items else [
            widgets.HTML("<p class='pct-hint'>No transactions yet.</p>")]

    def _table_html(self) -> str:
        rows = []
        for wallet in self.wallets:
            accounts: list[WalletAccount | None] = [*wallet.wallet_account] or [None]
            for index, account in enumerate(accounts):
                first = index == 0
                rows.append([
                    f"<b>{escape(_name(wallet))}</b> {badge('ACTIVE' if wallet.is_active is not False else 'INACTIVE')}"
                    f"<br>{hint_html(_kind(wallet) + ' · ')}<span class='pct-hint' title='{escape(wallet.wallet_id)}'>"
                    f"{escape(_short(wallet.wallet_id))}</span>" if first else "",
                    escape(account.currency) if account else "",
                    escape(_amount(account.actual_balance, account.currency)) if account else "",
                    escape(_amount(account.available_balance, account.currency)) if account else "",
                ])
        return table(["Wallet", "Currency", "Actual", "Available"], rows,
                     numeric=frozenset({2, 3}), empty="No wallets yet.")

    def _set_picker_options(self) -> None:
        current = self.wallet_picker.value
        options: list[tuple[str, str | None]] = [("— choose a wallet —", None)]
        options += [(f"{_name(w)} · {_kind(w)} · {_short(w.wallet_id)}", w.wallet_id) for w in self.wallets]
        self.wallet_picker.unobserve(self._picked, names="value")
        try:
            self.wallet_picker.options = options
            self.wallet_picker.value = current if any(value == current for _, value in options) else None
        finally:
            self.wallet_picker.observe(self._picked, names="value")
        self.show_transactions(self.wallet_picker.value)

    def _picked(self, change: dict[str, Any]) -> None:
        self.show_transactions(change["new"])


def _amount(amount: Any, currency: str | None) -> str:
    """The amount in the currency's minor unit, without the currency (it has its own column)."""
    return format_money(amount, currency).removesuffix(f" {currency}")


def _kind(wallet: "Wallet") -> str:
    return CATEGORY_NAMES.get(wallet.category or "", wallet.category or "")


def _name(wallet: "Wallet") -> str:
    return wallet.description or wallet.wallet_alias or wallet.wallet_id


def _short(identifier: str | None) -> str:
    """``wallet_3f2a…9c1d``: enough to tell ids apart at a glance (the full id is the tooltip)."""
    text = identifier or ""
    prefix, _, rest = text.rpartition("_")
    return f"{prefix}_{rest[:4]}…{rest[-4:]}" if len(rest) > 12 else text
