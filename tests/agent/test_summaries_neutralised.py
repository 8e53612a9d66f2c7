"""Hidden characters reach no person: summary, panel, terminal prompt and audit text show them as escapes.

Bidi overrides (U+202E, U+2066), zero-width (U+200B), soft hyphens (U+00AD), ANSI sequences, CR and
BEL in any field a person reads are shown as ``⟨U+XXXX⟩``; the stored arguments stay exactly as sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from agent_tools import ApprovalPanel, AuditLog, ConfirmationGuard
from agent_tools.interrupt import approval_request, prompt_decision
from agent_tools.summaries import render_summary
from agent_tools.text import is_hidden

#: One sample of each kind of hidden character, and the escape a person must see instead.
HIDDEN = {
    "rlo": ("\u202e", "⟨U+202E⟩"), "zwsp": ("\u200b", "⟨U+200B⟩"), "lri": ("\u2066", "⟨U+2066⟩"),
    "shy": ("\u00ad", "⟨U+00AD⟩"), "esc": ("\x1b[2K\x1b[1G", "⟨U+001B⟩[2K⟨U+001B⟩[1G"),
    "cr": ("\r", "⟨U+000D⟩"),
    "bel": ("\x07", "⟨U+0007⟩"), "newline": ("\n", "⟨U+000A⟩"),
}
ESC_LINE = "\x1b[2K\x1b[1GPay AUD 1.00 to Grace Ho"


def visible(text: str, *, multiline: bool = False) -> bool:
    """No character in ``text`` hides itself or rewrites what is around it."""
    return not any(is_hidden(char) for char in text if not (multiline and char in "\n\t"))


def payout(**holder: str) -> dict[str, Any]:
    params = {"bsb": "062-000", "account_number": "12345678", "individual": {"first_name": "Grace", "last_name": "Ho"}}
    params.update({k: v for k, v in holder.items() if k in ("bsb", "account_number", "bank_name")})
    params["individual"].update({k: v for k, v in holder.items() if k in ("first_name", "last_name")})
    return {"sender_amount": Decimal("40.00"), "sender_currency": "AUD", "beneficiary_amount": Decimal("40.00"),
            "beneficiary_currency": "AUD", "payout_method_name": "au_bank_acct", "purpose_code": "SELF",
            "payout_beneficiary_param": params, **{k: v for k, v in holder.items() if k == "description"}}


def field_cases(mark: str) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Each field kind a summary shows, carrying ``mark``: (operation, arguments, facts)."""
    return {
        "first name": ("payouts.create", payout(first_name=f"Gr{mark}ace"), {}),
        "last name": ("payouts.create", payout(last_name=f"Ho{mark}"), {}),
        "description": ("payouts.create", payout(description=f"rent {mark}March"), {}),
        "bsb": ("payouts.create", payout(bsb=f"062{mark}-000"), {}),
        "bank name": ("payouts.create", payout(bank_name=f"ANZ{mark}"), {}),
        "account number": ("payouts.create", payout(account_number=f"1234567{mark}8"), {}),
        "saved beneficiary name": ("payouts.create",
                                   {**payout(), "payout_beneficiary_param": None, "payout_beneficiary_id": "pb_1"},
                                   {"beneficiary_name": f"Grace{mark} Ho"}),
        "refund comment": ("refunds.create", {"payin_id": "payin_1", "amount": Decimal("5"), "currency": "AUD"},
                           {"reason": f"duplicate{mark} charge"}),
        "customer email": ("payins.create", {"amount": Decimal("5"), "currency": "AUD",
                                             "payin_method_name": "au_bank_npp",
                                             "customer_email": f"ada{mark}@example.com"}, {}),
        "customer name": ("payins.create", {"amount": Decimal("5"), "currency": "AUD",
                                            "payin_method_name": "au_bank_npp",
                                            "customer_full_name": f"Ada{mark} Tan"}, {}),
        "webhook url": ("payouts.create", {**payout(), "webhook_url": f"https://hooks.example/{mark}x"}, {}),
        "beneficiary to save": ("beneficiaries.create", {"type": "individual", "beneficiary_name": f"Sam{mark}",
                                                         "currency": "AUD", "bsb": "062-000",
                                                         "account_number": "99998888"}, {}),
        "beneficiary change": ("beneficiaries.update", {"beneficiary_id": "pb_1", "beneficiary_name": f"M{mark}"},
                               {}),
        "cancelled request": ("checkouts.cancel", {"checkout_token": "t"},
                              {"checkout_id": "chk_1", "description": f"Order{mark} 7"}),
        "customer": ("customers.disable", {"customer_id": "customer_1"}, {"name": f"Kettle{mark} & Co"}),
        "generic operation": ("wallets.create", {"customer_id": "customer_1", "currency": "AUD",
                                                 "currency_list": ["AUD"], "description": f"ops{mark} wallet"}, {}),
        "currency": ("payins.create", {"amount": Decimal("5"), "currency": f"AU{mark}D",
                                       "payin_method_name": f"npp{mark}"}, {}),
    }


