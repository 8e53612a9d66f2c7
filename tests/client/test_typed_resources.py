"""The generated resources: editors, ``help()`` and type checkers see every operation's fields and result.

Type checkers are run for real (mypy and pyright, both strict) on small sample files written here.
"""

from __future__ import annotations

import inspect
import json
import os
import pydoc
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from paycombat_tools import AsyncPayCombat, InvalidRequestError, PayCombat
from paycombat_tools.catalog import OPERATIONS

ROOT = Path(__file__).resolve().parents[2]

CORRECT = '''
from decimal import Decimal
from typing import assert_type

from paycombat_tools import AsyncPage, AsyncPayCombat, Page, PayCombat, PdfDocument
from paycombat_tools.models import Customer, Payout


def pay(client: PayCombat) -> None:
    payout = client.payouts.create(sender_amount=Decimal("40"), sender_currency="AUD", beneficiary_amount="40",
                                   beneficiary_currency="AUD", payout_method_name="au_bank_acct",
                                   purpose_code="SELF", payout_beneficiary_id="ben_1", order_id=42)
    assert_type(payout, Payout)
    assert_type(client.payouts.list(status="PENDING"), Page[Payout])
    assert_type(client.payouts.memo(payout.id), PdfDocument)
    assert_type(client.customers.update("customer_1", description="d", extra_body={"x": 1}), Customer)


async def pay_async(client: AsyncPayCombat) -> None:
    assert_type(await client.payouts.retrieve("po_1"), Payout)
    assert_type(await client.payouts.list(limit=10), AsyncPage[Payout])
    async for payout in client.payouts.list(limit=10):
        assert_type(payout, Payout)
'''

#: (line marker, what is wrong): each marked call must be an error, and nothing else may be
WRONG = '''
from decimal import Decimal

from paycombat_tools import AsyncPayCombat, PayCombat


def pay(client: PayCombat) -> None:
    client.payouts.create(sender_amount=Decimal("1"), sender_curency="AUD",  # MISSPELT
                          beneficiary_amount=Decimal("1"), beneficiary_currency="AUD",
                          payout_method_name="au_bank_acct", purpose_code="SELF")
    client.payouts.create(sender_amount=1.5, sender_currency="AUD",  # FLOAT MONEY
                          beneficiary_amount=Decimal("1"), beneficiary_currency="AUD",
                          payout_method_name="au_bank_acct", purpose_code="SELF")
    client.payouts.simulate(payout_id="po_1", status="DONE")  # NOT A STATUS
    client.payouts.retrieve(payout_id=7)  # AN ID IS TEXT


async def pay_async(client: AsyncPayCombat) -> None:
    await client.payouts.retrieve("po_1", wallet="w")  # MISSPELT ASYNC
'''


def _write_samples(folder: Path) -> dict[str, Path]:
    samples = {"correct": folder / "correct.py", "wrong": folder / "wrong.py"}
    samples["correct"].write_text("# pyright: strict\n" + textwrap.dedent(CORRECT), encoding="utf-8")
    samples["wrong"].write_text("# pyright: strict\n" + textwrap.dedent(WRONG), encoding="utf-8")
    return samples


def _marked_lines(path: Path) -> dict[int, str]:
    return {number: line.split("# ")[-1] for number, line in enumerate(path.read_text().splitlines(), start=1)
            if line.rstrip().endswith(("MISSPELT", "MONEY", "STATUS", "TEXT", "ASYNC"))}


def _checker_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# -- the generated code is current ----------------------------------------------------------------------


def test_the_generated_resources_match_the_catalog() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_resources.py"), "--check"],
                            capture_output=True, text=True, env=_checker_env())
    assert result.returncode == 0, result.stderr


def test_every_catalog_operation_is_a_generated_method_on_both_clients() -> None:
    for client in (PayCombat("token", "key"), AsyncPayCombat("token", "key")):
        for operation in OPERATIONS:
            method = client.operation(operation.name)
            assert method.__name__ == operation.method_name and method.__doc__ and operation.path in method.__doc__


# -- at run time: signatures and help ---------------------------------------------------------------


