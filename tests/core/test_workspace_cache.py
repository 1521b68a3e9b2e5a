"""The last workspace read from accsyn, cached for dry runs: the fields the submitter uses, never credentials."""

from __future__ import annotations

import json
import logging
import os

from accsyn_dcc.config import load_last_workspace, save_last_workspace
from accsyn_dcc.workspace import Engine, EngineSettings, Queue, Site, Volume, WorkspaceInfo

INFO = WorkspaceInfo(
    engines=[Engine("nuke-16", "Nuke 16", "e1", EngineSettings(default_bucketsize=5, filename_extensions=".nk"),
                    raw={"code": "nuke-16", "api_key": "never-cached"})],
    volumes=[Volume("projects", {"linux": "/mnt/projects", "windows": "P:"}, "v1", default=True)],
    sites=[Site("hq", "s1", "HQ", main=True)],
    queues=[Queue("medium", "q1", "Medium", 500, default=True)],
)  # fmt: skip


def test_a_cached_workspace_reads_back_as_it_was_and_holds_no_reply_extras(workspace_cache):
    save_last_workspace(INFO)
    info, where = load_last_workspace()
    assert info == INFO and workspace_cache in where and where.startswith("read ")
    with open(workspace_cache, encoding="utf-8") as stream:
        assert "never-cached" not in stream.read()


def test_a_damaged_cache_counts_as_none_in_one_logged_line(workspace_cache, caplog):
    with open(workspace_cache, "w", encoding="utf-8") as stream:
        json.dump({"workspace": ["not", "a", "description"]}, stream)
    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.config"):
        assert load_last_workspace() is None
    assert f"the cached workspace in {workspace_cache} is ignored" in caplog.text


def test_a_cache_folder_that_cannot_be_made_never_stops_a_submit(tmp_path, monkeypatch, caplog):
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("ACCSYN_DCC_WORKSPACE_CACHE", str(tmp_path / "cache" / "last-workspace.json"))
    with caplog.at_level(logging.WARNING, logger="accsyn_dcc.config"):
        save_last_workspace(INFO)
    assert "the workspace could not be cached for dry runs" in caplog.text
    assert sorted(os.listdir(tmp_path)) == ["cache"]
