"""Every call of accsyn's own client (accsyn-python-api) that accsyn-protocol.md section 5 lists, against a stand-in.

Run as ``python official_calls.py <projects folder>`` with the ACCSYN_* environment pointing at a stand-in whose
``projects`` volume is that folder (``test_official_client_calls.py`` does, once per pinned client version, each
imported from its own folder). Prints one JSON line: ``{"version", "passed": [call, ...], "failed": {call: why},
"absent": [call the version lacks, ...]}``; each call is checked by what accsyn's client returns, not only by its
not raising.
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import traceback
from typing import Any, Callable, Dict, List

import accsyn_api
from accsyn_api.session import AccsynException

JOB = {"name": "sh040_comp", "engine": "nuke-15", "input": "share=projects/sh040/comp.nk", "range": "1001-1004"}
USER = "artist@example.com"
CALLS: List[Callable[[], None]] = []
done: Dict[str, Any] = {}


class NotInThisVersion(Exception):
    """The call does not exist in this version of accsyn's client."""


def call(function: Callable[[], None]) -> Callable[[], None]:
    CALLS.append(function)
    return function


def refused(function: Callable[[], Any], words: str) -> None:
    """The call is refused with a message holding ``words`` (never a crash or a wrong answer)."""
    try:
        function()
    except AccsynException as error:
        assert words.lower() in str(error).lower(), str(error)
        return
    raise AssertionError(f"not refused ({words})")


@call
def create_compute() -> None:
    job = session.create("compute", dict(JOB))
    assert len(job["id"]) == 24 and job["status"] == "waiting" and job["user_hr"] == USER
    done["job"] = job


@call
def create_legacy_job() -> None:
    job = session.create("job", {"code": "legacy", "app": "blender", "input": "share=projects/a.blend", "range": "1-2"})
    assert job["name"] == "legacy" and job["engine"] == "blender"


@call
def create_without_duplicates() -> None:
    assert session.create("compute", dict(JOB), allow_duplicates=False)["id"] == done["job"]["id"]


@call
def create_replacing_duplicates() -> None:
    if "replace_duplicates" not in inspect.signature(session.create).parameters:
        raise NotInThisVersion("create(replace_duplicates=) came with accsyn-python-api 3.4")
    job = session.create("compute", dict(JOB), allow_duplicates=False, replace_duplicates=True)
    assert job["id"] != done["job"]["id"] and "replace_duplicates" not in job["compute"]


@call
def create_on_the_default_share() -> None:
    job = session.create("compute", dict(JOB, name="default", input="share=(default)/sh040/comp.nk"))
    assert job["input"] == "share=(default)/sh040/comp.nk"


@call
def find_jobs() -> None:
    found = session.find(f"Compute WHERE id={done['job']['id']}")
    assert [job["name"] for job in found] == ["sh040_comp"]
    assert session.find_one(f"Compute WHERE id={done['job']['id']}")["id"] == done["job"]["id"]


@call
def find_jobs_of_a_user_by_name() -> None:
    ids = {job["id"] for job in session.find(f"Compute WHERE user={USER}")}
    assert done["job"]["id"] in ids and ids == {job["id"] for job in session.find("Compute")}


@call
def find_options() -> None:
    every = session.find("Compute")
    assert session.find("Compute", limit=1) == every[:1] and session.find("Compute", skip=1) == every[1:]
    assert {tuple(sorted(job)) for job in session.find("Compute", attributes=["name"])} == {("id", "name")}
    assert session.find("Compute", finished=True, archived=True, inactive=True) == every


@call
def find_tasks() -> None:
    tasks = session.find("Task", entityid=done["job"]["id"])
    assert [task["uri"] for task in tasks] == ["1001", "1002", "1003", "1004"]
    done["task"] = tasks[0]


@call
def find_engines() -> None:
    assert "nuke-15" in {engine["code"] for engine in session.find("engine where type=compute")}


@call
def find_volumes() -> None:
    assert session.find_one("Volume WHERE default=true")["code"] == "projects"


@call
def find_folders() -> None:
    folder = session.find_one("Folder WHERE code=shots")
    assert folder["parent_hr"] == "projects" and folder["path"] == "shots"


@call
def find_shares() -> None:
    assert [share["code"] for share in session.find("Share")] == ["shots"]  # share: the deprecated name of folder


@call
def find_homes() -> None:
    assert session.find_one(f"Home WHERE user={USER}")["code"] == "artist"


@call
def find_collections() -> None:
    assert [collection["code"] for collection in session.find("Collection")] == ["review"]


@call
def find_sites_queues_users() -> None:
    assert session.find_one("Site WHERE main=true")["code"] == "hq"
    assert session.find_one("Queue WHERE name=low")["priority"] == 1
    assert "api_key" not in session.find_one(f"User WHERE code={USER}")


@call
def find_workspace() -> None:
    assert [workspace["code"] for workspace in session.find("Workspace")] == [os.environ["ACCSYN_WORKSPACE"]]


@call
def find_entitytypes() -> None:
    assert {"compute", "task", "folder", "home", "collection", "workspace"} <= set(session.find("entitytypes"))


