"""Payin and payout methods: the lists, and the field rules a method publishes."""

from __future__ import annotations

import re

from paycombat_tools.models.methods import PayinMethod, PayinRequiredFields, PayoutRequiredFields
from tests.contract.conftest import AU_BENEFICIARY, Target


def test_payin_methods_list(target: Target) -> None:
    every = target.client.payin_methods.list()
    assert every, "Get All Payin Method returned no methods"
    assert all(isinstance(method, PayinMethod) and method.payin_method_name for method in every)

    aud = target.client.payin_methods.list(currency="AUD", country="AU")
    names = {method.payin_method_name for method in aud}
    assert "au_bank_npp" in names  # the docs' own example method (Create New Checkout, EVIDENCE S11)
    assert {method.currency for method in aud} == {"AUD"}, "the currency filter returned other currencies"


def test_payin_method_required_fields(target: Target) -> None:
    method = target.client.payin_methods.required_fields("au_bank_npp")
    assert isinstance(method, PayinRequiredFields)
    assert (method.payin_method_name, method.currency) == ("au_bank_npp", "AUD")
    assert isinstance(method.payin_method_param, list)
    for spec in method.payin_method_param:
        assert spec.name
        if spec.regex:
            re.compile(spec.regex)
    if method.min_amount is not None and method.max_amount is not None:
        assert method.min_amount <= method.max_amount


def test_payout_method_required_fields(target: Target) -> None:
    method = target.client.payout_methods.required_fields("au_bank_acct")
    assert isinstance(method, PayoutRequiredFields) and method.payout_method_name == "au_bank_acct"
    groups = method.payout_beneficiary_param
    base = {spec.name: spec for spec in groups.base_param}
    person = {spec.name: spec for spec in groups.individual}
    assert {"bsb", "account_number"} <= set(base), f"base_param names: {sorted(base)}"

    # the beneficiary test_payouts.py sends has every mandatory field, each matching the method's regex
    sent_person = AU_BENEFICIARY["individual"]
    missing = [f"base_param.{name}" for name, spec in base.items() if spec.mandatory and name not in AU_BENEFICIARY]
    missing += [f"individual.{name}" for name, spec in person.items() if spec.mandatory and name not in sent_person]
    assert not missing, f"au_bank_acct requires fields the payout test does not send: {missing}"
    for specs, values in ((base, AU_BENEFICIARY), (person, sent_person)):
        for name, spec in specs.items():
            if spec.regex and name in values:
                assert re.fullmatch(spec.regex, str(values[name])), f"{name}={values[name]!r} fails {spec.regex}"
