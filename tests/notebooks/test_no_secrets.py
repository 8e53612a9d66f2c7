"""Every tutorial notebook runs top to bottom without an error and never shows a credential.

Each notebook is executed in a fresh kernel (nbclient), in a temporary copy of ``notebooks/``.
A first, injected cell records the token and signature key of every ``Sandbox`` the notebook
starts (into a file, not an output); then every output — streams, rich displays, errors — and the
saved widget state are searched for those values and for anything shaped like a sandbox token
(``snd_`` + 32 hex digits). Real credentials from ``PAYCOMBAT_*`` variables are searched for too.

A checkout_url carries the merchant token as its ``identifier`` query parameter
(``…/?token=…&identifier=<X-token>``), so every ``identifier=`` (or ``identifier%3D``) in an output or
the widget state is a leak unless its value is ``<hidden>`` (what ``paycombat_tools.redaction`` writes);
one whose value is a recorded token is reported as the merchant token in a checkout link.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import ipykernel  # noqa: F401  (the kernel the notebooks run in; all three are in the dev extra)
import nbclient
import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
TUTORIALS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
TOKEN_SHAPE = re.compile(r"snd_[0-9a-f]{32}")
#: ``identifier=<value>`` in a URL (raw, percent-encoded or inside JSON/HTML), unless the value is hidden.
IDENTIFIER = re.compile(r"(?i)identifier(?:=|%3D)(?!<hidden>|&lt;hidden&gt;|%3Chidden%3E)([^&#\s'\"<>\\]+)")
CELL_TIMEOUT = 180

RECORD_SECRETS = """
def _record_sandbox_secrets(path={path!r}):
    import json
    from paycombat_tools.sandbox import Sandbox

    original = Sandbox.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps([self.token, self.signature_key]) + "\\n")

    Sandbox.__init__ = __init__

