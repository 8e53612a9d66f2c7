"""Contract tests: the same behaviour checks against the embedded sandbox and, on request, the real API.

**Running the contract tests against a real PayCombat sandbox account.** `pytest tests/contract` runs
them against the embedded sandbox only. To run them against PayCombat itself as well, export a
*sandbox* account's credentials and pass `--live`:
`PAYCOMBAT_TOKEN=snd_... PAYCOMBAT_SIGNATURE_KEY=... PAYCOMBAT_BASE_URL=https://api.paycombat.com
.venv/bin/pytest tests/contract --live -rs`. The three variables are read from the environment only
(not from `.env`). Each test then runs twice, `[sandbox]` and `[live]`. With `--live` but a variable
missing, the `[live]` tests are skipped and the skip reason names what is missing. A token that does
not start with `snd_` stops the run before any request is sent: the live target runs reads and flows
that a sandbox account only simulates (a payout completed with Simulate Payout, a checkout payin
completed with Simulate Payin), and it never runs against an account that could move real money.
The live run leaves test records behind in the account (customers, payment requests, simulated
payins and payouts); nothing is deleted. Tests assert only documented fields, never fields the
models mark sandbox-only.

Files: ``conftest.py`` (targets, the ``--live`` gate, the wire recorder), ``test_methods.py``,
``test_merchant.py``, ``test_customers.py``, ``test_checkouts.py``, ``test_payouts.py`` and
``test_targets.py`` (the gate itself).
"""
