"""With run_jobs, a job submitted to the stand-in really renders on the local farm (bpy), status written back."""

import json
import time

import pytest
from session_helpers import scene_payload

from accsyn_dcc.api import connect
from accsyn_dcc.config import Settings
from accsyn_dcc.credentials import Credentials
from accsyn_dcc.demo import build_demo_project
from accsyn_dcc.paths import current_os
from accsyn_dcc.standin import StandinServer, load_seed

pytestmark = pytest.mark.blender


def test_submitted_job_renders_and_reports_status(tmp_path):
    project = tmp_path / "projects"
    scene = build_demo_project(str(project))
    seed = load_seed(None)
    seed["volumes"] = [{"id": "5f00000000000000000000c8", "code": "projects", "default": True,
                        "paths": {current_os(): str(project)}}]  # fmt: skip
    (tmp_path / "seed.json").write_text(json.dumps(seed))
    user = seed["users"][0]
    with StandinServer(str(tmp_path / "data"), seed_path=str(tmp_path / "seed.json"), run_jobs=True) as server:
        client = connect(Credentials("demo", user["code"], user["api_key"], proxy=f"127.0.0.1:{server.port}"))
        workspace = client.workspace_info()
        payload = scene_payload(
            scene, Settings({}), workspace, engine="blender", output_folder=str(project / "renders")
        )
        assert payload["output"] == "share=projects/renders"
        job = client.create_compute_job(payload)
        deadline = time.monotonic() + 120
        while client.find_job(job["id"])["status"] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.find_job(job["id"])["status"] == "done"
        assert [task["status"] for task in client.find_tasks(job["id"])] == ["done", "done", "done"]
    assert sorted(path.name for path in (project / "renders").glob("*.png")) == [
        "beauty_0001.png",
        "beauty_0002.png",
        "beauty_0003.png",
    ]
