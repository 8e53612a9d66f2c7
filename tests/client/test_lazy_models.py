"""Model modules load per resource, on first use: ``import paycombat_tools`` builds no pydantic schema.

Each story runs in a fresh interpreter, so what is loaded is what the story loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CANNED_CLIENT = '''
import json, sys
from paycombat_tools import PayCombat
from paycombat_tools._transport import HttpResponse

class Canned:
    def send(self, request, timeout):
        return HttpResponse(200, {}, json.dumps({"status": True, "message": "OK", "data": None}).encode())
    def close(self):
        pass

client = PayCombat("snd_token", "signature-key", "http://api.invalid", transport=Canned())
'''


def loaded_after(code: str) -> list[str]:
    """The ``paycombat_tools.models`` modules and whether pydantic is loaded after running ``code``."""
    report = "\nprint(json.dumps(sorted(m for m in sys.modules if m.startswith(('paycombat_tools.models', 'pydantic')) and m.count('.') <= 2)))"
    output = subprocess.run([sys.executable, "-c", "import json, sys\n" + code + report], cwd=ROOT, check=True,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout
    return [name for name in json.loads(output.splitlines()[-1]) if not name.startswith("pydantic.")]


def test_importing_the_package_loads_no_models_and_no_pydantic() -> None:
    assert loaded_after("import paycombat_tools") == []


def test_a_payout_call_loads_the_payout_models_and_what_they_use_only() -> None:
    loaded = loaded_after(CANNED_CLIENT + 'client.payouts.retrieve("po_1")')
    assert "paycombat_tools.models.payouts" in loaded
    for other in ("checkouts", "payins", "wallets", "transactions", "webhooks", "methods", "merchant"):
        assert f"paycombat_tools.models.{other}" not in loaded


def test_a_name_from_the_models_package_loads_its_own_module() -> None:
    loaded = loaded_after("from paycombat_tools.models import Transaction")
    assert [name for name in loaded if name.startswith("paycombat_tools")] == [
        "paycombat_tools.models", "paycombat_tools.models._base", "paycombat_tools.models.transactions"]


def test_every_name_the_models_package_lists_is_there() -> None:
    import importlib

    import paycombat_tools.models as models

    for name in models.__all__:
        module = importlib.import_module(f"paycombat_tools.models.{models._MODULE_OF[name]}")
        assert getattr(models, name) is getattr(module, name)
