"""Private places, every OS's forms on Linux: system folders, a home's secrets, the credentials file."""

from __future__ import annotations

import pytest

from accsyn_dcc.private_paths import PrivatePlaces

LINUX = PrivatePlaces("/home/ana", ("/home/ana/accsyn/.env",))
MAC = PrivatePlaces("/Users/ana")
WINDOWS = PrivatePlaces("C:\\Users\\ana")


@pytest.mark.parametrize(
    ("places", "path", "reason"),
    [
        (LINUX, "/etc/shadow", "the system folder /etc"),
        (LINUX, "/proc/self/environ", "the system folder /proc"),
        (LINUX, "/mnt/projects/../../etc/passwd", "the system folder /etc"),
        (LINUX, "/dev/stdin", "the system folder /dev"),
        (LINUX, "/home/ana/.ssh/id_rsa", "the home folder's private ~/.ssh"),
        (LINUX, "/home/ana//.aws/credentials", "the home folder's private ~/.aws"),
        (LINUX, "/home/ana/.config/accsyn-dcc/settings.json", "the home folder's private ~/.config"),
        (LINUX, "/home/ana/.netrc", "the home folder's private ~/.netrc"),
        (LINUX, "/home/ana/accsyn/.env", "the accsyn credentials file"),
        (MAC, "/private/etc/master.passwd", "the system folder /private/etc"),
        (MAC, "/Users/ana/Library/Keychains/login.keychain-db", "the home folder's private ~/Library/Keychains"),
        (WINDOWS, "c:\\users\\ANA\\.ssh\\id_ed25519", "the home folder's private ~/.ssh"),
        (WINDOWS, "C:\\Windows\\System32\\config\\SAM", "the system folder C:/Windows/System32/config"),
    ],
)
def test_private_places_are_named(places, path, reason):
    assert places.reason(path) == reason


@pytest.mark.parametrize(
    ("places", "path"),
    [
        (LINUX, "/mnt/projects/shot/plate.%04d.exr"),
        (LINUX, "/home/ana/shots/tex.png"),
        (LINUX, "/home/ana/.nuke/gizmos/Glow2.gizmo"),
        (LINUX, "/etcetera/plate.exr"),
        (LINUX, "/home/ana/.sshkeys-are-not-here.txt"),
        (MAC, "/Volumes/projects/plate.exr"),
        (WINDOWS, "P:\\shots\\plate.exr"),
        (LINUX, ""),
    ],
)
def test_ordinary_files_are_not_private(places, path):
    assert places.reason(path) is None


def test_a_link_is_judged_by_where_it_leads(tmp_path):
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("key")
    (tmp_path / "shot").mkdir()
    (tmp_path / "shot" / "tex.png").symlink_to(home / ".ssh" / "id_rsa")
    (tmp_path / "linked_folder").symlink_to(home / ".ssh")
    places = PrivatePlaces(str(home))
    assert places.reason(str(tmp_path / "shot" / "tex.png")) is None  # by name alone
    assert places.reason_on_disk(str(tmp_path / "shot" / "tex.png")) == "the home folder's private ~/.ssh"
    assert places.reason_on_disk(str(tmp_path / "linked_folder" / "id_%04d.rsa")) == "the home folder's private ~/.ssh"
