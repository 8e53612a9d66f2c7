"""What the browser tests share: a headless JupyterLab server, driving its notebooks, themes and axe-core.

JupyterLab runs on 127.0.0.1 (free port, a generated token, private settings, a temporary copy of
``notebooks/`` as its root, the app exposed as ``window.jupyterapp`` so a test can run its commands).
The browser is Debian's Chromium at ``/usr/bin/chromium`` (``scripts/install-browser.sh``); Playwright's
own browser download is not used. axe-core comes from npm (``scripts/install-axe.sh``). Without them
the tests are skipped on a developer machine and fail under CI (``CI`` set), so CI can never pass by
silently not running them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts"
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
SERVER_START_TIMEOUT = 90
UI_TIMEOUT_MS = 60_000
#: JupyterLab at 1000 px wide with the file browser open: the narrow panel the widgets must fit.
VIEWPORT = {"width": 1000, "height": 1300}
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark", "high-contrast": "JupyterLab Dark High Contrast"}
#: The axe-core rules every widget must pass: text contrast and a name for every control.
AXE_RULES = ["color-contrast", "label", "select-name", "button-name", "link-name", "aria-input-field-name"]

UNDER_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_browser() -> None:
    """Skip (developer machine) or fail (CI) when Chromium, Playwright, JupyterLab or axe-core is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (scripts/install-browser.sh)")
    if not AXE.exists():
        missing.append(f"{AXE} (scripts/install-axe.sh)")
    if missing:
        if UNDER_CI:
            pytest.fail(f"missing under CI: {', '.join(missing)}", pytrace=False)
        pytest.skip(f"not installed: {', '.join(missing)}", allow_module_level=True)
    try:
        import playwright.sync_api  # noqa: F401
        import jupyterlab  # noqa: F401
    except ImportError:  # the browser is here, so the tests must run: say what is missing
        pytest.fail("playwright or jupyterlab is not installed: pip install -e '.[browser]'", pytrace=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_notebook(path: Path, sources: list[str]) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    )
    nbformat.write(notebook, path)


def _settings(directory: Path, plugin: str, values: dict[str, Any]) -> None:
    path = directory / "@jupyterlab" / plugin
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values))