_record_sandbox_secrets()
del _record_sandbox_secrets
"""


def test_tutorials_exist() -> None:
    names = [path.name for path in TUTORIALS]
    for number in range(1, 8):
        assert any(name.startswith(f"{number:02d}_") for name in names), f"notebook {number:02d}_*.ipynb is missing"


def test_tutorials_are_saved_without_outputs() -> None:
    """The notebooks are docs: committed clean, so a run never leaves state (or secrets) in git."""
    for path in TUTORIALS:
        notebook = nbformat.read(path, as_version=4)
        dirty = [index for index, cell in enumerate(notebook.cells)
                 if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))]
        assert not dirty, f"{path.name}: cells {dirty} have saved outputs; clear them before committing"
        assert "widgets" not in notebook.metadata, f"{path.name}: saved widget state; clear it before committing"


@pytest.mark.parametrize("path", TUTORIALS, ids=[path.stem for path in TUTORIALS])
def test_tutorial_runs_clean_and_shows_no_secret(path: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.pdf", "*.csv"))
    errors, leaks, sandboxes = run_and_scan(workdir / path.name, tmp_path)
    assert not errors, f"{path.name}: cells raised: " + "; ".join(errors)
    assert sandboxes, f"{path.name} started no Sandbox; the secret check would prove nothing"
    assert not leaks, f"{path.name}: " + "; ".join(leaks)


def test_the_scan_catches_a_leak(tmp_path: Path) -> None:
    """The check above is not vacuous: a notebook that shows the token or key is caught."""
    leaky = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from paycombat_tools.sandbox import Sandbox\n"
        "sandbox = Sandbox(seed=99)\n"
        "print(sandbox.signature_key)\n"
        "print('snd_' + '0123456789abcdef' * 2)  # any token-shaped string, even one we did not record\n"
        "1 / 0"
    )])
    path = tmp_path / "leaky.ipynb"
    nbformat.write(leaky, path)
    errors, leaks, sandboxes = run_and_scan(path, tmp_path)
    assert sandboxes == 1
    assert any("ZeroDivisionError" in error for error in errors)
    assert any("credential" in leak for leak in leaks)
    assert any("shaped like a sandbox token" in leak for leak in leaks)


def _checkout_url() -> tuple[str, str]:
    """A real checkout_url from a sandbox (it carries the token as ``identifier``), and that token."""
    from decimal import Decimal

    from paycombat_tools.sandbox import Sandbox

    with Sandbox(seed=98) as sandbox, sandbox.client() as client:
        checkout = client.checkouts.create_payment_request(amount=Decimal("12.00"), currency="AUD",
                                                           country_code="AU")
        assert checkout.checkout_url and f"identifier={sandbox.token}" in checkout.checkout_url
        return checkout.checkout_url, sandbox.token


def test_the_scan_catches_a_raw_checkout_url() -> None:
    """An output or widget state with the raw checkout_url fails the scan; the stripped link passes."""
    from paycombat_tools.redaction import redact, strip_identifier

    url, token = _checkout_url()

    def notebook(shown: str, widget_value: str) -> Any:
        cell = nbformat.v4.new_code_cell("print(link)")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"send the payer to {shown}\n"),
                        nbformat.v4.new_output("display_data", data={"text/html": f"<a href='{shown}'>pay</a>"})]
        book = nbformat.v4.new_notebook(cells=[cell])
        book.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {
            "m1": {"model_name": "HTMLModel", "state": {"value": f"<a href='{widget_value}'>Open</a>"}}}}}
        return book

    # only the token as a merchant token (not as a listed secret): the identifier rule alone must catch it
    leaks = scan(notebook(url, url), set(), tokens={token})
    assert "cell 0 shows a checkout link with the merchant token (identifier=<token>)" in leaks
    assert "widget state shows a checkout link with the merchant token (identifier=<token>)" in leaks
    encoded = url.replace("identifier=", "identifier%3D")
    assert scan(notebook(strip_identifier(url), encoded), set(), tokens={token})  # percent-encoded, in widget state
    assert any("identifier" in leak for leak in scan(notebook(url.replace(token, "another-value"), ""), set()))

    safe = strip_identifier(url)
    assert not scan(notebook(safe, safe), {token}, tokens={token})
    assert not scan(notebook(redact(url), redact(url)), {token}, tokens={token})


def test_the_scan_catches_a_checkout_url_in_an_executed_notebook(tmp_path: Path) -> None:
    """End to end: a notebook that prints the checkout_url and shows it in a widget fails."""
    leaky = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from decimal import Decimal\n"
        "import ipywidgets\n"
        "from paycombat_tools.sandbox import Sandbox\n"
        "sandbox = Sandbox(seed=97)\n"
        "checkout = sandbox.client().checkouts.create_payment_request(\n"
        "    amount=Decimal('5.00'), currency='AUD', country_code='AU')\n"
        "print(checkout.checkout_url)\n"
        "ipywidgets.HTML(f\"<a href='{checkout.checkout_url}'>pay</a>\")"
    )])
    path = tmp_path / "leaky-link.ipynb"
    nbformat.write(leaky, path)
    errors, leaks, sandboxes = run_and_scan(path, tmp_path)
    assert sandboxes == 1 and not errors
    assert "cell 0 shows a checkout link with the merchant token (identifier=<token>)" in leaks
    assert "widget state shows a checkout link with the merchant token (identifier=<token>)" in leaks


def run_and_scan(path: Path, scratch: Path) -> tuple[list[str], list[str], int]:
    """Execute ``path`` in a fresh kernel; return (errors, leaks, number of sandboxes started)."""
    secrets_file = scratch / f"{path.stem}-sandbox-secrets.jsonl"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD_SECRETS.format(path=str(secrets_file))))
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()

    notebook.cells = notebook.cells[1:]  # the injected cell is ours
    errors = [f"cell {index}: {output.get('ename')}: {output.get('evalue')}"
              for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.output_type == "error"]
    recorded = _recorded_secrets(secrets_file)
    secrets = {value for pair in recorded for value in pair if value} | _environment_secrets()
    return errors, scan(notebook, secrets, tokens={pair[0] for pair in recorded}), len(recorded)


def scan(notebook: Any, secrets: set[str], *, tokens: "set[str] | frozenset[str]" = frozenset()) -> list[str]:
    """The leaks in an executed notebook's outputs and saved widget state (an empty list: none).

    ``secrets`` are searched for anywhere; ``tokens`` (merchant tokens) are also named when they are
    the ``identifier`` of a checkout link.
    """
    texts = [(f"cell {index}", text) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"
             for output in cell.get("outputs", []) for text in _output_texts(output)]
    texts.append(("widget state", json.dumps(notebook.metadata.get("widgets", {}))))
    leaks = []
    for where, text in texts:
        if any(secret in text for secret in secrets):
            leaks.append(f"{where} shows a credential")
        if TOKEN_SHAPE.search(text):
            leaks.append(f"{where} shows something shaped like a sandbox token")
        for match in IDENTIFIER.finditer(text):
            value = match.group(1)
            if any(token in value for token in tokens | secrets):
                leaks.append(f"{where} shows a checkout link with the merchant token (identifier=<token>)")
            else:
                leaks.append(f"{where} shows a checkout link's identifier (identifier= with a value)")
    return leaks


def _recorded_secrets(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    return [tuple(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _environment_secrets() -> set[str]:
    return {value for name in ("PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY")
            if len(value := os.environ.get(name, "")) >= 8}


def _output_texts(output: Any) -> list[str]:
    """Every piece of text an output carries: stream text, each mime type's data, tracebacks."""
    texts: list[str] = []
    if output.output_type == "stream":
        texts.append(output.get("text", ""))
    elif output.output_type == "error":
        texts.extend([output.get("ename", ""), output.get("evalue", ""), *output.get("traceback", [])])
    else:
        for value in output.get("data", {}).values():
            texts.append(value if isinstance(value, str) else json.dumps(value))
        texts.append(json.dumps(output.get("metadata", {})))
    return texts
