"""Forms found in real public Maya ASCII files, each written as Maya saves it (the "real scenes" issue)."""

from __future__ import annotations

import os

from ma_files import layer_connections, maya_ascii, range_overrides, render_globals, setup_layer, texture, write

from accsyn_dcc.scan.maya import project as maya_project
from accsyn_dcc.scan.maya.scanner import scan_file

INCREMENTAL = ("scenes", "seq010", "sh020", "incrementalSave", "sh020.ma", "sh020.0040.ma")
"""Where Maya's incremental save of ``scenes/seq010/sh020/sh020.ma`` writes its 40th copy."""


def by_path(result):
    return {dep.path: dep for dep in result.dependencies}


def test_a_usd_reference_assembly_beside_the_scene_is_sent_with_what_it_loads(tmp_path):
    scenes = tmp_path / "scenes"
    write(scenes / "wood.png", "png")
    write(scenes / "part.usda", '#usda 1.0\ndef Xform "Part"\n{\n}\n')
    write(
        scenes / "ShapesModel.usda",
        '#usda 1.0\n(\n    subLayers = [@./part.usda@]\n)\n\ndef Shader "Tex"\n{\n'
        "    asset inputs:file = @./wood.png@\n}\n",
    )
    body = (
        'createNode transform -n "UsdExportAssemblyEditsTest";\n'
        '\trename -uid "B3ABA940-0000-1380-5C9B-ED140000025B";\n'
        'createNode pxrUsdReferenceAssembly -n "ModelNoEdits" -p "UsdExportAssemblyEditsTest";\n'
        '\trename -uid "B3ABA940-0000-1380-5C9B-ED0400000259";\n'
        '\tsetAttr ".isc" yes;\n'
        '\tsetAttr ".t" -type "double3" 0 25 0 ;\n'
        '\tsetAttr ".fp" -type "string" "./ShapesModel.usda";\n'
        '\tsetAttr ".pp" -type "string" "/ShapesModel";\n'
        '\tsetAttr ".rns" -type "string" "NS_ModelNoEdits";\n'
    )
    scene = write(scenes / "assembly.ma", maya_ascii("assembly.ma", body, requires=['requires "pxrUsd" "1.0";']))
    result = scan_file(str(scene))
    found = by_path(result)
    layer = found[(scenes / "ShapesModel.usda").as_posix()]
    assert (layer.kind, layer.node.rpartition("|")[2], layer.exists) == ("usd", "ModelNoEdits", True)
    assert found[(scenes / "part.usda").as_posix()].exists
    assert found[(scenes / "wood.png").as_posix()].exists
    assert not result.missing


def test_the_default_ocio_config_in_mayas_resources_is_provided_by_maya_never_blocking(tmp_path):
    body = (
        render_globals("<Scene>", 1, 10)
        + (
            "select -ne :defaultColorMgtGlobals;\n"
            '\tsetAttr ".cfe" yes;\n'
            '\tsetAttr ".cfp" -type "string" "<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio";\n'
            '\tsetAttr ".vtn" -type "string" "ACES 1.0 SDR-video (sRGB)";\n'
            '\tsetAttr ".wsn" -type "string" "ACEScg";\n'
        )
        + texture("lutFile", "$MAYA_LOCATION/resources/luts/ramp.png")
    )
    scene = write(tmp_path / "scenes" / "ocio.ma", maya_ascii("ocio.ma", body))
    result = scan_file(str(scene), environ={})
    config = by_path(result)["<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio"]
    assert (config.kind, config.provided_by, config.files) == ("ocio", "Maya", ())
    assert by_path(result)["$MAYA_LOCATION/resources/luts/ramp.png"].provided_by == "Maya"
    assert not result.missing and not result.unresolved and not result.errors
    assert "provided by the render node's Maya" in config.notes


def test_an_incremental_save_deep_in_its_project_finds_the_projects_workspace(tmp_path):
    project = tmp_path / "show"
    write(project / "workspace.mel", '//Maya 2024 Project Definition\n\nworkspace -fr "sourceImages" "textures";\n')
    write(project / "textures" / "wood.png", "png")
    write(project / "assets" / "chair.ma", maya_ascii("chair.ma", texture("chairFile", "textures/wood.png")))
    references = 'file -rdi 1 -ns "chair" -rfn "chairRN" -op "v=0;" -typ "mayaAscii" "assets/chair.ma";\n'
    references += 'file -r -ns "chair" -rfn "chairRN" -op "v=0;" -typ "mayaAscii" "assets/chair.ma";\n'
    body = texture("woodFile", "textures/wood.png") + texture("lostFile", "C:/Users/bob/show/textures/wood.png")
    scene = write(project.joinpath(*INCREMENTAL), maya_ascii("sh020.0040.ma", body, references))
    result = scan_file(str(scene))
    assert result.facts["project"] == str(project)
    found = by_path(result)
    assert found[(project / "textures" / "wood.png").as_posix()].exists
    assert found[(project / "assets" / "chair.ma").as_posix()].exists
    assert {dep.node for dep in result.dependencies} >= {"woodFile", "lostFile", "chairRN", "chair:chairFile"}
    assert not result.missing