@call
def find_attributes() -> None:
    assert "engine" in session.find("attributes WHERE entitytype=compute")
    assert "parameters" in session.find("attributes WHERE entitytype=compute", update=True)


@call
def get_entity() -> None:
    assert session.get_entity("compute", done["job"]["id"])["name"] == "sh040_comp"


@call
def update_job() -> None:
    assert session.update("compute", done["job"]["id"], {"status": "paused"})["status"] == "paused"
    assert session.update_one("compute", done["job"]["id"], {"status": "waiting"})["status"] == "waiting"


@call
def update_site_settings_after_submit() -> None:
    site = {"sthlm": {"settings": {"download": {"transfer_speedlimit": 50}}}}
    job = session.update("Compute", done["job"]["id"], {"parameters": {"site": site}})
    assert job["compute"]["parameters"]["site"] == {"sthlm": {"settings": {"download": {"transfer_speedlimit": "50"}}}}
    refused(lambda: session.update("Compute", done["job"]["id"], {"parameters": {"arguments": "-x"}}), "site")


@call
def update_tasks() -> None:
    edited = session.update_many("Task", done["job"]["id"], [{"id": done["task"]["id"], "status": "onhold"}])
    assert [task["status"] for task in edited] == ["onhold"]


@call
def update_queue() -> None:
    low = session.find_one("Queue WHERE code=low")
    assert session.update("queue", low["id"], {"priority": 10, "status": "paused"})["priority"] == 10
    assert session.find_one("Queue WHERE code=low")["status"] == "paused"


@call
def delete_queue() -> None:
    high = session.find_one("Queue WHERE code=high")
    assert session.delete_one("queue", high["id"]) is True
    assert session.find("Queue WHERE code=high") == []
    assert session.get_entity("queue", high["id"])["code"] == "high"  # archived, still found by id
    refused(lambda: session.create("compute", dict(JOB, queue="high")), "no such queue")


@call
def deactivate_and_activate() -> None:
    job = session.create("compute", dict(JOB, name="hidden"))
    assert session.deactivate_one("compute", job["id"]) is True
    assert session.find("Compute WHERE name=hidden") == []
    assert session.get_entity("compute", job["id"])["name"] == "hidden"  # found although deactivated
    assert session.activate_one("compute", job["id"]) is True
    assert session.offline_one("compute", job["id"]) is True
    done["hidden"] = job


@call
def delete_job() -> None:
    assert session.delete_one("compute", done["hidden"]["id"]) is True
    assert session.get_entity("compute", done["hidden"]["id"]) is None


@call
def metrics() -> None:
    job = session.metrics(f"Compute WHERE id={done['job']['id']}")
    assert job["total"] == 4 and job["waiting"] == 4
    medium = session.metrics("Queue WHERE code=medium")
    assert medium["jobs"] >= 1 and medium["total"] >= 4 and medium["statuses"]["waiting"] >= 1
    assert session.metrics("Workspace")["jobs"] == len(session.find("Compute", finished=True, inactive=True))


@call
def report() -> None:
    text = session.report(f"Compute WHERE id={done['job']['id']}")
    assert done["job"]["id"] in text and "sh040_comp" in text


@call
def settings() -> None:
    assert session.set_setting("workspace", "render_notes", "grain") is True
    assert session.get_setting("render_notes") == "grain"
    assert session.get_settings() == {"render_notes": "grain"}
    assert session.delete_setting("workspace", "render_notes") is True


@call
def exists() -> None:
    assert session.exists("share=projects/sh040/comp.nk") is True
    assert session.exists("share=projects/sh040/none.nk") is False


@call
def exists_on_the_default_share() -> None:
    assert session.exists("share=(default)/shots") is True
    assert session.exists("volume=(default)/sh040/comp.nk") is True


@call
def exists_of_several_paths() -> None:
    assert session.exists(["share=projects/sh040/comp.nk", "share=projects/nothing"]) == [True, False]


@call
def exists_in_a_folder_home_and_collection() -> None:
    assert session.exists("share=shots/sh050") is True and session.exists("folder=shots/sh050") is True
    assert session.exists("home=artist/notes.txt") is True and session.exists("collection=review") is True


@call
def ls() -> None:
    listing = session.ls("share=projects/sh040", getsize=True)["files"]
    assert listing == [{"filename": "plates", "is_dir": True}, {"filename": "comp.nk", "is_dir": False, "size": 8}]


@call
def ls_maxdepth() -> None:
    names = [entry["filename"] for entry in session.ls("share=projects", recursive=True, maxdepth=2)["files"]]
    assert "sh040/plates" in names and "sh040/plates/bg.0001.exr" not in names
    deep = [entry["filename"] for entry in session.ls("share=projects", recursive=True)["files"]]
    assert "sh040/plates/bg.0001.exr" in deep


@call
def ls_files_only_and_directories_only() -> None:
    assert [e["filename"] for e in session.ls("share=projects/sh040", files_only=True)["files"]] == ["comp.nk"]
    assert [e["filename"] for e in session.ls("share=projects/sh040", directories_only=True)["files"]] == ["plates"]


