"""Webhook delivery: signed with X-Signature, retried with backoff, every attempt recorded."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from paycombat_tools import PayCombat, SignatureError, parse_webhook, verify_webhook
from paycombat_tools.models.webhooks import PayinSuccess, PayoutSuccess
from paycombat_tools.sandbox import Sandbox
from paycombat_tools.testing import WebhookInbox
from paycombat_tools.webhook_listener import WebhookListener
from tests.sandbox.helpers import Recorder, au_payout

BACKOFF = (0.05, 0.05, 0.05)


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_deliveries_carry_a_verifiable_x_signature(sandbox: Sandbox, client: PayCombat, recorder: Recorder) -> None:
    payin = client.payins.create(amount=Decimal("64.00"), currency="AUD", payin_method_name="au_bank_npp",
                                 webhook_url=recorder.url)
    client.payins.simulate(payin_id=payin.id, status="SUCCESS")
    [(headers, body)] = recorder.wait(1)

    assert headers["Content-Type"] == "application/json" and headers["X-Webhook-Id"].startswith("webhook_")
    assert verify_webhook(body, headers["X-Signature"], sandbox.signature_key)
    assert not verify_webhook(body, headers["X-Signature"], "0" * 64)
    assert not verify_webhook(body.replace(b"64", b"46"), headers["X-Signature"], sandbox.signature_key)
    assert not verify_webhook(body, None, sandbox.signature_key)

    event = parse_webhook(body, header_signature=headers["X-Signature"], signature_key=sandbox.signature_key)
    assert isinstance(event, PayinSuccess) and event.id == payin.id and event.amount == Decimal("64.00")
    with pytest.raises(SignatureError):
        parse_webhook(body, header_signature="bad", signature_key=sandbox.signature_key)

    sandbox.wait_for_webhooks()
    [attempt] = sandbox.webhook_attempts()
    assert (attempt["event_type"], attempt["attempt"], attempt["status_code"], attempt["delivered"]) == (
        "PAYIN SUCCESS", 1, 204, True)
    assert attempt["event_id"] == headers["X-Webhook-Id"] and attempt["body"].encode() == body


def test_notification_url_is_the_default_target(make_sandbox: Callable[..., Sandbox],
                                                make_client: Callable[..., PayCombat], recorder: Recorder) -> None:
    sandbox = make_sandbox(notification_url=recorder.url)
    client = make_client(sandbox)
    payout = au_payout(client, "5.00")
    client.payouts.simulate(payout_id=payout.id)
    [(headers, body)] = recorder.wait(1)
    event = parse_webhook(body, header_signature=headers["X-Signature"], signature_key=sandbox.signature_key)
    assert isinstance(event, PayoutSuccess) and event.id == payout.id


def test_a_record_with_its_own_webhook_url_does_not_go_to_the_notification_url(
        paycombat_client: PayCombat, paycombat_webhooks: WebhookInbox, recorder: Recorder) -> None:
    """With the plugin's inbox as the notification URL: only records that name no webhook_url come to it."""
    own = paycombat_client.payins.create(amount=Decimal("8.00"), currency="AUD", payin_method_name="au_bank_npp",
                                         webhook_url=recorder.url)
    default = paycombat_client.payins.create(amount=Decimal("9.00"), currency="AUD", payin_method_name="au_bank_npp")
    for payin in (own, default):
        paycombat_client.payins.simulate(payin_id=payin.id, status="SUCCESS")
    [(_, body)] = recorder.wait(1)
    assert parse_webhook(body).id == own.id
    paycombat_webhooks.assert_received("PAYIN SUCCESS", id=default.id, count=1)
    paycombat_webhooks.assert_nothing_received(id=own.id)


def test_failing_receiver_gets_the_event_on_the_third_attempt(make_sandbox: Callable[..., Sandbox],
                                                              make_client: Callable[..., PayCombat]) -> None:
    sandbox = make_sandbox(webhook_backoff=BACKOFF)
    client = make_client(sandbox)
    with WebhookListener(sandbox.signature_key, fail_first=2) as listener:
        payin = client.payins.create(amount=Decimal("10.00"), currency="AUD", payin_method_name="au_bank_npp",
                                     webhook_url=listener.url)
        client.payins.simulate(payin_id=payin.id)
        event = listener.wait_for(lambda e: e.id == payin.id, timeout=5)
        assert event.status == "SUCCESS" and len(listener.events) == 1
        assert sandbox.wait_for_webhooks(timeout=5)

    attempts = sandbox.webhook_attempts()
    assert [(a["attempt"], a["status_code"], a["delivered"]) for a in attempts] == [
        (1, 503, False), (2, 503, False), (3, 200, True)]
    assert len({a["event_id"] for a in attempts}) == 1 and len({a["body"] for a in attempts}) == 1


def test_unreachable_url_is_retried_then_given_up(make_sandbox: Callable[..., Sandbox],
                                                  make_client: Callable[..., PayCombat]) -> None:
    sandbox = make_sandbox(webhook_backoff=BACKOFF)
    client = make_client(sandbox)
    dead = f"http://127.0.0.1:{free_port()}/hooks"
    payout = au_payout(client, "7.00", webhook_url=dead)
    client.payouts.simulate(payout_id=payout.id, status="FAILED")
    assert sandbox.wait_for_webhooks(timeout=5)
    time.sleep(0.2)  # longer than any backoff: nothing more is coming

    attempts = sandbox.webhook_attempts()
    assert [a["attempt"] for a in attempts] == [1, 2, 3, 4] == list(range(1, len(BACKOFF) + 2))
    assert all(a["url"] == dead and not a["delivered"] and a["status_code"] is None and a["error"]
               for a in attempts)
    assert {a["event_type"] for a in attempts} == {"PAYOUT FAILED"}
    assert client.payouts.retrieve(payout.id).status == "FAILED"  # delivery trouble never undoes the payout


def test_webhook_log_page_lists_attempts(sandbox: Sandbox, client: PayCombat, listener: WebhookListener) -> None:
    import requests

    payin = client.payins.create(amount=Decimal("3.00"), currency="AUD", payin_method_name="au_bank_npp",
                                 webhook_url=listener.url)
    client.payins.simulate(payin_id=payin.id, status="FAILED")
    sandbox.wait_for_webhooks()
    page = requests.get(f"{sandbox.url}/sandbox/webhooks", headers={"X-token": sandbox.token}, timeout=5).json()
    assert [a["event_type"] for a in page["data"]] == ["PAYIN FAILED"]
    assert requests.get(f"{sandbox.url}/sandbox/webhooks", timeout=5).status_code == 401