def test_without_a_workspace_the_project_is_above_the_nearest_scenes_folder(tmp_path):
    write(tmp_path / "show" / "sourceimages" / "wood.png", "png")
    body = texture("woodFile", "sourceimages/wood.png")
    scene = write(tmp_path.joinpath("show", *INCREMENTAL), maya_ascii("sh020.0040.ma", body))
    result = scan_file(str(scene))
    assert result.facts["project"] == str(tmp_path / "show") and not result.missing


def test_the_project_is_looked_for_with_one_check_a_level_and_at_most_33(tmp_path, monkeypatch):
    checked = []
    monkeypatch.setattr(maya_project.os.path, "isfile", lambda path: checked.append(path) or False)
    deep = tmp_path.joinpath(*(f"d{level}" for level in range(60)), "scene.ma")
    assert maya_project.find_project(str(deep)).root == str(deep.parent)
    assert len(checked) == maya_project.SEARCH_LEVELS + 1 == 33
    assert len(set(checked)) == len(checked)
    shallow = maya_project.find_project(os.path.join(os.sep, "scene.ma"))
    assert shallow.root == os.sep and len(checked) == 34


def relative_end_override(layer: str, offset: float) -> tuple:
    """A relative override of defaultRenderGlobals.endFrame in ``layer``'s render settings collection, as the
    Render Setup editor saves one (multiply left at 1, offset set)."""
    collection = f"{layer}_RenderSettingsCollection"
    body = (
        f'createNode renderSettingsCollection -n "{collection}";\n'
        '\taddAttr -ci true -sn "expandedState" -ln "expandedState" -min 0 -max 1 -at "bool";\n'
        f'createNode simpleSelector -n "{collection}Selector";\n'
        '\tsetAttr ".ssl" -type "string" "defaultRenderGlobals";\n'
        f'createNode relUniqueOverride -n "{layer}_endFrame";\n'
        '\trename -uid "097D8900-0000-6947-5A9E-BE9F0000A301";\n'
        '\taddAttr -ci true -sn "mul" -ln "multiply" -dv 1 -at "time";\n'
        '\taddAttr -ci true -sn "ofs" -ln "offset" -at "time";\n'
        '\tsetAttr ".atr" -type "string" "endFrame";\n'
        '\tsetAttr ".tgName" -type "string" "defaultRenderGlobals";\n'
        f'\tsetAttr ".ofs" {offset};\n'
    )
    connections = (
        f'connectAttr "{collection}Selector.c" "{collection}.sel";\n'
        f'connectAttr "{layer}.lit" "{collection}.pls";\n'
        f'connectAttr "{layer}.nic" "{collection}.pic";\n'
        f'connectAttr "{layer}_endFrame.msg" "{collection}.cl";\n'
        f'connectAttr "{collection}.lit" "{layer}_endFrame.pls";\n'
        f'connectAttr "{collection}.en" "{layer}_endFrame.pen";\n'
    )
    return body, connections


def test_a_relative_render_setup_override_shifts_a_layers_range_as_maya_does(tmp_path):
    long_body, long_links = relative_end_override("long", 10)
    both_body, both_links = range_overrides("both", 5, 8)
    scaled_body, scaled_links = relative_end_override("both", 2)
    scaled_body = scaled_body.replace('"both_RenderSettingsCollection', '"both_rel').replace("both_endFrame", "both_e")
    scaled_body = scaled_body.replace(
        '"mul" -ln "multiply" -dv 1 -at "time";\n', '"mul" -ln "multiply" -dv 1 -at "time";\n\tsetAttr ".mul" 3;\n'
    )
    scaled_links = scaled_links.replace("both_RenderSettingsCollection", "both_rel").replace("both_endFrame", "both_e")
    body = (
        render_globals("<RenderLayer>/<Scene>", 1, 10)
        + 'createNode renderSetup -n "renderSetup";\n'
        + setup_layer("long", 1)
        + setup_layer("both", 2)
        + long_body
        + both_body
        + scaled_body
        + layer_connections(["long", "both"])
        + long_links
        + both_links
        + scaled_links
    )
    scene = write(tmp_path / "scenes" / "relative.ma", maya_ascii("relative.ma", body))
    result = scan_file(str(scene))
    ranges = {layer["name"]: layer["range"] for layer in result.facts["layers"]}
    assert ranges == {"masterLayer": "1-10", "long": "1-20", "both": "5-26"}
    assert {output.node: str(output.range) for output in result.outputs}["long"] == "1-20"


