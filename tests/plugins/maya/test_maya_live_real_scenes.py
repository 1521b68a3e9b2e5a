"""The forms found in real scenes give the same records through the ``maya.cmds`` stand-in as offline."""

from __future__ import annotations

from maya_loader import load
from maya_scene import LIST_ITEMS, PARENT, Attr, Link, Node, SceneDescription, string, touch, write_ma
from test_maya_live_scan import ENVIRON, live_scan, records

from accsyn_dcc.scan.maya import scan_file

OCIO = "<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio"


def real_forms_scene(root) -> SceneDescription:
    """A USD reference assembly, Maya's default OCIO config, a relative range override, a texture with its .tx."""
    project = root / "show"
    touch(project / "sourceimages" / "wood.png")
    touch(project / "sourceimages" / "wood.tx")
    touch(project / "usd" / "set.usda", b"#usda 1.0\n")
    scene = SceneDescription(project / "scenes" / "real.ma")
    scene.nodes += [
        Node("transform", "shotCam"),
        Node("camera", "shotCamShape", "shotCam"),
        Node("transform", "setGroup"),
        Node("pxrUsdReferenceAssembly", "set", "setGroup", [string("filePath", "fp", "usd/set.usda")]),
        Node("file", "woodFile", attrs=[string("fileTextureName", "ftn", "sourceimages/wood.png")]),
        Node("aiOptions", "defaultArnoldRenderOptions", attrs=[Attr("use_existing_tiled_textures",
                                                                    "use_existing_tiled_textures", True)]),
        Node("colorManagementGlobals", "defaultColorMgtGlobals", shared=True,
             attrs=[Attr("configFileEnabled", "cfe", True), string("configFilePath", "cfp", OCIO)]),
        Node("renderGlobals", "defaultRenderGlobals", shared=True,
             attrs=[string("currentRenderer", "ren", "arnold"), Attr("animation", "an", True),
                    Attr("startFrame", "fs", 1), Attr("endFrame", "ef", 10),
                    string("imageFilePrefix", "ifp", "<RenderLayer>/<Scene>")]),
        Node("renderSetup", "renderSetup"),
        Node("renderSetupLayer", "long"),
        Node("renderLayer", "rs_long"),
        Node("renderSettingsCollection", "longSettings"),
        Node("relUniqueOverride", "longEnd", attrs=[string("attribute", "atr", "endFrame"),
                                                    Attr("multiply", "mul", 1), Attr("offset", "ofs", 10),
                                                    string("targetNodeName", "tgName", "defaultRenderGlobals")]),
    ]  # fmt: skip
    scene.links += [
        Link("rs_long", ("message", "msg"), "long", ("legacyRenderLayer", "lrl")),
        Link("renderSetup", LIST_ITEMS, "long", PARENT),
        Link("long", LIST_ITEMS, "longSettings", PARENT),
        Link("longSettings", LIST_ITEMS, "longEnd", PARENT),
    ]
    return scene


def test_real_scene_forms_same_records_live_and_offline(tmp_path):
    description = real_forms_scene(tmp_path)
    offline = scan_file(str(write_ma(description)), environ=ENVIRON)
    load(description, {})
    live = live_scan()
    assert records(live) == records(offline)
    kinds = {dep.path.rpartition("/")[2]: (dep.kind, dep.provided_by) for dep in live.dependencies}
    assert kinds == {"set.usda": ("usd", ""), "wood.png": ("texture", ""), "wood.tx": ("converted texture", ""),
                     "config.ocio": ("ocio", "Maya")}  # fmt: skip
    assert {output.node: output.range for output in live.outputs}["long"] == "1-20"
