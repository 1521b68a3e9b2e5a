"""Per-OS envs as compute.rst describes them: ``common``, ``linux``, ``mac``, ``windows``, each optional."""

from accsyn_dcc.payload_rules import review_payload

PAYLOAD = {"engine": "nuke-13", "input": "/a.nk"}


def test_per_os_envs_without_common_are_accepted_and_stored_with_common():
    reviewed = review_payload(dict(PAYLOAD, envs={"linux": {"NUKE_PATH": "/x"}, "windows": {"NUKE_PATH": "X:\\x"}}))
    assert reviewed.problems == ()
    assert reviewed.value["envs"] == {"common": {}, "linux": {"NUKE_PATH": "/x"}, "windows": {"NUKE_PATH": "X:\\x"}}


def test_flat_envs_stay_flat():
    assert review_payload(dict(PAYLOAD, envs={"A": "1"})).value["envs"] == {"A": "1"}