def converted_scene(folder, renderer: str, options: str = ""):
    """A scene rendered by ``renderer`` with a texture, a UDIM texture and one never converted."""
    write(folder / "sourceimages" / "wood.png", "png")
    write(folder / "sourceimages" / "rock.png", "png")
    for tile in (1001, 1002):
        write(folder / "sourceimages" / f"skin.{tile}.png", "png")
    body = (
        render_globals("<Scene>", 1, 10, renderer)
        + options
        + texture("woodFile", "sourceimages/wood.png")
        + texture("rockFile", "sourceimages/rock.png")
        + texture("skinFile", "sourceimages/skin.1001.png", '\tsetAttr ".uvt" 3;\n')
    )
    return write(folder / "scenes" / "converted.ma", maya_ascii("converted.ma", body))


def converted(result):
    return sorted(os.path.basename(dep.path) for dep in result.dependencies if dep.kind == "converted texture")


def test_arnold_renders_the_tx_made_beside_each_texture_which_is_sent_with_it(tmp_path):
    scene = converted_scene(tmp_path, "arnold")
    for name in ("wood.tx", "skin.1001.tx", "skin.1002.tx"):
        write(tmp_path / "sourceimages" / name, "tx")
    result = scan_file(str(scene))
    assert converted(result) == ["skin.<UDIM>.tx", "wood.tx"]
    tx = by_path(result)[(tmp_path / "sourceimages" / "wood.tx").as_posix()]
    assert (tx.node, tx.knob, tx.exists) == ("woodFile", "fileTextureName", True)
    assert by_path(result)[(tmp_path / "sourceimages" / "wood.png").as_posix()].exists  # the source is sent too
    assert not result.missing


def test_arnold_with_use_existing_tx_and_auto_tx_off_reads_the_source_only(tmp_path):
    options = (
        'createNode aiOptions -s -n "defaultArnoldRenderOptions";\n'
        '\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000500";\n'
        '\tsetAttr ".version" -type "string" "5.3.1.1";\n'
        '\tsetAttr ".autotx" no;\n'
        '\tsetAttr ".use_existing_tiled_textures" no;\n'
    )
    scene = converted_scene(tmp_path, "arnold", options)
    write(tmp_path / "sourceimages" / "wood.tx", "tx")
    assert converted(scan_file(str(scene))) == []


def test_renderman_reads_the_tex_and_redshift_the_rstexbin_beside_a_texture(tmp_path):
    write(tmp_path / "rman" / "sourceimages" / "wood.png.tex", "tex")
    write(tmp_path / "rman" / "sourceimages" / "wood.tx", "tx")
    assert converted(scan_file(str(converted_scene(tmp_path / "rman", "renderman")))) == ["wood.png.tex"]
    write(tmp_path / "rs" / "sourceimages" / "rock.rstexbin", "rs")
    assert converted(scan_file(str(converted_scene(tmp_path / "rs", "redshift")))) == ["rock.rstexbin"]


def test_a_fractional_current_time_is_kept_and_its_whole_frame_said_for_a_single_frame_render(tmp_path):
    still = render_globals("<Scene>", 1, 10).replace('setAttr ".an" yes', 'setAttr ".an" no')
    still = still.replace('\tsetAttr ".o" 1;\n', '\tsetAttr ".o" 103.75;\n')
    result = scan_file(str(write(tmp_path / "scenes" / "still.ma", maya_ascii("still.ma", still))))
    assert (str(result.frame_range), result.facts["current_time"]) == ("104", 103.75)
    assert [error for error in result.errors if "103.75" in error and "frame 104" in error]
    animated = render_globals("<Scene>", 1, 10).replace('\tsetAttr ".o" 1;\n', '\tsetAttr ".o" 3.5;\n')
    result = scan_file(str(write(tmp_path / "scenes" / "shot.ma", maya_ascii("shot.ma", animated))))
    assert (str(result.frame_range), result.facts["current_time"], result.errors) == ("1-10", 3.5, [])
