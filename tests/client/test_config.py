"""``PayCombat.from_env``: the environment, then a ``.env`` file; the environment wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paycombat_tools import ConfigurationError, PayCombat

from .fixtures import recording_server  # noqa: F401
from .recording_server import RecordingServer, Reply
from .samples import RECORDS

ENV_TOKEN, ENV_KEY, ENV_URL = "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY", "PAYCOMBAT_BASE_URL"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No PAYCOMBAT_* variable from the machine running the tests."""
    for name in list(os.environ):
        if name.startswith("PAYCOMBAT_"):
            monkeypatch.delenv(name)
    return monkeypatch


def write_env(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_from_env_reads_the_environment(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                        recording_server: RecordingServer) -> None:
    clean_env.setenv(ENV_TOKEN, "snd_env_token")
    clean_env.setenv(ENV_KEY, "env-signature-key")
    clean_env.setenv(ENV_URL, recording_server.url)
    recording_server.queue(Reply.envelope(RECORDS["MerchantBalance"]))

    with PayCombat.from_env(dotenv=tmp_path / ".env") as client:  # no such file: environment only
        client.merchant.balance("AUD")

    assert client.config.token.reveal() == "snd_env_token"
    assert client.config.signature_key.reveal() == "env-signature-key"
    assert recording_server.last.headers["X-token"] == "snd_env_token"  # really used on the wire


def test_from_env_reads_a_dotenv_file(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                      recording_server: RecordingServer) -> None:
    dotenv = write_env(tmp_path / ".env", (
        "# PayCombat sandbox\n"
        "\n"
        f'PAYCOMBAT_TOKEN="snd_file_token"\n'
        "export PAYCOMBAT_SIGNATURE_KEY='file-signature-key'\n"
        f"PAYCOMBAT_BASE_URL = {recording_server.url}\n"
        "UNRELATED=1\n"
    ))
    recording_server.queue(Reply.envelope(RECORDS["MerchantBalance"]))

    with PayCombat.from_env(dotenv=dotenv) as client:
        client.merchant.balance("AUD")

    assert client.config.token.reveal() == "snd_file_token"
    assert client.config.signature_key.reveal() == "file-signature-key"
    assert client.config.base_url == recording_server.url
    assert recording_server.last.headers["X-token"] == "snd_file_token"


def test_the_environment_wins_over_the_dotenv_file(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dotenv = write_env(tmp_path / ".env", (
        "PAYCOMBAT_TOKEN=snd_file_token\n"
        "PAYCOMBAT_SIGNATURE_KEY=file-signature-key\n"
        "PAYCOMBAT_BASE_URL=http://file.example\n"
    ))
    clean_env.setenv(ENV_TOKEN, "snd_env_token")
    clean_env.setenv(ENV_URL, "http://env.example/")

    client = PayCombat.from_env(dotenv=dotenv)

    assert client.config.token.reveal() == "snd_env_token"  # from the environment
    assert client.config.signature_key.reveal() == "file-signature-key"  # only in the file
    assert client.config.base_url == "http://env.example"


def test_the_base_url_defaults_to_production(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv(ENV_TOKEN, "snd_env_token")
    clean_env.setenv(ENV_KEY, "env-signature-key")

    client = PayCombat.from_env(dotenv=tmp_path / ".env")

    assert client.config.base_url == "https://api.paycombat.com"


def test_options_pass_through_from_env(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv(ENV_TOKEN, "snd_env_token")
    clean_env.setenv(ENV_KEY, "env-signature-key")

    client = PayCombat.from_env(dotenv=tmp_path / ".env", timeout=3.5, paths={"payouts.list": "/p"})

    assert client.config.timeout == 3.5 and client.config.paths == {"payouts.list": "/p"}


def test_a_missing_signature_key_is_named(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv(ENV_TOKEN, "snd_env_token")

    with pytest.raises(ConfigurationError) as caught:
        PayCombat.from_env(dotenv=tmp_path / ".env")

    assert "PAYCOMBAT_SIGNATURE_KEY" in str(caught.value)
    assert "PAYCOMBAT_TOKEN" not in str(caught.value)
    assert "snd_env_token" not in str(caught.value)


def test_a_missing_token_is_named(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dotenv = write_env(tmp_path / ".env", "PAYCOMBAT_SIGNATURE_KEY=file-signature-key\n")

    with pytest.raises(ConfigurationError) as caught:
        PayCombat.from_env(dotenv=dotenv)

    assert "PAYCOMBAT_TOKEN" in str(caught.value)
    assert "file-signature-key" not in str(caught.value)


def test_nothing_set_names_both(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        PayCombat.from_env(dotenv=tmp_path / ".env")

    assert "PAYCOMBAT_TOKEN" in str(caught.value) and "PAYCOMBAT_SIGNATURE_KEY" in str(caught.value)


def test_an_empty_value_counts_as_missing(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dotenv = write_env(tmp_path / ".env", "PAYCOMBAT_TOKEN=snd_file_token\nPAYCOMBAT_SIGNATURE_KEY=\n")

    with pytest.raises(ConfigurationError, match="PAYCOMBAT_SIGNATURE_KEY"):
        PayCombat.from_env(dotenv=dotenv)


def test_empty_credentials_are_refused_directly() -> None:
    with pytest.raises(ConfigurationError):
        PayCombat("", "key")
    with pytest.raises(ConfigurationError):
        PayCombat("token", "")