class JupyterLab:
    """A headless JupyterLab server in its own process group, with private settings and runtime dirs."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root = root
        self.port = free_port()
        self.token = uuid.uuid4().hex
        self.url = f"http://127.0.0.1:{self.port}"
        settings = scratch / "lab-settings"
        _settings(settings, "apputils-extension/notification.jupyterlab-settings",
                  {"fetchNews": "false", "checkForUpdates": False})
        # no "Select Kernel" dialog; every cell in the DOM (no windowing), so a test sees the whole notebook
        _settings(settings, "notebook-extension/tracker.jupyterlab-settings",
                  {"autoStartDefaultKernel": True, "windowingMode": "none"})
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(scratch / "config"),
            "JUPYTER_RUNTIME_DIR": str(scratch / "runtime"),
            "JUPYTER_DATA_DIR": str(scratch / "data"),
            "JUPYTERLAB_SETTINGS_DIR": str(settings),
            "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "workspaces"),
            "IPYTHONDIR": str(scratch / "ipython"),
            "PYTHONUNBUFFERED": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
        self.log_path = scratch / "jupyterlab.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
             "--ServerApp.terminals_enabled=False", "--LabApp.extension_manager=readonly",
             "--LabApp.expose_app_in_browser=True",
             *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
            cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_until_ready(self, timeout: float = SERVER_START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise TimeoutError(f"JupyterLab did not answer within {timeout}s:\n{self.log()}")

    def notebook_url(self, name: str) -> str:
        """``name`` alone in a fresh workspace (``reset``: no tabs left over from an earlier page)."""
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        """Shut the server and its kernels down cleanly; kill the process group if that does not work."""
        if self.process.poll() is None:
            try:
                request = urllib.request.Request(f"{self.url}/api/shutdown?token={self.token}", method="POST")
                urllib.request.urlopen(request, timeout=5).close()
                self.process.wait(timeout=20)
            except (urllib.error.URLError, ConnectionError, TimeoutError, subprocess.TimeoutExpired):
                pass
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait(timeout=10)
        self._log.close()


@contextmanager
def running_lab(root: Path, scratch: Path) -> Iterator[JupyterLab]:
    """A JupyterLab serving ``root`` for the duration of the block (stopped even when a test fails)."""
    server = JupyterLab(root, scratch)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


# -- driving a notebook --------------------------------------------------------------------------------


def open_notebook(page: Any, lab: JupyterLab, name: str) -> None:
    """Open ``name`` with the file browser beside it (the narrow panel) and wait for its kernel."""
    from playwright.sync_api import expect

    page.goto(lab.notebook_url(name))
    expect(page.locator(".jp-NotebookPanel")).to_be_visible()
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget")
    command(page, "filebrowser:activate")
    expect(page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first).to_be_visible()


def command(page: Any, name: str, args: dict[str, Any] | None = None) -> None:
    """Run a JupyterLab command (``window.jupyterapp`` is exposed by the server's settings)."""
    page.evaluate("([name, args]) => window.jupyterapp.commands.execute(name, args)", [name, args or {}])


def run_all(page: Any, attempts: int = 3) -> None:
    """Run > Run All Cells, then wait until every code cell has run; try again if the first never starts."""
    from playwright.sync_api import expect

    first_prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").first
    for attempt in range(attempts):
        dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
        if dialog.count():
            dialog.get_by_role("button", name="Select").click()
        command(page, "notebook:run-all-cells")
        try:
            expect(first_prompt).to_have_text(re.compile(r"\[(\d+|\*)\]"), timeout=20_000)
            break
        except AssertionError:
            if attempt == attempts - 1:
                raise
    wait_until_cells_ran(page)


def wait_until_cells_ran(page: Any, *, last: int | None = None) -> None:
    """Every code cell (up to index ``last``) shows an execution count and none is still running."""
    page.wait_for_function(
        """(last) => {
            const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')]
                .slice(0, last === null ? undefined : last + 1).filter(c => c.classList.contains('jp-CodeCell'));
            return cells.length > 0 && cells.every(c => /\\[\\d+\\]/.test(c.querySelector('.jp-InputPrompt').textContent));
        }""", arg=last, timeout=UI_TIMEOUT_MS)


def select_cell_containing(page: Any, text: str) -> int:
    """Make the first cell whose source contains ``text`` the active one; returns its index."""
    index = page.evaluate(
        """(text) => {
            const notebook = window.jupyterapp.shell.currentWidget.content;
            const index = notebook.widgets.findIndex(cell => cell.model.sharedModel.getSource().includes(text));
            if (index >= 0) { notebook.activeCellIndex = index; notebook.deselectAll(); }
            return index;
        }""", text)
    assert index >= 0, f"no cell contains {text!r}"
    return int(index)


def error_outputs(page: Any) -> list[str]:
    """The text of every error (traceback) output in the notebook on show."""
    return list(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) "
                             "[data-mime-type='application/vnd.jupyter.error']").all_inner_texts())


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab's theme (``light`` / ``dark``) and wait until its stylesheet applies."""
    name = THEMES[theme]
    command(page, "apputils:change-theme", {"theme": name})
    page.wait_for_function(
        """([name, light]) => document.body.dataset.jpThemeName === name
            && document.body.dataset.jpThemeLight === light
            && getComputedStyle(document.body).getPropertyValue('--jp-layout-color0').trim() !== ''""",
        arg=[name, "true" if theme == "light" else "false"], timeout=30_000)
    page.wait_for_timeout(300)  # let the new stylesheet settle before reading computed colours


# -- axe-core ------------------------------------------------------------------------------------------


def axe_violations(page: Any, selector: str) -> list[dict[str, Any]]:
    """axe-core's ``AXE_RULES`` on the elements matching ``selector``: the violations (empty: none)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(
        """async ([selector, rules]) => {
            const include = [...document.querySelectorAll(selector)];
            if (!include.length) return [{id: 'nothing-to-check', nodes: [{target: selector}]}];
            const results = await axe.run(include.length === 1 ? include[0] : {include},
                {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
            return results.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => ({
                target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160)}))}));
        }""", [selector, AXE_RULES]))


def describe_violations(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']}: {node.get('target')} — {node.get('summary', '')} — {node.get('html', '')}"
                     for v in violations for node in v["nodes"])
