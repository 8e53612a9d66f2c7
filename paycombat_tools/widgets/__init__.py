"""Notebook widgets (ipywidgets) over a ``PayCombat`` client: wallets, checkout, payouts, transactions.

``from paycombat_tools.widgets import WalletExplorer; WalletExplorer(client)`` — each widget takes a
client, calls it (never HTTP directly), holds no credentials and shows API errors as readable
messages in its ``.status`` area (the last one also in ``.last_error``). Colours come from JupyterLab's
theme (``_theme``). ``data_grid(frame)`` shows any DataFrame in the same sortable, searchable grid the
ledger views use. Needs the ``notebook`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._checkout import CheckoutForm
    from ._grid import data_grid
    from ._payout import PayoutForm
    from ._transactions import TransactionBrowser
    from ._wallets import WalletExplorer

__all__ = ["CheckoutForm", "PayoutForm", "TransactionBrowser", "WalletExplorer", "data_grid"]

_MODULES = {"WalletExplorer": "_wallets", "CheckoutForm": "_checkout", "PayoutForm": "_payout",
            "TransactionBrowser": "_transactions", "data_grid": "_grid"}


def __getattr__(name: str) -> Any:
    """Each widget's module (and ipywidgets) loads on first use."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'paycombat_tools.widgets' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