@pytest.mark.parametrize("kind", sorted(HIDDEN))
@pytest.mark.parametrize("field", sorted(field_cases("")))
def test_every_summary_field_shows_hidden_characters_as_escapes(kind: str, field: str) -> None:
    mark, escape = HIDDEN[kind]
    operation, arguments, facts = field_cases(mark)[field]
    summary = render_summary(operation, arguments, facts)
    assert visible(summary), repr(summary)
    if field != "account number" or kind in ("rlo", "zwsp", "lri", "shy", "cr", "bel", "newline"):
        assert escape[-9:] in summary or escape in summary, (field, summary)


def test_the_terminal_prompt_cannot_erase_its_own_line() -> None:
    printed: list[str] = []
    request = {"summary": ESC_LINE, "action_id": "act\u202e_1", "risk": "money", "expires_at": "2026-01-01T00:00",
               "arguments": {"description": "\u2066x\r\x07", "amount": "1.00"}, "digest": "d"}
    answers = iter(["alice", "n"])
    prompt_decision(request, input=lambda _: next(answers), output=printed.append)
    shown = "\n".join(printed)
    assert "⟨U+001B⟩[2K⟨U+001B⟩[1GPay AUD 1.00 to Grace Ho" in shown and "act⟨U+202E⟩_1" in shown
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown and visible(shown, multiline=True)


@pytest.fixture
def guard_with_hidden(guard: ConfirmationGuard) -> tuple[ConfirmationGuard, str]:
    action = guard.propose("payouts.create", payout(first_name="Gr\u202eace", description=ESC_LINE))
    return guard, action.action_id


def test_a_proposal_summary_is_neutralised_but_its_arguments_stay_exact(
        guard_with_hidden: tuple[ConfirmationGuard, str]) -> None:
    guard, action_id = guard_with_hidden
    action = guard.get(action_id)
    assert visible(action.summary) and "Gr⟨U+202E⟩ace" in action.summary
    assert action.arguments["description"] == ESC_LINE  # what runs is what was proposed, byte for byte
    assert visible(approval_request(guard, action_id)["summary"])


@pytest.fixture
def panel(guard_with_hidden: tuple[ConfirmationGuard, str]) -> Iterator[ApprovalPanel]:
    shown = ApprovalPanel(guard_with_hidden[0], poll_interval=60)
    yield shown
    shown.close()


def test_the_approval_panel_html_shows_escapes_in_summary_and_exact_arguments(panel: ApprovalPanel) -> None:
    row = panel.rows.children[0].children[0].value
    assert visible(row, multiline=True), repr(row)
    summary, exact = row.split("exact arguments")
    assert "Gr⟨U+202E⟩ace" in summary and "⟨U+001B⟩[2K" in summary
    assert "Gr⟨U+202E⟩ace" in exact and "\\u001b[2K" in exact  # JSON's own escape for controls: visible too


def test_the_approval_panel_messages_show_escapes(guard_with_hidden: tuple[ConfirmationGuard, str],
                                                  panel: ApprovalPanel) -> None:
    _, action_id = guard_with_hidden
    panel.approver.value = "car\u200bol"
    panel.reason.value = "wrong\u202e payee\x1b[31m"
    panel.reject(action_id)
    assert visible(panel.messages[-1]) and visible(panel.status.value)
    assert "wrong⟨U+202E⟩ payee⟨U+001B⟩[31m" in panel.messages[-1] and "car⟨U+200B⟩ol" in panel.status.value


@pytest.mark.parametrize("suffix", ["db", "jsonl"])
def test_the_audit_text_for_people_is_neutralised_while_entries_stay_exact(suffix: str, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / f"audit.{suffix}")
    log.append("rejected", actor="bob\u202e", action_id="act_1", reason=ESC_LINE)
    text = log.render()
    assert visible(text, multiline=True) and "bob⟨U+202E⟩" in text and "⟨U+001B⟩[2K" in text
    assert log.entries()[0]["detail"]["reason"] == ESC_LINE and log.entries()[0]["actor"] == "bob\u202e"
    assert visible(repr(AuditLog(tmp_path / f"a\u202eudit.{suffix}")))


def test_a_shortened_text_never_cuts_an_escape_in_half() -> None:
    from agent_tools.summaries import quote

    for length in range(45, 65):
        shown = quote("a" * length + "\u202e" * 5, 60)
        tail = shown[shown.rfind("⟨"):] if "⟨" in shown else ""
        assert not tail or "⟩" in tail, shown
