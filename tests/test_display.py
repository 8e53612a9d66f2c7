"""Short records read as compact tables in a notebook: nested lists become sub-tables, nothing is cut."""

from __future__ import annotations

import re
from decimal import Decimal

from paycombat_tools.display import Table, record_html
from paycombat_tools.sandbox import Sandbox


def test_a_wallet_shows_its_accounts_as_a_sub_table() -> None:
    with Sandbox(seed=1) as sandbox, sandbox.client() as client:
        wallet = client.wallets.list(limit=1).items[0]
        html = wallet._repr_html_()
    assert "<caption" in html and "Wallet" in html
    assert "[{" not in html and "…" not in html  # not a truncated list of dicts
    sub = re.search(r"<th style='text-align:left'>wallet_account</th><td[^>]*>(<table>.*?</table>)", html)
    assert sub is not None
    for column in ("currency", "actual_balance", "available_balance"):
        assert f">{column}</th>" in sub.group(1)
    assert html.count("<tr>") >= len(wallet.wallet_account) + 1


def test_a_tool_answer_reads_as_a_table_and_money_keeps_its_digits() -> None:
    answer = {"payout_id": "p_1", "amount": Decimal("1234.50"), "fee": None,
              "result": {"id": "x", "status": "PENDING"}, "problems": [], "explanation": "<b>closed</b>"}
    html = Table(answer, title="get_payout")._repr_html_()
    assert ">payout_id</th>" in html and ">1,234.50<" in html
    assert ">fee</th>" not in html  # missing values are left out
    assert ">status</th>" in html and "&lt;b&gt;closed&lt;/b&gt;" in html  # nested mapping; text escaped
    assert '"payout_id": "p_1"' in repr(Table(answer))


def test_the_merchant_token_in_a_checkout_link_stays_hidden() -> None:
    html = record_html({"checkout_url": "https://checkout.example/?token=t&identifier=snd_secret"})
    assert "snd_secret" not in html and "identifier=&lt;hidden&gt;" in html
