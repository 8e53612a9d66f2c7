"""The token and the signature key never show: not in reprs, errors, tracebacks or logs."""

from __future__ import annotations

import logging
import traceback
from decimal import Decimal

import pytest

from paycombat_tools import PayCombat, PayCombatError

from .fixtures import FAST_RETRY, SIGNATURE_KEY, TOKEN, client, recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import PAYOUT_KWARGS, PAYOUT_RECORD

SECRETS = (TOKEN, SIGNATURE_KEY)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a credential leaked into: {text[:200]!r}"


def assert_error_hides_secrets(error: BaseException) -> None:
    assert_no_secret(str(error))
    assert_no_secret(repr(error))
    assert_no_secret("".join(traceback.format_exception(error)))
    if isinstance(error, PayCombatError):
        assert_no_secret(repr(vars(error)))


def test_the_client_and_its_config_do_not_show_the_credentials(client: PayCombat) -> None:
    for text in (repr(client), str(client), repr(client.config), str(client.config),
                 repr(client.config.token), repr(client.config.signature_key), f"{client.config.token}",
                 repr(client.payouts), repr(client.payouts.create)):
        assert_no_secret(text)
    assert "<hidden>" in repr(client)


def test_a_401_error_does_not_show_the_credentials(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(Reply.error(401, "Invalid signature"))

    with pytest.raises(PayCombatError) as caught:
        client.payouts.create(**PAYOUT_KWARGS)

    assert_error_hides_secrets(caught.value)


def test_a_500_error_after_retries_does_not_show_the_credentials(
    client: PayCombat, recording_server: RecordingServer
) -> None:
    recording_server.queue(*[Reply.error(500, "boom")] * 3)

    with pytest.raises(PayCombatError) as caught:
        client.payouts.create(**PAYOUT_KWARGS)

    assert_error_hides_secrets(caught.value)


def test_a_network_error_does_not_show_the_credentials(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue_drop(times=3)

    with pytest.raises(PayCombatError) as caught:
        client.payouts.retrieve("po_1")

    assert_error_hides_secrets(caught.value)


def test_invalid_input_errors_do_not_show_the_credentials(client: PayCombat) -> None:
    # values that look like the secrets are passed as input too: the error must not echo inputs
    with pytest.raises(PayCombatError) as caught:
        client.payouts.create(**{**PAYOUT_KWARGS, "sender_amount": 1.5, "description": TOKEN,
                                 "purpose_code": SIGNATURE_KEY, "unexpected": SIGNATURE_KEY})

    assert_error_hides_secrets(caught.value)


def test_nothing_logged_at_debug_shows_the_credentials(
    client: PayCombat, recording_server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    recording_server.queue_drop()
    recording_server.queue(Reply.error(503, "busy", headers={"Retry-After": "0"}),
                           Reply.envelope(PAYOUT_RECORD, message="Created"),
                           Reply.error(401, "Unauthorized"))

    with caplog.at_level(logging.DEBUG):
        client.payouts.create(**PAYOUT_KWARGS, description="first")  # drop, 503, then success: two retries
        with pytest.raises(PayCombatError):
            client.payouts.retrieve("po_1")
        with pytest.raises(PayCombatError):
            client.payouts.create(**{**PAYOUT_KWARGS, "sender_amount": Decimal("1.001")})

    assert any("retrying payouts.create" in record.getMessage() for record in caplog.records)
    assert caplog.records, "expected DEBUG records from the client and urllib3"
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(repr(record.args))
        assert_no_secret(repr(record.__dict__))
    assert_no_secret(caplog.text)


def test_a_secret_cannot_be_pickled(client: PayCombat) -> None:
    import pickle

    with pytest.raises(TypeError):
        pickle.dumps(client.config.token)


def test_the_config_repr_shows_its_settings_but_not_the_credentials(recording_server: RecordingServer) -> None:
    with PayCombat(TOKEN, SIGNATURE_KEY, recording_server.url, retry=FAST_RETRY,
                   paths={"payouts.list": "/custom/payouts"}) as configured:
        assert_no_secret(repr(configured.config))
        assert "/custom/payouts" in repr(configured.config)


def test_a_traceback_with_locals_does_not_show_the_token(client: PayCombat, recording_server: RecordingServer) -> None:
    recording_server.queue(*[Reply.error(500, "boom")] * 3)

    with pytest.raises(PayCombatError) as caught:
        client.payouts.retrieve("po_1")

    with_locals = "".join(traceback.TracebackException.from_exception(caught.value, capture_locals=True).format())
    assert_no_secret(with_locals)
