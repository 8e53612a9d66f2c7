from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import pandas as pd
import pytest

from paycombat_tools import PayCombat
from paycombat_tools.sandbox import Sandbox

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def demo() -> Iterator[Sandbox]:
    """The demo seed: ~36 customers' wallets and three months of payins, payouts, failures and refunds."""
    with Sandbox(seed=3, demo=True) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def demo_client(demo: Sandbox) -> Iterator[PayCombat]:
    with demo.client() as client:
        yield client


@pytest.fixture(scope="session")
def ledger(demo_client: PayCombat) -> pd.DataFrame:
    """The whole demo ledger, pulled once over HTTP."""
    from paycombat_tools.analysis import pull_transactions

    return pull_transactions(demo_client, progress=False)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
