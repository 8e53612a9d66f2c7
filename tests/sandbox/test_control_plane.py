"""The control plane over HTTP (``/_sandbox/``, X-token): reset to the seed, clock, faults, triggers, webhook log.

These tests use the pytest plugin's fixtures (``paycombat_sandbox``, ``paycombat_client``,
``paycombat_webhooks``, ``paycombat_clock``) and drive the control plane through ``SandboxControl``,
i.e. real HTTP on loopback, as any other language would.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import requests

from paycombat_tools import (AuthenticationError, ConfigurationError, InsufficientFundsError, NotFoundError,
                             PayCombat, ServerError, ValidationError)
from paycombat_tools.models.webhooks import PayinExpired, PayoutReturned, VaRegistered
from paycombat_tools.sandbox import ManualClock, Sandbox
from paycombat_tools.sandbox_control import SandboxControl
from paycombat_tools.testing import SandboxClock, WebhookInbox
from paycombat_tools.webhook_listener import WebhookListener
from tests.sandbox.helpers import au_payout, state_snapshot

START = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def control(paycombat_sandbox: Sandbox) -> Iterator[SandboxControl]:
    with SandboxControl(paycombat_sandbox.url, paycombat_sandbox.token) as handle:
        yield handle


def post(sandbox: Sandbox, path: str, body: bytes | None = None, token: str | None = None,
         content_type: str = "application/json", method: str = "POST") -> requests.Response:
    headers = {"X-token": sandbox.token if token is None else token, "Content-Type": content_type}
    return requests.request(method, sandbox.url + path, data=body, headers=headers, timeout=10)


# -- reset -------------------------------------------------------------------------------------------------


@pytest.mark.paycombat(seed=42, start=START)
def test_reset_gives_the_ids_and_records_of_a_fresh_sandbox_with_the_same_seed(
        paycombat_sandbox: Sandbox, control: SandboxControl) -> None:
    before = state_snapshot(paycombat_sandbox)
    token, key = paycombat_sandbox.token, paycombat_sandbox.signature_key
    control.trigger("payout.success")
    control.trigger("payin.expired")
    control.advance_clock(3600)

    done = control.reset()
    assert (done.seed, done.demo, done.now) == (42, False, "2026-04-01T09:00:00.000Z")
    assert state_snapshot(paycombat_sandbox) == before  # every record, balance and count as at the start
    assert (paycombat_sandbox.token, paycombat_sandbox.signature_key) == (token, key)
    after_reset = control.trigger("payout.success")

    with Sandbox(seed=42, clock=ManualClock(START)) as fresh, SandboxControl(fresh.url, fresh.token) as other:
        first = other.trigger("payout.success")
    assert after_reset.ids == first.ids and after_reset.record == first.record


def test_reset_empties_the_webhook_log_restores_faults_and_keeps_the_notification_url(
        paycombat_sandbox: Sandbox, control: SandboxControl, paycombat_webhooks: WebhookInbox) -> None:
    control.trigger("payin.success")
    paycombat_webhooks.wait_for("PAYIN SUCCESS")
    control.set_faults(plan={"payouts.create": ["error"]}, error_rate=0.25)
    assert control.webhooks(wait=5).attempts

    control.reset()
    assert control.webhooks().attempts == []
    faults = control.faults()
    assert (faults.planned, faults.error_rate) == ({}, 0.0)
    assert control.notification_url() == paycombat_webhooks.url
    control.trigger("payin.success")
    assert len(paycombat_webhooks.assert_received("PAYIN SUCCESS", count=2)) == 2  # one before, one after


@pytest.mark.paycombat(webhook_backoff=(0.5, 0.5, 0.5))
def test_reset_drops_the_deliveries_and_retries_still_queued(control: SandboxControl) -> None:
    control.set_notification_url("http://127.0.0.1:9/nothing-listens-here")
    control.trigger("payin.success")  # its first attempt fails; three retries wait 0.5 s each
    control.reset()
    log = control.webhooks(wait=5)
    assert log.idle and log.attempts == []  # nothing from before the reset turns up after it


@pytest.mark.paycombat(demo=True, seed=3)
def test_reset_rebuilds_the_demo_data(paycombat_sandbox: Sandbox, paycombat_client: PayCombat,
                                      control: SandboxControl) -> None:
    customers = [c.customer_id for c in paycombat_client.customers.list(limit=100).items]
    paycombat_client.customers.create(description="added by the test", type="individual",
                                      individual={"first_name": "Ada", "last_name": "Tan", "address_country": "AU"})
    assert control.reset().demo is True
    assert [c.customer_id for c in paycombat_client.customers.list(limit=100).items] == customers


# -- clock -------------------------------------------------------------------------------------------------


@pytest.mark.paycombat(start=START)
def test_advancing_the_clock_expires_a_payin_at_once_and_sends_payin_expired(
        paycombat_client: PayCombat, control: SandboxControl, paycombat_webhooks: WebhookInbox) -> None:
    payin = paycombat_client.payins.create(amount=Decimal("30.00"), currency="AUD", payin_method_name="au_bank_npp")
    assert control.clock().now == "2026-04-01T09:00:00.000Z" and control.clock().manual is True

    early = control.advance_clock(172799)
    assert early.expired_payins == [] and early.offset_seconds == 172799
    moved = control.advance_clock(1)
    assert moved.expired_payins == [payin.id] and moved.now == "2026-04-03T09:00:00.000Z"
    event = paycombat_webhooks.wait_for("PAYIN EXPIRED", id=payin.id)  # sent by the advance, no request needed
    assert isinstance(event, PayinExpired) and event.amount == Decimal("30.00")


def test_a_real_time_sandbox_advances_by_an_offset() -> None:
    with Sandbox(seed=1) as sandbox, SandboxControl(sandbox.url, sandbox.token) as control:
        assert control.clock().manual is False
        before = datetime.fromisoformat(control.clock().now)
        moved = control.advance_clock(86400 * 3)
        assert moved.offset_seconds == 86400 * 3
        assert (datetime.fromisoformat(moved.now) - before).days == 3
        with sandbox.client() as client:
            payin = client.payins.create(amount=Decimal("5.00"), currency="AUD", payin_method_name="au_bank_npp")
        assert payin.created_at >= before + timedelta(days=3)
        control.reset()
        assert control.clock().offset_seconds == 0


def test_the_plugin_clock_advances_and_reports_what_expired(paycombat_client: PayCombat,
                                                            paycombat_clock: SandboxClock) -> None:
    start = paycombat_clock.now
    checkout = paycombat_client.checkouts.create_payment_request(
        amount=Decimal("10.00"), currency="AUD", country_code="AU", expire_at=int(start.timestamp()) + 60)
    moved = paycombat_clock.advance(minutes=2)
    assert moved.expired_checkouts == [checkout.id]
    assert paycombat_clock.now - start == (datetime.fromisoformat(moved.now) - start)
    assert paycombat_client.checkouts.retrieve(checkout.id).status == "EXPIRED"


@pytest.mark.parametrize(("body", "field"), [
    (b'{"seconds": 0}', "seconds"), (b'{"seconds": -5}', "seconds"), (b'{"seconds": "soon"}', "seconds"),
    (b'{"seconds": 1e300}', "seconds"), (b'{}', "seconds"), (b'{"seconds": 60, "minutes": 1}', "minutes"),
], ids=["zero", "negative", "text", "huge", "missing", "unknown-field"])
def test_a_bad_advance_is_a_422_naming_the_field_and_moves_nothing(paycombat_sandbox: Sandbox,
                                                                   control: SandboxControl, body: bytes,
                                                                   field: str) -> None:
    before = control.clock()
    answer = post(paycombat_sandbox, "/_sandbox/clock/advance", body)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field
    assert control.clock() == before


# -- faults ------------------------------------------------------------------------------------------------


def test_planned_faults_hit_the_next_calls_of_that_operation_only(paycombat_sandbox: Sandbox,
                                                                  control: SandboxControl) -> None:
    state = control.set_faults(plan={"merchant.balance": ["error", "rate_limit"]}, retry_after=0)
    assert state.planned == {"merchant.balance": ["error", "rate_limit"]}
    with paycombat_sandbox.client(max_retries=0) as client:
        with pytest.raises(ServerError):
            client.merchant.balance("AUD")
        client.payin_methods.list()  # another operation is untouched
        with pytest.raises(Exception, match="Too many requests"):
            client.merchant.balance("AUD")
        assert client.merchant.balance("AUD").currency == "AUD"
    assert control.faults().planned == {}


def test_fault_rates_apply_to_the_named_operations_until_cleared(paycombat_sandbox: Sandbox,
                                                                 control: SandboxControl) -> None:
    control.set_faults(error_rate=1, operations=["merchant.balance"])
    with paycombat_sandbox.client(max_retries=0) as client:
        with pytest.raises(ServerError):
            client.merchant.balance("AUD")
        client.payin_methods.list()
        cleared = control.clear_faults()
        assert (cleared.error_rate, cleared.operations) == (0.0, None)
        assert client.merchant.balance("AUD").currency == "AUD"


def test_fault_settings_are_checked_whole_before_any_applies(control: SandboxControl) -> None:
    before = control.faults()
    with pytest.raises(ValidationError) as caught:
        control.set_faults(plan={"payouts.create": ["error"], "payouts.crate": ["error"]}, error_rate=2)
    fields = {problem["field"] for problem in caught.value.body["errors"]}
    assert fields == {"plan", "error_rate"} and "payouts.crate" in str(caught.value)
    with pytest.raises(ValidationError, match="plan"):
        control.set_faults(plan={"payouts.create": ["explode"]})
    assert control.faults() == before


# -- triggers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("event", "names", "record_status"), [
    ("payout.success", ["PAYOUT SUCCESS"], "SUCCESS"),
    ("payout.failed", ["PAYOUT FAILED"], "FAILED"),
    ("payout.returned", ["PAYOUT SUCCESS", "PAYOUT RETURNED"], "RETURNED"),
    ("payin.success", ["PAYIN SUCCESS"], "SUCCESS"),
    ("payin.expired", ["PAYIN EXPIRED"], "EXPIRED"),
    ("va.registered", ["VA APPROVED"], "APPROVED"),
])
def test_each_trigger_drives_its_outcome_and_its_webhooks_arrive_verified(
        control: SandboxControl, paycombat_webhooks: WebhookInbox, paycombat_client: PayCombat,
        event: str, names: list[str], record_status: str) -> None:
    triggered = control.trigger(event)
    assert triggered.webhooks == names and triggered.webhook_url == paycombat_webhooks.url
    assert triggered.record["status"] == record_status
    [record_id] = triggered.ids.values()
    for name in names:
        paycombat_webhooks.assert_received(name, id=record_id, count=1)
    assert paycombat_webhooks.rejected == []
    if event.startswith("payout"):
        assert paycombat_client.payouts.retrieve(record_id).status == record_status


def test_payout_returned_puts_the_amount_back_in_the_payout_wallet(paycombat_sandbox: Sandbox,
                                                                   control: SandboxControl,
                                                                   paycombat_webhooks: WebhookInbox) -> None:
    wallet = paycombat_sandbox.org_wallet_id("payout")
    before = paycombat_sandbox.balance(wallet, "SGD")
    triggered = control.trigger("payout.returned", amount="12.50", currency="SGD")
    assert triggered.record["wire_amount"] == 12.5 and triggered.record["currency"] == "SGD"
    event = paycombat_webhooks.wait_for("PAYOUT RETURNED")
    assert isinstance(event, PayoutReturned) and event.wire_amount == Decimal("12.50")
    assert paycombat_sandbox.balance(wallet, "SGD") == (before[0] - 1, before[1] - 1)  # only the fee is gone
    paycombat_sandbox.check_ledger()


@pytest.mark.paycombat(va_registration="manual")
def test_va_registered_decides_a_waiting_registration_and_krw_payins_use_one(
        control: SandboxControl, paycombat_webhooks: WebhookInbox) -> None:
    registered = control.trigger("va.registered")
    assert registered.record["status"] == "APPROVED" and registered.record["account_number"]
    assert isinstance(paycombat_webhooks.wait_for("VA APPROVED"), VaRegistered)
    paid = control.trigger("payin.success", currency="KRW", amount=5000)
    assert paid.webhooks == ["VA APPROVED", "PAYIN SUCCESS"]
    assert paid.record["payer_id"] == paid.ids["virtual_account_id"]


def test_a_trigger_with_its_own_webhook_url_sends_there(paycombat_sandbox: Sandbox, control: SandboxControl,
                                                        paycombat_webhooks: WebhookInbox) -> None:
    with WebhookInbox(paycombat_sandbox) as elsewhere:  # now the notification URL...
        paycombat_sandbox.notification_url = None      # ...until cleared: only the trigger's URL is left
        triggered = control.trigger("payout.success", webhook_url=elsewhere.url)
        assert elsewhere.wait_for("PAYOUT SUCCESS", id=triggered.ids["payout_id"])
    paycombat_webhooks.assert_nothing_received()


def test_without_a_webhook_target_a_trigger_says_none_was_sent(control: SandboxControl) -> None:
    triggered = control.trigger("payin.success")
    assert (triggered.webhooks, triggered.webhook_url) == ([], None)
    assert control.webhooks(wait=5).attempts == []


@pytest.mark.parametrize(("fields", "field"), [
    ({"event": "payout.sucess"}, "event"),
    ({"event": "payout.success", "currency": "EUR"}, "currency"),
    ({"event": "payout.success", "currency": "XYZ"}, "currency"),
    ({"event": "payout.success", "amount": "1.234"}, "amount"),
    ({"event": "va.registered", "currency": "AUD"}, "currency"),
    ({"event": "payout.success", "webhook_url": "ftp://x"}, "webhook_url"),
], ids=["unknown-event", "no-eur-payout-method", "not-iso", "too-many-decimals", "va-not-krw", "not-http"])
def test_a_bad_trigger_is_a_422_naming_the_field_and_creates_nothing(
        paycombat_sandbox: Sandbox, control: SandboxControl, fields: dict[str, Any], field: str) -> None:
    before = state_snapshot(paycombat_sandbox)
    with pytest.raises(ValidationError) as caught:
        control.trigger(**fields)
    assert caught.value.status == 422
    assert field in {problem["field"] for problem in caught.value.body["errors"]}, caught.value.body
    assert state_snapshot(paycombat_sandbox) == before


def test_a_payout_the_wallet_cannot_cover_is_refused_like_the_api_does(paycombat_sandbox: Sandbox,
                                                                      control: SandboxControl) -> None:
    before = state_snapshot(paycombat_sandbox)
    with pytest.raises(InsufficientFundsError, match="1000000.00 AUD needed"):
        control.trigger("payout.success", amount="999999.00")
    assert state_snapshot(paycombat_sandbox) == before


# -- the webhook log and the notification URL ---------------------------------------------------------------


def test_the_webhook_log_filters_by_event_and_delivery(paycombat_sandbox: Sandbox, control: SandboxControl,
                                                       paycombat_webhooks: WebhookInbox) -> None:
    control.trigger("payout.returned")
    log = control.webhooks(wait=5)
    assert log.idle and [a.event_type for a in log.attempts] == ["PAYOUT SUCCESS", "PAYOUT RETURNED"]
    returned = control.webhooks(event_type="PAYOUT RETURNED", delivered=True)
    [attempt] = returned.attempts
    assert attempt.status_code == 200 and attempt.url == paycombat_webhooks.url
    assert paycombat_webhooks.wait_for("PAYOUT RETURNED").id in attempt.body
    assert control.webhooks(delivered=False).attempts == []


def test_a_failing_receiver_shows_in_the_log_with_each_retry(paycombat_sandbox: Sandbox,
                                                             control: SandboxControl) -> None:
    control.set_notification_url("http://127.0.0.1:9/nothing-listens-here")
    control.trigger("payin.success")
    log = control.webhooks(wait=10)
    assert log.idle and [a.attempt for a in log.attempts] == [1, 2, 3, 4]  # the plugin's three fast retries
    assert all(not a.delivered and a.error for a in log.attempts)


def test_the_notification_url_is_set_and_cleared(paycombat_sandbox: Sandbox, control: SandboxControl) -> None:
    assert control.notification_url() is None
    assert control.set_notification_url("http://127.0.0.1:4242/hooks") == "http://127.0.0.1:4242/hooks"
    assert paycombat_sandbox.notification_url == "http://127.0.0.1:4242/hooks"
    assert control.set_notification_url(None) is None
    with pytest.raises(ValidationError, match="notification_url"):
        control.set_notification_url("javascript:alert(1)")


# -- the plumbing: token, routes, bodies ------------------------------------------------------------------------


def test_every_control_route_needs_the_sandbox_token(paycombat_sandbox: Sandbox) -> None:
    with SandboxControl(paycombat_sandbox.url, "snd_" + "0" * 32) as stranger:
        with pytest.raises(AuthenticationError, match="X-token"):
            stranger.reset()
        with pytest.raises(AuthenticationError):
            stranger.webhooks()
    answer = requests.get(paycombat_sandbox.url + "/_sandbox/clock", timeout=10)
    assert answer.status_code == 401 and answer.json() == {
        "status": False, "message": "Unauthenticated: the control plane needs the sandbox's X-token", "data": None}


def test_unknown_routes_methods_and_bodies_are_refused_in_the_envelope(paycombat_sandbox: Sandbox,
                                                                       control: SandboxControl) -> None:
    assert post(paycombat_sandbox, "/_sandbox/rewind", b"{}").status_code == 404
    assert post(paycombat_sandbox, "/_sandbox/clock", b"{}").status_code == 405
    assert post(paycombat_sandbox, "/_sandbox/reset", b'{"seed": 9}').status_code == 422  # reset takes no body
    assert post(paycombat_sandbox, "/_sandbox/trigger", b"[]").status_code == 400
    assert post(paycombat_sandbox, "/_sandbox/trigger", b"{nope").status_code == 400
    assert post(paycombat_sandbox, "/_sandbox/trigger", b'{"event": "payin.success"}',
                content_type="text/plain").status_code == 406
    surrogate = post(paycombat_sandbox, "/_sandbox/trigger", b'{"event": "payin.success", "webhook_url": '
                                                             b'"http://x/\\ud800"}')
    assert surrogate.status_code == 422
    unknown_query = requests.get(paycombat_sandbox.url + "/_sandbox/webhooks?limit=5",
                                 headers={"X-token": paycombat_sandbox.token}, timeout=10)
    assert unknown_query.status_code == 422 and unknown_query.json()["errors"][0]["field"] == "limit"
    with pytest.raises(NotFoundError):
        SandboxControl(paycombat_sandbox.url + "/nowhere", paycombat_sandbox.token).clock()


def test_the_control_client_says_when_the_url_is_not_a_sandbox(paycombat_sandbox: Sandbox) -> None:
    with WebhookListener(paycombat_sandbox.signature_key) as not_a_sandbox:  # answers, but not in the envelope
        with pytest.raises(ServerError, match="without the sandbox's envelope"):
            SandboxControl(not_a_sandbox.url.removesuffix("/webhooks"), paycombat_sandbox.token).reset()


def test_control_plane_calls_are_not_subject_to_injected_faults(paycombat_sandbox: Sandbox,
                                                                control: SandboxControl) -> None:
    control.set_faults(error_rate=1)
    assert control.trigger("payout.success").record["status"] == "SUCCESS"  # faults are for the API's operations
    assert control.clear_faults().error_rate == 0.0


def test_the_api_keeps_working_alongside(paycombat_client: PayCombat, control: SandboxControl) -> None:
    triggered = control.trigger("payout.failed")
    payout = paycombat_client.payouts.retrieve(triggered.ids["payout_id"])
    assert payout.status == "FAILED" and payout.reason_for_failure
    assert au_payout(paycombat_client, "5.00").status == "PENDING"


def test_the_control_client_reads_the_environment(paycombat_sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("PAYCOMBAT_BASE_URL", paycombat_sandbox.url)
    monkeypatch.setenv("PAYCOMBAT_TOKEN", paycombat_sandbox.token)
    monkeypatch.setenv("PAYCOMBAT_SIGNATURE_KEY", paycombat_sandbox.signature_key)
    with SandboxControl.from_env() as control:
        assert control.clock().manual is True
        assert "token=<hidden>" in repr(control) and paycombat_sandbox.token not in repr(control)
    monkeypatch.setenv("PAYCOMBAT_BASE_URL", "https://api.paycombat.com")
    with pytest.raises(ConfigurationError, match="no control plane"):
        SandboxControl.from_env()
