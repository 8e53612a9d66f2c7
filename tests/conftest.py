"""Options for the whole suite (pytest reads ``pytest_addoption`` only from the root conftest)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live", action="store_true", default=False,
        help="also run tests/contract against a real PayCombat *sandbox* account: needs PAYCOMBAT_TOKEN "
             "(starting snd_), PAYCOMBAT_SIGNATURE_KEY and PAYCOMBAT_BASE_URL in the environment",
    )
