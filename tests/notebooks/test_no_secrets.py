"""Every tutorial notebook runs top to bottom without an error and never shows a credential.

Each notebook is executed in a fresh kernel (nbclient), in a temporary copy of ``notebooks/``.
A first, injected cell records the token and signature key of every ``Sandbox`` the notebook
starts (into a file, not an output); then every output — streams, rich displays, errors — and the
saved widget state are searched for those values and for anything shaped like a sandbox token
(``snd_`` + 32 hex digits). Real credentials from ``PAYCOMBAT_*`` variables are searched for too.
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
    for number in range(1, 7):
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


def run_and_scan(path: Path, scratch: Path) -> tuple[list[str], list[str], int]:
    """Execute ``path`` in a fresh kernel; return (errors, leaks, number of sandboxes started)."""
    secrets_file = scratch / f"{path.stem}-sandbox-secrets.jsonl"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(RECORD_SECRETS.format(path=str(secrets_file))))
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=True,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()

    cells = notebook.cells[1:]  # the injected cell is ours
    errors = [f"cell {index}: {output.get('ename')}: {output.get('evalue')}"
              for index, cell in enumerate(cells) if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.output_type == "error"]
    recorded = _recorded_secrets(secrets_file)
    secrets = {value for pair in recorded for value in pair if value} | _environment_secrets()
    texts = [(f"cell {index}", text) for index, cell in enumerate(cells) if cell.cell_type == "code"
             for output in cell.get("outputs", []) for text in _output_texts(output)]
    texts.append(("widget state", json.dumps(notebook.metadata.get("widgets", {}))))
    leaks = []
    for where, text in texts:
        if any(secret in text for secret in secrets):
            leaks.append(f"{where} shows a credential")
        if TOKEN_SHAPE.search(text):
            leaks.append(f"{where} shows something shaped like a sandbox token")
    return errors, leaks, len(recorded)


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
