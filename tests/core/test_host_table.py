"""The host table: one row per host, read by the plugins, the command line, the readers and the settings."""

from __future__ import annotations

import importlib

import pytest

from accsyn_dcc.host_table import ENGINE_SETTINGS, HOSTS
from accsyn_dcc.hosts import SceneFileHost
from accsyn_dcc.scan import scanner_for
from accsyn_dcc.session import host_engine


@pytest.mark.parametrize(("scene", "words", "engine"), [
    ("/p/comp.nk", ("Write", "script"), "nuke"), ("/p/light.ma", ("render layer", "scene"), "maya"),
    ("/p/light.mb", ("render layer", "scene"), "maya"), ("/p/fx.hiplc", ("ROP", "scene"), "houdini"),
    ("/p/shot.blend", ("view layer", "scene"), "blender"), ("/p/set.usda", ("render product", "stage"), "husk"),
])  # fmt: skip
def test_a_scene_file_speaks_its_application_s_words_and_defaults_to_its_engine(scene, words, engine):
    host = SceneFileHost(scene)
    assert (host.words.output, host.words.scene) == words
    assert host_engine(host) == engine


def test_every_reader_and_engine_setting_comes_from_the_table():
    for host in HOSTS:
        for extension in host.readable_extensions:
            module, function = host.reader.split(":")
            assert scanner_for(f"/nowhere/scene{extension}") is getattr(importlib.import_module(module), function)
    assert ENGINE_SETTINGS == ("nuke_engine", "maya_engine", "houdini_engine")
