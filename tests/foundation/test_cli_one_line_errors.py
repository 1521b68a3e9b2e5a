"""Wrong paths given to the command line end in one line naming the path and what is wrong with it."""

import pytest

from accsyn_dcc.cli import main


def test_a_folder_given_to_scan_is_named_as_a_folder(tmp_path, capsys):
    assert main(["scan", str(tmp_path)]) == 1
    assert capsys.readouterr().err.startswith(f"accsyn-dcc scan: {tmp_path}: a folder, not a scene file (known: .blend")


@pytest.mark.parametrize("name, reason", [("absent.json", "No such file or directory"), ("", "Is a directory")])
def test_a_payload_that_cannot_be_read_says_why_without_repeating_the_path(tmp_path, capsys, name, reason):
    payload = tmp_path / name
    assert main(["farm", "run", str(payload)]) == 1
    assert capsys.readouterr().err == f"accsyn-dcc farm: {payload}: cannot read the payload ({reason})\n"


def test_a_stand_in_data_folder_that_cannot_be_made_is_named_not_the_port(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["server", "--port", "0", "--data", str(blocker / "data")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"accsyn-dcc server: cannot start the stand-in ({blocker}") and "127.0.0.1" not in error
