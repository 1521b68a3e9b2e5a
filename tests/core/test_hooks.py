"""Studio hooks through the session: the command line (dry run and a real send) and the session alike.

Each hook changes what is sent (``before_dialog``, ``check``, ``before_send``, ``after_submit``); a hook that
raises, runs too long, returns the wrong shape or cannot be imported is one line naming its file and function,
and nothing is sent. The dialog's and a scripted submit's own tests are beside their entry points.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Dict

import pytest
from hook_helpers import FAILURES, STUDIO_HOOK, studio_with_hooks
from session_helpers import Recorder

from accsyn_dcc.api import connect
from accsyn_dcc.cli import main
from accsyn_dcc.config import ConfigError, Settings, load_settings
from accsyn_dcc.hooks import HOOK_CODE, HookError, Hooks, hook_paths
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.preflight import BLOCKER, WARNING, Finding
from accsyn_dcc.session import SubmitSession

CREDENTIALS = ("ACCSYN_WORKSPACE", "ACCSYN_API_USER", "ACCSYN_API_KEY", "ACCSYN_PROXY")
DOCS_EXAMPLE = str(Path(__file__).resolve().parents[2] / "docs" / "hooks_example.py")


@pytest.fixture
def script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``shot/x.nk`` writing beside itself; no studio settings, no credentials."""
    shot = tmp_path / "shot"
    shot.mkdir()
    path = shot / "x.nk"
    path.write_text(
        "Root {\n inputs 0\n first_frame 1\n last_frame 10\n}\n"
        f"Write {{\n file {shot}/render/x.%04d.exr\n file_type exr\n name Write1\n}}\n"
    )
    for name in (*CREDENTIALS, "ACCSYN_CREDENTIALS_PATH", "ACCSYN_DCC_STUDIO_CONFIG", "ACCSYN_DOMAIN", "ACCSYN_ORG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(tmp_path / "user.json"))
    return path


def offline_workspace(tmp_path: Path) -> Dict[str, Any]:
    return {"workspace": {"engines": [{"code": "nuke-15"}],
                          "volumes": [{"code": "projects", "paths": {"linux": str(tmp_path)}}]}}  # fmt: skip


@pytest.fixture
def connected(credentials: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Credentials for the stand-in in the environment; its share ``projects`` is mounted at ``tmp_path``."""
    for name, value in zip(CREDENTIALS, (credentials.workspace, credentials.user, credentials.api_key,
                                         credentials.proxy)):  # fmt: skip
        monkeypatch.setenv(name, value)
    return credentials


def dry_run(capsys: pytest.CaptureFixture[str], script: Path) -> Dict[str, Any]:
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_cli_dry_run_sends_what_the_hooks_make(script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    studio_with_hooks(tmp_path, monkeypatch, {"20_studio.py": STUDIO_HOOK}, **offline_workspace(tmp_path))
    document = dry_run(capsys, script)
    [payload] = document["payloads"]
    assert payload["name"] == "studio_x"  # before_dialog
    assert payload["filters"] == "ram:>16g" and payload["envs"]["STUDIO_HOOKED"] == "1"  # before_send
    [finding] = [finding for finding in document["findings"] if finding["code"] == HOOK_CODE]
    assert finding["severity"] == WARNING
    assert finding["message"] == "studio saw 1 job(s) of studio_x (studio hook 20_studio.py)"  # check
    assert finding["subject"].endswith(os.path.join("hooks", "20_studio.py"))


def test_hooks_run_in_file_name_order_folder_and_listed_alike(
    script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any
) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "50_last.py").write_text(
        "def before_send(payload):\n    payload['filters'] += ',site:hq'\n    return payload\n"
    )
    studio_with_hooks(tmp_path, monkeypatch, {"20_studio.py": STUDIO_HOOK}, hooks=["../elsewhere/50_last.py"],
                      **offline_workspace(tmp_path))  # fmt: skip
    assert [os.path.basename(path) for path in hook_paths(load_settings())] == ["20_studio.py", "50_last.py"]
    [payload] = dry_run(capsys, script)["payloads"]
    assert payload["filters"] == "ram:>16g,site:hq"


def test_the_documented_example_works(script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("STUDIO_SUBMIT_LOG", str(tmp_path / "submits.log"))
    studio_with_hooks(tmp_path, monkeypatch, {}, hooks=[DOCS_EXAMPLE], **offline_workspace(tmp_path))
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 1
    [unversioned] = json.loads(capsys.readouterr().out)["findings"]
    assert unversioned["severity"] == BLOCKER and unversioned["message"].startswith("x has no version (_v001)")
    versioned = script.rename(script.with_name("x_v001.nk"))
    document = dry_run(capsys, versioned)
    [payload] = document["payloads"]
    assert payload["queue"] == "render" and payload["filters"] == "ram:>16g"
    assert payload["envs"]["STUDIO_PIPELINE"] == "2025.1"
    [naming] = document["findings"]
    assert naming["severity"] == WARNING and "x_v001 does not follow" in naming["message"]
    session = SubmitSession(SceneFileHost(str(versioned)), load_settings(), offline=True)
    assert session.hooks.after_submit([{"id": "j1", "name": "x"}]) == [{"id": "j1", "name": "x"}]
    assert (tmp_path / "submits.log").read_text().rstrip().endswith("job j1 x")


def test_a_blocking_check_stops_the_cli(script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any) -> None:
    hook = "def check(plan):\n    return [{'severity': 'blocker', 'message': 'no comps on Fridays'}]\n"
    studio_with_hooks(tmp_path, monkeypatch, {"friday.py": hook}, **offline_workspace(tmp_path))
    assert main(["submit", str(script), "--engine", "nuke-15", "--dry-run", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["payloads"] == []
    assert [finding["message"] for finding in document["findings"] if finding["severity"] == BLOCKER] == [
        "no comps on Fridays (studio hook friday.py)"
    ]


@pytest.mark.parametrize("kind", sorted(FAILURES))
def test_a_failing_hook_is_one_line_and_nothing_is_sent(
    kind: str, script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any, connected: Any
) -> None:
    source, words = FAILURES[kind]
    studio_with_hooks(tmp_path, monkeypatch, {"10_fine.py": STUDIO_HOOK, f"50_{kind}.py": source},
                      local_share_paths={"projects": str(tmp_path)}, hook_timeout=0.5)  # fmt: skip
    assert main(["submit", str(script), "--engine", "nuke-15"]) == 1
    err = capsys.readouterr().err.strip()
    [line] = [line for line in err.splitlines() if f"50_{kind}.py" in line]
    assert words in line and "Traceback" not in err
    if kind != "unimportable":
        assert line == f"accsyn-dcc submit: studio hook 50_{kind}.py: before_send(): {line.split('(): ', 1)[1]}"
    with connect(connected) as client:
        assert client.find_jobs(finished=True) == []


def test_the_cli_sends_the_hooked_payload(
    script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any, connected: Any
) -> None:
    mounted = {"projects": str(tmp_path)}
    studio_with_hooks(tmp_path, monkeypatch, {"20_studio.py": STUDIO_HOOK}, local_share_paths=mounted)
    assert main(["submit", str(script), "--engine", "nuke-15"]) == 0
    with connect(connected) as client:
        [job] = client.find_jobs()
    assert job["name"] == "studio_x"
    assert job["compute"]["filters"] == "ram:>16g" and job["compute"]["envs"] == {"STUDIO_HOOKED": "1"}



def test_one_failing_before_send_sends_no_job_of_many(tmp_path: Path, monkeypatch: Any, script: Path) -> None:
    hook = "def before_send(payload):\n    assert 'Write2' not in payload['name'], 'Write2 is not approved'\n" \
           "    return payload\n"  # fmt: skip
    studio_with_hooks(tmp_path, monkeypatch, {"approve.py": hook}, **offline_workspace(tmp_path))
    script.write_text(script.read_text() + f"Write {{\n file {tmp_path}/shot/render/y.%04d.exr\n name Write2\n}}\n")
    recorder = Recorder()
    session = SubmitSession(SceneFileHost(str(script)), load_settings(), connector=lambda: recorder)
    session.workspace = session.settings.workspace
    session.scan()
    choices = replace(session.starting_choices(engine="nuke-15"), one_job_per_output=True)
    with pytest.raises(Exception, match=r"^studio hook approve.py: before_send\(\): AssertionError: Write2 is not"):
        session.submit(choices)
    assert recorder.created == []


def test_after_submit_is_told_the_created_jobs_and_its_failure_is_one_logged_line(
    tmp_path: Path, monkeypatch: Any, script: Path, caplog: Any
) -> None:
    hook = "SEEN = []\n\ndef after_submit(jobs):\n    SEEN.extend(job['id'] for job in jobs)\n" \
           "    raise OSError('log full')\n"  # fmt: skip
    studio_with_hooks(tmp_path, monkeypatch, {"log.py": hook}, **offline_workspace(tmp_path))
    recorder = Recorder()
    session = SubmitSession(SceneFileHost(str(script)), load_settings(), connector=lambda: recorder)
    jobs = session.create([{"engine": "nuke-15", "input": "share=projects/shot/x.nk"}])
    assert [job["id"] for job in jobs] == ["j1"]
    [(_path, module)] = session.hooks._imported()
    assert module.SEEN == ["j1"]
    assert caplog.messages == ["studio hook log.py: after_submit(): OSError: log full"]


def test_wrong_shapes_are_one_finding_each(tmp_path: Path) -> None:
    hook = tmp_path / "shapes.py"
    hook.write_text("def before_dialog(choices):\n    return None\n\n"
                    "def check(plan):\n    return [('fatal', 'x'), Finding('warning', 'mine', 'ok')]\n")  # fmt: skip
    hook.write_text("from accsyn_dcc.preflight import Finding\n" + hook.read_text())
    hooks = Hooks([str(hook)], timeout=2)
    assert hooks.before_dialog("choices") == "choices"
    messages = [finding.message for finding in hooks.check(lambda: None)]  # type: ignore[arg-type, return-value]
    assert messages == ["studio hook shapes.py: before_dialog(): returned NoneType, not a SubmitChoices",
                        "studio hook shapes.py: check(): a finding needs severity 'blocker' or 'warning' and a "
                        "message (got ('fatal', 'x'))"]  # fmt: skip


def test_a_finding_object_becomes_a_studio_hook_finding(tmp_path: Path) -> None:
    hook = tmp_path / "objects.py"
    hook.write_text("from accsyn_dcc.preflight import Finding\n\n"
                    "def check(plan):\n    return [Finding('warning', 'mine', 'check the grade')]\n")  # fmt: skip
    [finding] = Hooks([str(hook)]).check(lambda: None)  # type: ignore[arg-type, return-value]
    assert finding == Finding(WARNING, HOOK_CODE, "check the grade (studio hook objects.py)", str(hook))


def test_hooks_and_their_timeout_belong_to_the_studio_config(tmp_path: Path, monkeypatch: Any) -> None:
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"hooks": ["/tmp/mine.py"]}))
    monkeypatch.setenv("ACCSYN_DCC_USER_CONFIG", str(user))
    monkeypatch.delenv("ACCSYN_DCC_STUDIO_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="hooks belong in the studio config"):
        load_settings()
    assert Hooks.from_settings(Settings({"hook_timeout": 2.5})).timeout == 2.5


def test_a_payload_the_payload_rules_refuse_is_not_sent(tmp_path: Path) -> None:
    hook = tmp_path / "rename.py"
    hook.write_text("def before_send(payload):\n    return {**payload, 'engine': 'nuke 15!', 'colour': 'red'}\n")
    with pytest.raises(HookError) as raised:
        Hooks([str(hook)]).before_send({"engine": "nuke-15", "input": "share=projects/x.nk"})
    assert str(raised.value).startswith("studio hook rename.py: before_send(): returned a payload that cannot be sent")
    assert "colour: unknown field" in str(raised.value) and "engine: an engine code" in str(raised.value)


def test_a_missing_hook_file_is_one_blocker(tmp_path: Path) -> None:
    [finding] = Hooks([str(tmp_path / "gone.py")]).check(lambda: None)  # type: ignore[arg-type, return-value]
    assert finding.blocks and finding.message.startswith("studio hook gone.py cannot be imported: FileNotFoundError")


def test_a_cli_submit_tells_after_submit_of_the_jobs_it_created(
    script: Path, tmp_path: Path, monkeypatch: Any, capsys: Any, connected: Any
) -> None:
    told = tmp_path / "told.txt"
    hook = f"def after_submit(jobs):\n    open({str(told)!r}, 'w').write(','.join(str(job['id']) for job in jobs))\n"
    studio_with_hooks(tmp_path, monkeypatch, {"30_log.py": hook}, local_share_paths={"projects": str(tmp_path)})
    assert main(["submit", str(script), "--engine", "nuke-15"]) == 0
    with connect(connected) as client:
        [job] = client.find_jobs()
    assert told.read_text() == str(job["id"])
