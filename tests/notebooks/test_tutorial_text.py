"""The tutorials as a new merchant developer reads them: they lead on, keep their widgets, tell the truth."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TUTORIALS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def cells(path: Path, kind: str) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == kind]


def text(path: Path) -> str:
    return "\n".join(cells(path, "markdown"))


def test_run_all_keeps_every_widget_alive() -> None:
    """No code cell closes a widget, a client or the sandbox: clean-up is an optional, written-out last section."""
    for path in TUTORIALS:
        closing = [source for source in cells(path, "code") if re.search(r"\.close\(\)|\.shutdown\(\)", source)]
        assert not closing, f"{path.name} closes things on Run All: {closing}"
        assert "## When you are done" in cells(path, "markdown")[-1], path.name


def test_every_widget_is_followed_by_where_to_stop_and_play() -> None:
    widgets = 0
    for path in TUTORIALS:
        book = nbformat.read(path, as_version=4).cells
        for index, cell in enumerate(book):
            shows_widget = cell.cell_type == "code" and re.search(
                r"^(explorer|form|browser|panel)$", cell.source.strip().splitlines()[-1] if cell.source.strip() else "")
            if shows_widget:
                widgets += 1
                assert "Stop here and play" in book[index + 1].source, f"{path.name} cell {index}"
    assert widgets == 5  # WalletExplorer, CheckoutForm, PayoutForm, TransactionBrowser, ApprovalPanel


def test_each_tutorial_leads_to_the_next_and_the_readme_lists_all_seven() -> None:
    assert [path.name[:2] for path in TUTORIALS] == ["01", "02", "03", "04", "05", "06", "07"]
    for path, following in zip(TUTORIALS, TUTORIALS[1:]):
        number = int(following.name[:2])
        assert f"Next: **{number}." in text(path), f"{path.name} does not lead to {following.name}"
    assert "first of seven" in text(TUTORIALS[0])
    readme = (NOTEBOOKS / "README.md").read_text()
    for path in TUTORIALS:
        assert f"]({path.name})" in readme, f"notebooks/README.md does not list {path.name}"


def test_the_first_tutorial_explains_going_live() -> None:
    going_live = text(TUTORIALS[0])
    assert "**token**" in going_live and "**signature key**" in going_live  # what each credential is for
    assert "never travels" in going_live
    assert "snd_" in going_live and "Integration Details" in going_live  # where a test account comes from
    assert "PAYCOMBAT_BASE_URL" in going_live and "https://api.paycombat.com" in going_live
    assert "production" in going_live
    for helper in ("payins.simulate", "payouts.simulate", "sandbox.notification_url", "sandbox.wait_for_webhooks()",
                   "sandbox.check_ledger()"):
        assert f"`{helper}" in going_live, f"tutorial 1 does not say what replaces {helper}"


def test_the_webhooks_tutorial_says_how_webhooks_reach_you_in_production() -> None:
    webhooks = text(NOTEBOOKS / "05_webhooks.ipynb")
    assert "public **HTTPS** address" in webhooks and "**tunnel**" in webhooks


def test_the_payout_tutorial_promises_only_what_the_quote_shows() -> None:
    payouts = text(NOTEBOOKS / "04_payouts.ipynb")
    assert "(amount, fee, total debited)" not in payouts
    assert "PayCombat sets the **fee** when it creates the payout" in payouts


def test_the_payout_tutorial_shows_how_to_finish_a_payout_whose_answer_was_lost() -> None:
    code = "\n".join(cells(NOTEBOOKS / "04_payouts.ipynb", "code"))
    assert "client.resend(lost)" in code and "client.resend(error)" in text(NOTEBOOKS / "04_payouts.ipynb")


def test_the_real_model_snippet_imports_from_the_notebooks_folder(tmp_path: Path) -> None:
    """07's snippet, run from notebooks/ with the chat model left out, finds everything it imports."""
    snippet = re.search(r"```python\n(.*?)```", text(NOTEBOOKS / "07_agent_tools.ipynb"), re.S)
    assert snippet is not None
    lines = snippet.group(1).split("\n")
    imports = "\n".join(line for line in lines[: next(i for i, l in enumerate(lines) if l.startswith("turn ="))]
                        if "langchain_openai" not in line)
    result = subprocess.run([sys.executable, "-c", imports + "\nprint(SYSTEM_PROMPT[:10], callable(run))"],
                            cwd=NOTEBOOKS, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "True" in result.stdout


def _run(client: nbclient.NotebookClient, book: Any, index: int) -> list[Any]:
    cell = book.cells[index]
    if cell.cell_type == "code":
        client.execute_cell(cell, index)
        return [output for output in cell.outputs if output.output_type == "error"]
    return []


@pytest.mark.timeout(300)
def test_07_approve_in_the_panel_then_run_the_next_cell(tmp_path: Path) -> None:
    """The flow the text describes: run to the panel, click Approve there, run the rest: no error."""
    workdir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    book = nbformat.read(workdir / "07_agent_tools.ipynb", as_version=4)
    panel = next(i for i, cell in enumerate(book.cells) if cell.source.strip().endswith("panel"))
    client = nbclient.NotebookClient(book, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(workdir)}})
    with client.setup_kernel():
        errors = [error for index in range(panel + 1) for error in _run(client, book, index)]
        click = nbformat.v4.new_code_cell(
            "panel.approver.value = 'tester'\n"
            "approve, _reject = panel.buttons[proposal['action_id']]\n"
            "approve.click()\n"
            "print(panel.messages[-1])")
        book.cells.insert(panel + 1, click)
        errors += _run(client, book, panel + 1)
        assert "Approved by tester and executed" in click.outputs[0]["text"]
        errors += [error for index in range(panel + 2, len(book.cells)) for error in _run(client, book, index)]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    decided = next(cell for cell in book.cells if cell.source.startswith("waiting = any("))
    shown = "".join(output.get("text", "") for output in decided.outputs)
    assert "already decided in the panel" in shown and "approving again" in shown
