"""The pytest plugin from a user's side: a throwaway project whose tests use only the plugin's fixtures,
run by a separate pytest with ``-p paycombat_tools.pytest_plugin`` and through the ``pytest11`` entry point."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from _pytest.config import PytestPluginManager

REPO = Path(__file__).resolve().parents[1]

USER_TESTS = '''
from decimal import Decimal

import pytest

from paycombat_tools import PayoutSuccess


def au_payout(client, amount):
    return client.payouts.create(
        sender_amount=Decimal(amount), sender_currency="AUD", beneficiary_amount=Decimal(amount),
        beneficiary_currency="AUD", payout_method_name="au_bank_acct", purpose_code="SELF",
        payout_beneficiary_param={"bsb": "062-000", "account_number": "12345678",
                                  "individual": {"first_name": "Grace"}})


def test_a_payout_succeeds_and_its_webhook_arrives(paycombat_client, paycombat_webhooks):
    payout = au_payout(paycombat_client, "40.00")
    paycombat_client.payouts.simulate(payout_id=payout.id, status="SUCCESS")
    event = paycombat_webhooks.wait_for("PAYOUT SUCCESS", id=payout.id)
    assert isinstance(event, PayoutSuccess) and event.wire_amount == Decimal("40.00")
    paycombat_webhooks.assert_received("PAYOUT SUCCESS", id=payout.id, count=1)
    assert paycombat_webhooks.rejected == []


def test_a_payin_expires_when_the_clock_passes_it(paycombat_client, paycombat_clock, paycombat_webhooks):
    payin = paycombat_client.payins.create(amount=Decimal("30.00"), currency="AUD", payin_method_name="au_bank_npp")
    assert paycombat_clock.advance(hours=47).expired_payins == []
    paycombat_webhooks.assert_nothing_received("PAYIN EXPIRED")
    assert paycombat_clock.advance(hours=1).expired_payins == [payin.id]
    paycombat_webhooks.assert_received("PAYIN EXPIRED", id=payin.id, count=1)


def test_the_clock_stands_still_until_told(paycombat_sandbox, paycombat_clock):
    start = paycombat_clock.now
    assert paycombat_sandbox.store.now() == start
    paycombat_clock.advance(days=2)
    assert (paycombat_clock.now - start).days == 2


@pytest.mark.parametrize("run", [1, 2])
def test_every_test_gets_a_fresh_sandbox(paycombat_client, run):
    assert paycombat_client.payouts.list().items == []
    au_payout(paycombat_client, "5.00")


@pytest.mark.paycombat(seed=99, va_registration="manual")
def test_the_marker_passes_sandbox_options(paycombat_sandbox, paycombat_client):
    from paycombat_tools.sandbox import Sandbox

    with Sandbox(seed=99) as twin:
        assert paycombat_sandbox.token == twin.token  # same seed, same credentials
    account = paycombat_client.payins.create_virtual_account(
        payin_method_name="KB국민은행", currency="KRW", country="KR", user_name="Hong", user_yymmdd="900101")
    assert account.status == "PENDING"  # manual registration waits


def test_a_failed_wait_says_what_did_arrive(paycombat_client, paycombat_webhooks):
    au_payout(paycombat_client, "7.00")
    with pytest.raises(AssertionError, match="no PAYOUT SUCCESS webhook within 0.2s; received: nothing"):
        paycombat_webhooks.wait_for("PAYOUT SUCCESS", timeout=0.2)
'''

PASSED = "7 passed"


def run_pytest(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """A separate pytest in ``project`` (its own rootdir: none of this repository's settings apply); only the
    plugins named with ``-p`` load (autoloading every plugin of this venv would take seconds)."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("PAYCOMBAT_", "PYTEST_"))},
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--strict-markers", "-p", "no:cacheprovider",
                           *options, "test_payments.py"], cwd=project, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "test_payments.py").write_text(USER_TESTS, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return tmp_path


def test_a_user_project_passes_with_only_the_plugins_fixtures(project: Path) -> None:
    done = run_pytest(project, "-p", "paycombat_tools.pytest_plugin")
    assert PASSED in done.stdout, done.stdout + done.stderr
    without = run_pytest(project)
    assert "'paycombat' not found in `markers` configuration option" in without.stdout  # the plugin registers it


def installed_as(site: Path, entry_point_name: str) -> None:
    """A distribution in ``site`` declaring the plugin under ``entry_point_name`` in ``pytest11``."""
    dist = site / "paycombat_plugin_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: paycombat-plugin-probe\nVersion: 0\n",
                                   encoding="utf-8")
    (dist / "entry_points.txt").write_text(f"[pytest11]\n{entry_point_name} = paycombat_tools.pytest_plugin\n",
                                           encoding="utf-8")


def test_the_entry_point_is_named_after_the_module_so_dash_p_is_the_same_plugin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What pytest does at start-up: entry points (pluggy), then ``-p NAME`` (import_plugin), in a fresh manager."""
    import paycombat_tools.pytest_plugin as plugin

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    [(name, target)] = declared["pytest11"].items()
    assert name == target == plugin.__name__
    installed_as(tmp_path, name)
    monkeypatch.syspath_prepend(str(tmp_path))

    manager = PytestPluginManager()
    assert manager.load_setuptools_entrypoints("pytest11", name=name) == 1
    assert manager.get_plugin(name) is plugin
    manager.import_plugin(plugin.__name__)  # `-p paycombat_tools.pytest_plugin` on top: found, nothing to do

    other = PytestPluginManager()  # under any other name, `-p` would register the module twice and fail
    other.register(plugin, name="paycombat")
    with pytest.raises(ValueError, match="already registered under a different name"):
        other.import_plugin(plugin.__name__)
