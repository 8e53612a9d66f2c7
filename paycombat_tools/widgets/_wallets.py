"""``WalletExplorer``: every wallet with its per-currency actual/available balances, and a drill-down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ._common import INFO_STYLE, ClientWidget, badge, escape, format_money, labelled, table

if TYPE_CHECKING:
    from .._client import PayCombat
    from ..models.wallets import Wallet, WalletAccount

#: How many ledger entries the drill-down shows for the chosen wallet.
RECENT_TRANSACTIONS = 20


class WalletExplorer(ClientWidget):
    """A table of wallets (organisation and customer) with balances; pick one to see its recent ledger."""

    def __init__(self, client: "PayCombat") -> None:
        super().__init__(client)
        self.wallets: list["Wallet"] = []
        self.rows: list[dict[str, Any]] = []
        self.table = widgets.HTML()
        self.refresh_button = widgets.Button(description="Refresh", icon="refresh",
                                             tooltip="Read the wallets and balances again")
        self.wallet_picker = widgets.Dropdown(**labelled("Wallet", options=[("— choose a wallet —", None)]),
                                              layout=widgets.Layout(width="60%"))
        self.transactions_html = widgets.HTML()
        self._on_click(self.refresh_button, self.refresh)
        self.wallet_picker.observe(self._picked, names="value")
        self.widget = widgets.VBox([
            widgets.HTML("<b>Wallets</b>"), self.refresh_button, self.table, self.status,
            self.wallet_picker, self.transactions_html,
        ])
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
            self._ok(f"{len(wallets)} wallets, {len(self.rows)} currency accounts.")
        self._set_picker_options()

    def show_transactions(self, wallet_id: str | None) -> None:
        """Show the most recent ledger entries of one wallet, newest first."""
        if not wallet_id:
            self.transactions_html.value = ""
            return
        with self._action("Reading transactions"):
            page = self._client.transactions.list(wallet_id=wallet_id, limit=RECENT_TRANSACTIONS)
            items = list(page.items)
            if _oldest_first(items):
                if page.has_more and page.last_page:
                    # the ledger lists oldest first: the recent entries are on the last page (or two)
                    last = self._page_items(wallet_id, page.last_page)
                    if len(last) < RECENT_TRANSACTIONS:
                        before = items if page.last_page == 2 else self._page_items(wallet_id, page.last_page - 1)
                        last = (before + last)[-RECENT_TRANSACTIONS:]
                    items = last
                items.reverse()
            rows = [
                [escape(t.created_at.strftime("%Y-%m-%d %H:%M") if t.created_at else ""), escape(t.type),
                 escape(t.direction), escape(t.balance_type), escape(format_money(t.amount, t.currency)),
                 escape(format_money(t.running_balance_available, t.currency)),
                 escape(format_money(t.running_balance_actual, t.currency)), escape(t.description)]
                for t in items
            ]
            total = f" of {page.total}" if page.total is not None else ""
            heading = (f"<p style='{INFO_STYLE}'>The {len(rows)} most recent{total} ledger entries of "
                       f"<code>{escape(wallet_id)}</code>, newest first</p>")
            self.transactions_html.value = heading + table(
                ["When (UTC)", "Type", "Direction", "Balance", "Amount", "Available after", "Actual after",
                 "Description"], rows, numeric=frozenset({4, 5, 6}), empty="No transactions yet.")

    def _page_items(self, wallet_id: str, number: int) -> list[Any]:
        return list(self._client.transactions.list(wallet_id=wallet_id, limit=RECENT_TRANSACTIONS, page=number).items)

    # -- drawing --------------------------------------------------------------------------------------

    def _table_html(self) -> str:
        rows = []
        for wallet in self.wallets:
            accounts: list[WalletAccount | None] = [*wallet.wallet_account] or [None]
            for index, account in enumerate(accounts):
                first = index == 0
                rows.append([
                    f"<b>{escape(_name(wallet))}</b><br><code style='font-size:11px'>{escape(wallet.wallet_id)}</code>"
                    if first else "",
                    escape(wallet.category) if first else "",
                    escape(wallet.customer_id or "") if first else "",
                    escape(account.currency) if account else "",
                    escape(format_money(account.actual_balance, account.currency)) if account else "",
                    escape(format_money(account.available_balance, account.currency)) if account else "",
                    badge("ACTIVE" if wallet.is_active is not False else "INACTIVE") if first else "",
                ])
        return table(["Wallet", "Category", "Customer", "Currency", "Actual", "Available", ""], rows,
                     numeric=frozenset({4, 5}), empty="No wallets yet.")

    def _set_picker_options(self) -> None:
        current = self.wallet_picker.value
        options: list[tuple[str, str | None]] = [("— choose a wallet —", None)]
        options += [(f"{_name(w)} · {w.category or ''} · {w.wallet_id}", w.wallet_id) for w in self.wallets]
        self.wallet_picker.unobserve(self._picked, names="value")
        try:
            self.wallet_picker.options = options
            self.wallet_picker.value = current if any(value == current for _, value in options) else None
        finally:
            self.wallet_picker.observe(self._picked, names="value")
        self.show_transactions(self.wallet_picker.value)

    def _picked(self, change: dict[str, Any]) -> None:
        self.show_transactions(change["new"])


def _oldest_first(items: list[Any]) -> bool:
    stamps = [t.created_at for t in items if t.created_at is not None]
    return len(stamps) > 1 and stamps[0] <= stamps[-1]


def _name(wallet: "Wallet") -> str:
    return wallet.description or wallet.wallet_alias or wallet.wallet_id
