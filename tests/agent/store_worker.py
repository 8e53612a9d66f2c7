"""A guard in its own OS process over a shared action store, driven by JSON lines on stdin (one answer per line).

``python -m tests.agent.store_worker STORE AUDIT [CAPS_JSON]``. With PAYCOMBAT_* in its environment it
holds a client (it can execute); without, it can only decide. Commands: propose, approve, reject, status
(the ``get_action_status`` tool, as a model calls it), run (``run_approved``), quit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CREDENTIALS = ("PAYCOMBAT_BASE_URL", "PAYCOMBAT_TOKEN", "PAYCOMBAT_SIGNATURE_KEY")


def serve(store: str, audit: str, caps: dict[str, Any]) -> None:
    from agent_tools import ActionRefused, AuditLog, ConfirmationGuard, ConfirmationPolicy
    from agent_tools.spec import ReadOnlyClient, ToolContext
    from agent_tools.store import SqliteActionStore
    from agent_tools.tools import invoke_spec, tool_specs
    from paycombat_tools import PayCombat

    client = None
    if all(os.environ.get(name) for name in CREDENTIALS):
        client = PayCombat(os.environ["PAYCOMBAT_TOKEN"], os.environ["PAYCOMBAT_SIGNATURE_KEY"],
                           os.environ["PAYCOMBAT_BASE_URL"])
    guard = ConfirmationGuard(ConfirmationPolicy(**caps), AuditLog(audit), client=client,
                              store=SqliteActionStore(store))
    status_spec = next(spec for spec in tool_specs() if spec.name == "get_action_status")
    print(json.dumps({"ready": True, "credentials": client is not None}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        answer: dict[str, Any]
        try:
            verb = command["cmd"]
            if verb == "quit":
                break
            if verb == "propose":
                action = guard.propose(command["operation"], command["arguments"])
                answer = {"action_id": action.action_id, "status": action.status.value}
            elif verb == "approve":
                outcome = guard.approve(command["id"], approver=command["as"])
                answer = {"status": guard.get(command["id"]).status.value,
                          "result_id": getattr(outcome, "id", None)}
            elif verb == "reject":
                answer = {"status": guard.reject(command["id"], approver=command["as"]).status.value}
            elif verb == "status":
                assert client is not None
                answer = json.loads(invoke_spec(status_spec, ToolContext(ReadOnlyClient(client), guard),
                                                {"action_id": command["id"]}))
            elif verb == "run":
                answer = {"ran": [action.action_id for action in guard.run_approved()]}
            else:
                answer = {"error": f"unknown command {verb}"}
        except ActionRefused as refused:
            answer = {"refused": refused.code, "reason": refused.reason}
        except Exception as error:  # reported, not fatal: the test decides
            answer = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer, default=str), flush=True)


class Worker:
    """One store worker process; ``ask`` sends a command and waits for its answer line."""

    def __init__(self, store: Path, audit: Path, *, credentials: dict[str, str] | None,
                 caps: dict[str, Any] | None = None) -> None:
        env = {key: value for key, value in os.environ.items() if key not in CREDENTIALS}
        env.update(credentials or {})
        env["PYTHONPATH"] = str(REPO)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.agent.store_worker", str(store), str(audit), json.dumps(caps or {})],
            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            bufsize=1)
        hello = self.read()
        assert hello.get("ready"), hello
        self.credentials = hello["credentials"]

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the worker exited: {self.process.stderr.read() if self.process.stderr else ''}")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def ask(self, **command: Any) -> dict[str, Any]:
        self.send(**command)
        return self.read()

    def kill(self) -> None:
        """``kill -9`` this worker (only it, by its pid)."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.send(cmd="quit")
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