def test_the_signature_shows_the_request_fields_as_keywords() -> None:
    client = PayCombat("token", "key")
    signature = inspect.signature(client.payouts.create)
    keyword_only = [name for name, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]
    assert keyword_only[:4] == ["sender_amount", "sender_currency", "beneficiary_amount", "beneficiary_currency"]
    assert keyword_only[-4:] == ["request", "extra_body", "extra_query", "extra_headers"]
    assert "order_id" in keyword_only and "Payout" in str(signature.return_annotation)
    assert repr(signature.parameters["sender_amount"].default) == "<required>"


def test_path_parameters_come_first_by_position() -> None:
    client = PayCombat("token", "key")
    update = inspect.signature(client.customers.update).parameters
    assert list(update)[0] == "customer_id" and update["customer_id"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    retrieve = inspect.signature(client.beneficiaries.update).parameters
    assert list(retrieve)[0] == "beneficiary_id"


def test_help_lists_the_fields_the_path_and_its_confidence() -> None:
    text = pydoc.render_doc(PayCombat("token", "key").payouts.create, renderer=pydoc.plaintext)
    assert "sender_currency" in text and "payout_beneficiary_param" in text
    assert "POST /api/v1/payout/create-payout" in text and "confirmed" in text
    assert "order_id" in text and "idempotency reference" in text
    listed = pydoc.render_doc(AsyncPayCombat("token", "key").wallets.list, renderer=pydoc.plaintext)
    assert "GET /wallet" in listed and "inferred" in listed and "AsyncPager[Wallet]" in listed


def test_the_async_methods_are_coroutines_and_listings_are_pagers() -> None:
    client = AsyncPayCombat("token", "key")
    assert inspect.iscoroutinefunction(client.payouts.create)
    assert not inspect.iscoroutinefunction(client.payouts.list)
    assert inspect.signature(client.payouts.create) == inspect.signature(PayCombat("token", "key").payouts.create)


def test_a_misspelt_field_is_still_refused_at_run_time_with_a_pointer_to_extra_body() -> None:
    client = PayCombat("token", "key", "http://127.0.0.1:9")
    with pytest.raises(InvalidRequestError, match=r"sender_curency: unknown field .*extra_body"):
        client.payouts.create(sender_amount="1", sender_curency="AUD",  # type: ignore[call-overload]
                              beneficiary_amount="1", beneficiary_currency="AUD", payout_method_name="au_bank_acct",
                              purpose_code="SELF", payout_beneficiary_id="ben_1")


# -- type checkers ---------------------------------------------------------------------------------------


def test_mypy_strict_flags_a_misspelt_field_and_a_wrong_type_and_passes_a_correct_call(tmp_path: Path) -> None:
    samples = _write_samples(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", os.devnull,
         "--show-error-codes", "--no-pretty", str(samples["correct"]), str(samples["wrong"])],
        capture_output=True, text=True, cwd=tmp_path, env=_checker_env())
    errors = [line.split(":") for line in result.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if Path(e[0]).name == "correct.py"], result.stdout
    flagged = {int(e[1]) for e in errors if Path(e[0]).name == "wrong.py"}
    assert flagged == set(_marked_lines(samples["wrong"])), result.stdout
    assert 'did you mean "sender_currency"' in result.stdout


def test_pyright_strict_flags_a_misspelt_field_and_a_wrong_type_and_passes_a_correct_call(tmp_path: Path) -> None:
    pyright = shutil.which("pyright", path=str(Path(sys.executable).parent)) or shutil.which("pyright")
    if pyright is None:
        pytest.skip("pyright is not installed (pip install pyright; it is in the dev extra)")
    samples = _write_samples(tmp_path)
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"extraPaths": [str(ROOT)], "typeCheckingMode": "strict"}))
    result = subprocess.run([pyright, "--outputjson", "--pythonpath", sys.executable, *map(str, samples.values())],
                            capture_output=True, text=True, cwd=tmp_path, env=_checker_env())
    report = json.loads(result.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert not [e for e in errors if e["file"] == str(samples["correct"])], errors
    flagged = {e["range"]["start"]["line"] + 1 for e in errors if e["file"] == str(samples["wrong"])}
    assert flagged == set(_marked_lines(samples["wrong"])), errors