@call
def ls_include_and_exclude() -> None:
    found = session.ls("share=projects/sh040", recursive=True, include="*.exr")["files"]
    assert [entry["filename"] for entry in found] == ["plates/bg.0001.exr", "plates/bg.0002.exr"]
    found = session.ls("share=projects/sh040/plates", include=["re('bg\\.0+1\\.exr')"])["files"]
    assert [entry["filename"] for entry in found] == ["bg.0001.exr"]
    found = session.ls("share=projects/sh040", recursive=True, exclude="plates")["files"]
    assert [entry["filename"] for entry in found] == ["comp.nk"]


@call
def getsize() -> None:
    assert session.getsize("share=projects/sh040") == {"size": 28}
    assert session.getsize("share=projects/sh040", exclude="*.exr") == {"size": 8}
    assert session.getsize("share=projects/sh040", include="bg.0001.exr") == {"size": 10}


@call
def mkdir() -> None:
    assert session.mkdir("share=projects/sh060/comp") is True
    assert session.exists("share=projects/sh060/comp") is True


@call
def rename() -> None:
    assert session.rename("share=projects/sh060/comp", "share=projects/sh060/lighting") is True
    assert session.exists(["share=projects/sh060/comp", "share=projects/sh060/lighting"]) == [False, True]
    refused(lambda: session.rename("share=projects/sh060/lighting", "share=projects/sh040/lighting"), "rename stays")


@call
def mv() -> None:
    assert session.mv("share=projects/sh060/lighting", "share=shots") is True
    assert session.exists("share=shots/lighting") is True
    refused(lambda: session.mv("share=shots/lighting", "share=projects/sh040/comp.nk"), "exists already")


@call
def delete() -> None:
    refused(lambda: session.delete("share=projects/sh040"), "not empty")
    assert session.delete("share=shots/lighting") is True
    assert session.delete("share=projects/sh060", force=True) is True
    assert session.exists("share=projects/sh060") is False
    refused(lambda: session.delete("share=projects"), "root")


@call
def file_calls_stay_in_the_share() -> None:
    refused(lambda: session.exists("share=projects/../outside.txt"), "leaves the share")
    refused(lambda: session.ls("share=projects/escape"), "leaves the share")  # a symlink out of the share
    refused(lambda: session.delete("share=projects/escape/outside.txt"), "leaves the share")
    refused(lambda: session.mv("share=projects/sh040/comp.nk", "share=projects/escape"), "leaves the share")
    refused(lambda: session.mkdir("share=projects/../made"), "leaves the share")
    assert os.path.exists(os.path.join(os.path.dirname(ROOT), "outside.txt"))


@call
def logs() -> None:
    if not hasattr(session, "logs"):
        raise NotInThisVersion("logs() came with accsyn-python-api 3.4")
    workspace = session.logs()["result"]
    assert any(done["job"]["id"] in row["text"] and "created" in row["text"] for row in workspace)
    job = session.logs("compute", done["job"]["id"], search="paused")["result"]
    assert [row["text"].rsplit(": ", 1)[-1] for row in job] == ["paused"]
    assert session.logs("task", done["task"]["id"])["result"] == []  # not run yet


@call
def unsupported_calls_are_refused_clearly() -> None:
    refused(lambda: session.prepublish([{"path": "a", "size": 1}]), "not supported by the accsyn-dcc stand-in")
    refused(session.get_api_key, "not supported by the accsyn-dcc stand-in")
    refused(lambda: session.create("acl", {"entity": "x"}), "not supported")


def make_projects(root: str) -> None:
    """The ``projects`` volume's files: shot sh040 (28 bytes), the folder, home and collection, a symlink out."""
    for folder in ("sh040/plates", "shots/sh050", "home/artist", "review"):
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    files = {"sh040/comp.nk": b"Root {}\n", "sh040/plates/bg.0001.exr": b"x" * 10,
             "sh040/plates/bg.0002.exr": b"y" * 10, "home/artist/notes.txt": b"notes"}  # fmt: skip
    for name, content in files.items():
        with open(os.path.join(root, name), "wb") as stream:
            stream.write(content)
    outside = os.path.dirname(root)
    with open(os.path.join(outside, "outside.txt"), "wb") as stream:
        stream.write(b"not on the share")
    if not os.path.lexists(os.path.join(root, "escape")):
        os.symlink(outside, os.path.join(root, "escape"))


if __name__ == "__main__":
    ROOT = sys.argv[1]
    make_projects(ROOT)
    session = accsyn_api.Session()
    passed: List[str] = []
    failed: Dict[str, str] = {}
    absent: List[str] = []
    for each in CALLS:
        try:
            each()
        except NotInThisVersion:
            absent.append(each.__name__)
        except Exception as error:  # every call is tried and reported
            failed[each.__name__] = f"{type(error).__name__}: {error} {traceback.format_exc(limit=-2)}"[:2000]
        else:
            passed.append(each.__name__)
    print(json.dumps({"version": accsyn_api.__version__, "passed": passed, "failed": failed, "absent": absent}))
