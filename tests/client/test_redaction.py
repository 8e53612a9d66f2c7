"""The merchant token a checkout_url carries is hidden, and hiding it twice changes nothing."""

from __future__ import annotations

from paycombat_tools.redaction import redact, redact_value, strip_identifier

URL = "https://checkout.paycombat.com/?token=ck_1&identifier=snd_secret"


def test_the_identifier_is_hidden() -> None:
    assert redact(URL) == "https://checkout.paycombat.com/?token=ck_1&identifier=<hidden>"
    assert redact("identifier%3Dsnd_secret") == "identifier%3D<hidden>"


def test_redacting_twice_changes_nothing() -> None:
    once = redact(URL)
    assert redact(once) == once
    assert redact_value({"a": [once]}) == {"a": [once]}


def test_a_link_safe_to_show_has_no_identifier() -> None:
    assert strip_identifier(URL) == "https://checkout.paycombat.com/?token=ck_1"
