"""Memo PDFs for payins and payouts: who paid whom, how much, status and ids (fpdf2)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..money import format_money

_UNICODE_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def memo_pdf(title: str, rows: list[tuple[str, Any]]) -> bytes:
    """A one-page memo: a title and a two-column table of labelled values."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("PayCombat sandbox")
    pdf.add_page()
    family = _font(pdf)
    pdf.set_font(family, size=16)
    pdf.cell(0, 12, _text(family, title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    pdf.cell(0, 6, _text(family, "PayCombat sandbox document - not a real payment record"),
             new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(family, size=11)
    for label, value in rows:
        pdf.cell(60, 8, _text(family, label), border=1)
        pdf.cell(0, 8, _text(family, "-" if value in (None, "") else str(value)), border=1,
                 new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font(pdf: Any) -> str:
    if _UNICODE_FONT.is_file():
        pdf.add_font("DejaVu", fname=str(_UNICODE_FONT))
        return "DejaVu"
    return "helvetica"


def _text(family: str, text: str) -> str:
    """Core fonts only carry Latin-1; other characters become '?' rather than failing."""
    return text if family != "helvetica" else text.encode("latin-1", "replace").decode("latin-1")


def payout_memo(payout: dict[str, Any]) -> bytes:
    return memo_pdf("Payout memo", [
        ("Payout id", payout["id"]), ("Provider id", payout["payout_id_finmo"]),
        ("Order id", payout.get("order_id")), ("Status", payout["status"]),
        ("Payer", "Merchant " + str(payout.get("merchant_id"))), ("Payee", payout.get("payee_name")),
        ("Payee bank (method)", payout.get("beneficiary_bank")),
        ("Payee account", payout.get("beneficiary_account_number") or payout.get("beneficiary_account_iban")),
        ("Amount", format_money(payout["wire_amount"], payout["currency"])),
        ("Fee", format_money(payout["fee_expected"], payout["currency"])),
        ("Purpose", payout.get("purpose_code")), ("Failure reason", payout.get("reason_for_failure")),
        ("Created", payout.get("created_at")), ("Updated", payout.get("updated_at")),
    ])


def payin_memo(payin: dict[str, Any]) -> bytes:
    return memo_pdf("Payin memo", [
        ("Payin id", payin["id"]), ("Provider id", payin["payin_id_finmo"]),
        ("Status", payin["status"]), ("Payer", payin.get("customer_full_name") or payin.get("payer_id")),
        ("Payee", "Merchant " + str(payin.get("merchant_id"))), ("Method", payin.get("payment_method")),
        ("Amount", format_money(payin["amount"], payin["amount_type"])),
        ("Fee", format_money(payin["fee_expected"], payin["amount_type"])),
        ("Payment code", payin.get("pay_code")), ("Order reference", payin.get("order_reference")),
        ("Created", payin.get("created_at")), ("Paid", payin.get("payment_date")),
    ])


def _register() -> None:
    from ._registry import Context, Result, handles

    @handles("payouts.memo")
    def payout_memo_pdf(ctx: Context, path: dict[str, str], body: Any) -> Result:
        return "OK", payout_memo(ctx.store.get("payout", path["payout_id"], label="Payout"))

    @handles("payins.memo")
    def payin_memo_pdf(ctx: Context, path: dict[str, str], body: Any) -> Result:
        return "OK", payin_memo(ctx.store.get("payin", path["payin_id"], label="Payin"))


_register()
