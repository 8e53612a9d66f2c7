"""The ``--live`` gate: no live tests by default, a reasoned skip without credentials, a refusal without ``snd_``.

These run pytest in a subprocess on ``test_merchant.py`` with a controlled environment (no PAYCOMBAT_*
variables but the ones given); they take no ``target`` themselves, so they run once and never touch the API.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.contract.conftest import LIVE_ENV, live_refusal, live_skip_reason

ROOT = Path(__file__).resolve().parents[2]
PROBE = "tests/contract/test_merchant.py"


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("PAYCOMBAT_")}
    clean["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the dev extra's plugins take ~10 s to load and aren't needed
    return subprocess.run([sys.executable, "-m", "pytest", PROBE, "-p", "no:cacheprovider", "-q", *args],
                          check=False, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_without_live_no_live_parameter_exists() -> None:
    run = _pytest("--collect-only")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "test_merchant_balance[sandbox]" in run.stdout and "[live]" not in run.stdout


def test_live_without_credentials_skips_the_live_target_naming_what_is_missing() -> None:
    run = _pytest("--live", "-rs", PAYCOMBAT_TOKEN="snd_only_the_token")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 1 skipped" in run.stdout
    assert "--live needs PAYCOMBAT_SIGNATURE_KEY, PAYCOMBAT_BASE_URL" in run.stdout


def test_live_with_a_non_sandbox_token_refuses_to_run_anything() -> None:
    run = _pytest("--live", PAYCOMBAT_TOKEN="prod_0123", PAYCOMBAT_SIGNATURE_KEY="k",
                  PAYCOMBAT_BASE_URL="http://127.0.0.1:9")
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.stdout + run.stderr
    assert "refusing to run the contract tests live" in run.stdout and "passed" not in run.stdout
    assert "prod_0123" not in run.stdout + run.stderr  # the token is never printed


@pytest.mark.parametrize(("environ", "skip", "refused"), [
    ({}, True, False),
    ({"PAYCOMBAT_TOKEN": "snd_x", "PAYCOMBAT_SIGNATURE_KEY": "k", "PAYCOMBAT_BASE_URL": "https://api"}, False, False),
    ({"PAYCOMBAT_TOKEN": "snd_x", "PAYCOMBAT_SIGNATURE_KEY": " ", "PAYCOMBAT_BASE_URL": "https://api"}, True, False),
    ({"PAYCOMBAT_TOKEN": "live_x", "PAYCOMBAT_SIGNATURE_KEY": "k", "PAYCOMBAT_BASE_URL": "https://api"}, False, True),
    ({"PAYCOMBAT_TOKEN": "SND_x", "PAYCOMBAT_SIGNATURE_KEY": "k", "PAYCOMBAT_BASE_URL": "https://api"}, False, True),
])
def test_gate_rules(environ: dict[str, str], skip: bool, refused: bool) -> None:
    assert (live_skip_reason(environ) is not None) is skip
    assert (live_refusal(environ) is not None) is refused
    assert set(LIVE_ENV) == {"PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY", "PAYCOMBAT_BASE_URL"}
