"""``paycombat`` as a user runs it: serve a sandbox, listen and forward to an app, trigger outcomes, call
operations; every failure one line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import tomllib
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import import_module

import pytest
import requests

from paycombat_tools import PayoutSuccess, parse_webhook, verify_webhook
from paycombat_tools.models.webhooks import PayinSuccess
from paycombat_tools.sandbox_control import SandboxControl
from tests.cli.conftest import REPO, App, environment
from tests.standalone import Child, StandaloneSandbox

Cli = Callable[..., subprocess.CompletedProcess[str]]
Spawn = Callable[..., Child]


@pytest.fixture
def control(served: StandaloneSandbox) -> Iterator[SandboxControl]:
    with SandboxControl(served.url, served.token) as handle:
        yield handle


def start_listening(spawn: Spawn, served: StandaloneSandbox, forward_to: str, *options: str) -> tuple[Child, str]:
    """``paycombat listen --forward-to URL``, once it says it is ready; returns it and the URL it receives on."""
    listen = spawn("listen", "--forward-to", forward_to, *options, env=environment(served))
    ready = listen.wait_for_line("Press Ctrl-C")
    [url] = re.findall(r"listening on (http://\S+),", "\n".join(ready))
    return listen, url


def triggered_ids(done: subprocess.CompletedProcess[str]) -> dict[str, str]:
    assert done.returncode == 0, done.stderr
    return dict(re.findall(r"^\s+(\w+_id)=(\S+)$", done.stdout, flags=re.MULTILINE))


# -- sandbox serve ---------------------------------------------------------------------------------------------


def test_serve_prints_the_credentials_and_serves_the_api_and_the_control_plane(served: StandaloneSandbox,
                                                                               control: SandboxControl) -> None:
    assert served.token.startswith("snd_") and len(served.key) == 64
    with served.client() as client:
        assert client.merchant.balance("AUD").currency == "AUD"
    assert control.clock().manual is False


# -- trigger -> listen -> the app ------------------------------------------------------------------------------


def test_a_triggered_payout_reaches_the_app_through_listen_verified_and_byte_for_byte(
        served: StandaloneSandbox, cli: Cli, spawn: Spawn, app: App, control: SandboxControl) -> None:
    listen, listener_url = start_listening(spawn, served, app.url)
    assert control.notification_url() == listener_url  # listen registered itself with the sandbox

    ids = triggered_ids(cli("trigger", "payout.success", "--amount", "12.34", env=environment(served)))
    [(headers, body)] = app.wait(1)

    assert verify_webhook(body, headers["X-Signature"], served.key)
    event = parse_webhook(body)
    assert isinstance(event, PayoutSuccess) and event.id == ids["payout_id"] and event.wire_amount == Decimal("12.34")
    [attempt] = [a for a in control.webhooks(wait=5).attempts if a.event_id == headers["X-Webhook-Id"]]
    assert attempt.body.encode() == body and attempt.url == listener_url and attempt.status_code == 200
    assert headers["User-Agent"] == "PayCombat-Sandbox-Webhooks" and headers["Content-Type"] == "application/json"

    line = listen.wait_for_text(ids["payout_id"])
    assert "PAYOUT SUCCESS" in line and "signature ok -> 200 OK" in line and '{"received": true}' in line
    assert listen.stop() == 0
    assert control.notification_url() is None  # given back on exit


def test_listen_shows_the_apps_failure_and_the_sandbox_retries_to_it(
        served: StandaloneSandbox, cli: Cli, spawn: Spawn, app: App, control: SandboxControl) -> None:
    app.answers = [(500, b'{"error": "database is down"}'), (200, b"{}")]
    listen, _ = start_listening(spawn, served, app.url)
    payin_id = triggered_ids(cli("trigger", "payin.success", env=environment(served)))["payin_id"]

    (first_headers, first), (second_headers, second) = app.wait(2)
    assert first == second and first_headers["X-Webhook-Id"] == second_headers["X-Webhook-Id"]
    assert isinstance(parse_webhook(second), PayinSuccess)
    failed = listen.wait_for_text("500 Internal Server Error")
    assert payin_id in failed and "database is down" in failed
    assert payin_id in listen.wait_for_text("-> 200 OK")
    attempts = [a for a in control.webhooks(wait=10).attempts if a.event_id == first_headers["X-Webhook-Id"]]
    assert [(a.attempt, a.status_code, a.delivered) for a in attempts] == [(1, 500, False), (2, 200, True)]


def test_listen_refuses_a_forged_webhook_and_does_not_forward_it(served: StandaloneSandbox, spawn: Spawn,
                                                                 app: App, control: SandboxControl) -> None:
    listen, listener_url = start_listening(spawn, served, app.url, "--no-register")
    assert control.notification_url() is None  # --no-register leaves the sandbox alone
    body = json.dumps({"type": "PAYOUT", "status": "SUCCESS", "id": "forged"}).encode()
    answer = requests.post(listener_url, data=body, headers={"X-Signature": "0" * 64}, timeout=10)
    assert answer.status_code == 401
    assert "signature does not verify: not forwarded" in listen.wait_for_text("forged")
    assert app.received == []


# -- call --------------------------------------------------------------------------------------------------------


def test_call_prints_the_typed_record(served: StandaloneSandbox, cli: Cli, control: SandboxControl) -> None:
    payout_id = control.trigger("payout.failed").ids["payout_id"]
    done = cli("call", "payouts.retrieve", payout_id, env=environment(served))
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["id"], record["status"], record["wire_amount"]) == (payout_id, "FAILED", "40.00")
    assert record["reason_for_failure"]


def test_call_takes_fields_from_json_and_flags_and_hides_the_token(served: StandaloneSandbox, cli: Cli) -> None:
    env = environment(served)
    customer = cli("call", "customers.create", "--json", "-", "-f", "individual.last_name=Tan",
                   "-f", "organization_reference_id:=4242", env=env,
                   stdin=json.dumps({"description": "CLI customer", "type": "individual",
                                     "individual": {"first_name": "Ada", "address_country": "AU"}}))
    assert customer.returncode == 0, customer.stderr
    created = json.loads(customer.stdout)
    assert created["individual"]["last_name"] == "Tan" and created["organization_reference_id"] == "4242"

    checkout = cli("call", "checkouts.create_payment_request", "-f", "amount=25.00", "-f", "currency=AUD",
                   "-f", "country_code=AU", env=env)
    assert checkout.returncode == 0, checkout.stderr
    assert json.loads(checkout.stdout)["checkout_url"].endswith("&identifier=<hidden>")
    assert served.token not in checkout.stdout + checkout.stderr and served.key not in checkout.stdout


def test_call_saves_a_pdf_only_where_told(served: StandaloneSandbox, cli: Cli, control: SandboxControl,
                                          tmp_path: object) -> None:
    payout_id = control.trigger("payout.success").ids["payout_id"]
    refused = cli("call", "payouts.memo", payout_id, env=environment(served))
    assert refused.returncode == 1 and "pass --output FILE" in refused.stderr
    saved = cli("call", "payouts.memo", payout_id, "--output", "memo.pdf", env=environment(served))
    assert saved.returncode == 0 and "saved" in saved.stdout


def test_trigger_json_is_for_scripts(served: StandaloneSandbox, cli: Cli) -> None:
    done = cli("trigger", "va.registered", "--json", env=environment(served))
    answer = json.loads(done.stdout)
    assert answer["event"] == "va.registered" and answer["record"]["status"] == "APPROVED"
    assert set(answer["ids"]) == {"virtual_account_id"}


# -- failures: one line, non-zero ---------------------------------------------------------------------------------


def busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize(("args", "env", "code", "says"), [
    (["call", "payouts.retrive", "x"], "sandbox", 1, "did you mean payouts.retrieve"),
    (["call", "payouts.retrieve", "no-such-payout"], "sandbox", 1, "not found (HTTP 404, payouts.retrieve"),
    (["call", "customers.create", "-f", "description=x"], "sandbox", 1, "type: Field required"),
    (["call", "payouts.create", "-f", "sender_amount"], "sandbox", 2, "is not NAME=VALUE"),
    (["call", "payouts.create", "-f", "sender_amount=1"], "live", 1, "moves money"),
    (["trigger", "payout.success"], "none", 1, "missing PAYCOMBAT_TOKEN and PAYCOMBAT_SIGNATURE_KEY"),
    (["trigger", "payout.success"], "real-api", 1, "is the real API"),
    (["trigger", "payout.success", "--currency", "EUR"], "sandbox", 1, "no payout method pays EUR"),
    (["trigger", "payout.sucess"], "sandbox", 2, "'payout.sucess' is not one of"),
    (["listen", "--forward-to", "ftp://app"], "sandbox", 2, "must be an http:// or https:// URL"),
    (["sandbox", "serve", "--port", "BUSY"], "none", 1, "Address already in use"),
    (["approvals"], "none", 1, "needs a command: list, show, approve or reject"),
    (["nonsense"], "none", 2, "No such command 'nonsense'"),
], ids=["unknown-operation", "api-404", "api-422", "bad-field", "live-money-without-yes", "no-credentials",
        "real-api", "api-refusal", "unknown-event", "bad-url", "port-in-use", "approvals-without-command", "unknown-command"])
def test_a_failure_is_one_line_on_stderr_and_a_non_zero_exit(served: StandaloneSandbox, cli: Cli, args: list[str],
                                                             env: str, code: int, says: str) -> None:
    environments = {"sandbox": environment(served), "none": environment(),
                    "live": environment(served, PAYCOMBAT_TOKEN="live_0123456789"),
                    "real-api": environment(served, PAYCOMBAT_BASE_URL="https://api.paycombat.com")}
    with busy_port() as taken:
        args = [str(taken.getsockname()[1]) if arg == "BUSY" else arg for arg in args]
        done = cli(*args, env=environments[env])
    assert done.returncode == code, (done.stdout, done.stderr)
    [line] = done.stderr.splitlines()
    assert line.startswith("paycombat: error: ") and says in line, line
    assert "Traceback" not in done.stderr and served.key not in done.stderr


# -- help, and how it is installed ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["sandbox"], ["sandbox", "serve"], ["listen"], ["trigger"], ["call"],
                                     ["approvals"]], ids=lambda command: " ".join(command) or "paycombat")
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from paycombat_tools.cli import main

    with pytest.raises(SystemExit) as finished:
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert finished.value.code == 0 and out.startswith(f"Usage: paycombat {' '.join(command)}".rstrip())
    assert "Options:" in out and "-h, --help" in out


def test_call_lists_every_operation(capsys: pytest.CaptureFixture[str]) -> None:
    from paycombat_tools.catalog import CATALOG
    from paycombat_tools.cli import main

    with pytest.raises(SystemExit):
        main(["call", "--list"])
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == list(CATALOG)
    assert "payouts.retrieve                           GET    <payout_id>" in listed


def test_the_console_script_and_the_pytest_entry_point_are_declared() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"paycombat": "paycombat_tools.cli:main"}
    module, _, name = project["scripts"]["paycombat"].partition(":")
    assert callable(getattr(import_module(module), name))
    plugins = project["entry-points"]["pytest11"]
    assert plugins == {"paycombat_tools.pytest_plugin": "paycombat_tools.pytest_plugin"}  # name == module: one plugin
    assert {"click>=8.1", "rich>=13"} <= set(project["optional-dependencies"]["cli"])
    assert "cli" in project["optional-dependencies"]["all"][0]
