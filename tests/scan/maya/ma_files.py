"""Maya ASCII scenes written in the forms Maya 2024 saves them, for the offline reader's tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

HEADER = """//Maya ASCII 2024 scene
//Name: {name}
//Last modified: Mon, Nov 23, 2026 04:12:55 PM
//Codeset: UTF-8
"""

FOOTER = "// End of {name}\n"


def maya_ascii(name: str, body: str, references: str = "", requires: Iterable[str] = ()) -> str:
    """A whole .ma text: header, references, ``requires``, units, fileInfo, then ``body``."""
    required = "".join(f"{line}\n" for line in requires)
    return (
        HEADER.format(name=name)
        + references
        + 'requires maya "2024";\n'
        + required
        + "currentUnit -l centimeter -a degree -t film;\n"
        + 'fileInfo "application" "maya";\n'
        + 'fileInfo "product" "Maya 2024";\n'
        + 'fileInfo "version" "2024";\n'
        + body
        + FOOTER.format(name=name)
    )


CAMERAS = """createNode transform -s -n "persp";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000245";
\tsetAttr ".v" no;
\tsetAttr ".t" -type "double3" 28 21 28 ;
createNode camera -s -n "perspShape" -p "persp";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000246";
\tsetAttr -k off ".v" no;
\tsetAttr ".fl" 34.999999999999993;
\tsetAttr ".coi" 44.82186966202994;
\tsetAttr ".rnd" no;
\tsetAttr ".imn" -type "string" "persp";
\tsetAttr ".den" -type "string" "persp_depth";
\tsetAttr ".man" -type "string" "persp_mask";
\tsetAttr ".hc" -type "string" "viewSet -p %camera";
createNode transform -s -n "top";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000247";
createNode camera -s -n "topShape" -p "top";
\tsetAttr -k off ".v" no;
\tsetAttr ".rnd" no;
\tsetAttr ".imn" -type "string" "top";
\tsetAttr ".o" yes;
createNode transform -n "shotCam";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000301";
createNode camera -n "shotCamShape" -p "shotCam";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000302";
\tsetAttr -k off ".v";
\tsetAttr ".cap" -type "double2" 1.41732 0.94488 ;
\tsetAttr ".imn" -type "string" "camera1";
"""

GEOMETRY = """createNode transform -n "pCube1";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000310";
createNode mesh -n "pCubeShape1" -p "pCube1";
\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000311";
\tsetAttr -k off ".v";
\tsetAttr ".vir" yes;
\tsetAttr ".uvst[0].uvsn" -type "string" "map1";
\tsetAttr -s 14 ".uvst[0].uvsp[0:13]" -type "float2" 0.375 0 0.625 0 0.375 0.25 0.625 0.25 0.375 0.5 0.625 0.5 0.375
\t\t 0.75 0.625 0.75 0.375 1 0.625 1 0.875 0 0.875 0.25 0.125 0 0.125 0.25;
\tsetAttr ".cuvs" -type "string" "map1";
\tsetAttr -s 8 ".vt[0:7]"  -0.5 -0.5 0.5 0.5 -0.5 0.5 -0.5 0.5 0.5 0.5 0.5 0.5 -0.5 0.5 -0.5 0.5 0.5 -0.5
\t\t -0.5 -0.5 -0.5 0.5 -0.5 -0.5;
"""


def texture(name: str, path: str, extra: str = "") -> str:
    """A ``file`` node with its place2dTexture, as Hypershade creates it."""
    return (
        f'createNode file -n "{name}";\n'
        '\trename -uid "3A1B2900-0000-1F2E-5E7A-0B1A00000400";\n'
        f'\tsetAttr ".ftn" -type "string" "{path}";\n'
        '\tsetAttr ".cs" -type "string" "sRGB";\n' + extra + f'createNode place2dTexture -n "{name}_place2d";\n'
    )


def render_globals(prefix: str, first: int, last: int, renderer: str = "arnold") -> str:
    return (
        "select -ne :defaultRenderGlobals;\n"
        '\taddAttr -ci true -h true -sn "dss" -ln "defaultSurfaceShader" -dt "string";\n'
        f'\tsetAttr ".ren" -type "string" "{renderer}";\n'
        '\tsetAttr ".outf" 51;\n'
        '\tsetAttr ".imfkey" -type "string" "exr";\n'
        '\tsetAttr ".an" yes;\n'
        f'\tsetAttr ".fs" {first};\n'
        f'\tsetAttr ".ef" {last};\n'
        '\tsetAttr ".pff" yes;\n'
        '\tsetAttr ".peie" 2;\n'
        '\tsetAttr ".pad" 4;\n'
        f'\tsetAttr ".ifp" -type "string" "{prefix}";\n'
        '\tsetAttr ".dss" -type "string" "lambert1";\n'
        "select -ne :time1;\n"
        f'\tsetAttr ".o" {first};\n'
        f'\tsetAttr ".unw" {first};\n'
    )


def setup_layer(name: str, index: int, renderable: bool = True) -> str:
    """A Render Setup layer and its legacy render layer."""
    text = (
        f'createNode renderSetupLayer -n "{name}";\n'
        f'\trename -uid "097D8900-0000-6947-5A9E-BE9F0000A1{index:02d}";\n'
        '\taddAttr -ci true -sn "expandedState" -ln "expandedState" -min 0 -max 1 -at "bool";\n'
        f'createNode renderLayer -n "rs_{name}";\n'
        f'\trename -uid "097D8900-0000-6947-5A9E-BE9F0000A2{index:02d}";\n'
    )
    if not renderable:
        text += '\tsetAttr ".rndr" no;\n'
    return text + f'\tsetAttr ".do" {index};\n'


def range_overrides(layer: str, first: int, last: int) -> str:
    """A layer's render settings collection overriding defaultRenderGlobals' start and end frames."""
    collection = f"{layer}_RenderSettingsCollection"
    body = (
        f'createNode renderSettingsCollection -n "{collection}";\n'
        '\taddAttr -ci true -sn "expandedState" -ln "expandedState" -min 0 -max 1 -at "bool";\n'
        f'createNode simpleSelector -n "{collection}Selector";\n'
        '\tsetAttr ".ssl" -type "string" "defaultRenderQuality\\ndefaultArnoldRenderOptions\\ndefaultRenderGlobals\\n'
        'defaultArnoldDriver\\ndefaultResolution\\ndefaultArnoldFilter";\n'
        '\tsetAttr ".tf" 0;\n'
    )
    for attribute, value in (("startFrame", first), ("endFrame", last)):
        body += (
            f'createNode absUniqueOverride -n "{layer}_{attribute}";\n'
            f'\taddAttr -ci true -sn "atv" -ln "attrValue" -at "time";\n'
            f'\tsetAttr ".atr" -type "string" "{attribute}";\n'
            '\tsetAttr ".tgName" -type "string" "defaultRenderGlobals";\n'
            f'\tsetAttr ".atv" {value};\n'
        )
    connections = (
        f'connectAttr "{collection}Selector.c" "{collection}.sel";\n'
        f'connectAttr "{layer}.lit" "{collection}.pls";\n'
        f'connectAttr "{layer}.nic" "{collection}.pic";\n'
        f'connectAttr "{layer}_startFrame.msg" "{collection}.cl";\n'
        f'connectAttr "{layer}_endFrame.msg" "{collection}.ch";\n'
        f'connectAttr "{collection}.lit" "{layer}_startFrame.pls";\n'
        f'connectAttr "{collection}.en" "{layer}_startFrame.pen";\n'
        f'connectAttr "{layer}_startFrame.nxt" "{layer}_endFrame.prv";\n'
        f'connectAttr "{collection}.lit" "{layer}_endFrame.pls";\n'
        f'connectAttr "{collection}.en" "{layer}_endFrame.pen";\n'
    )
    return body, connections  # type: ignore[return-value]


def camera_override(layer: str, camera_shape: str, renderable: bool) -> tuple:
    """A collection in ``layer`` selecting ``camera_shape`` with an absolute override of ``renderable``."""
    collection = f"{layer}_cameras"
    body = (
        f'createNode collection -n "{collection}";\n'
        '\taddAttr -ci true -sn "expandedState" -ln "expandedState" -min 0 -max 1 -at "bool";\n'
        f'createNode simpleSelector -n "{collection}Selector";\n'
        f'\tsetAttr ".ssl" -type "string" "{camera_shape}";\n'
        '\tsetAttr ".tf" 4;\n'
        f'createNode absOverride -n "{layer}_renderable";\n'
        '\taddAttr -ci true -sn "atv" -ln "attrValue" -min 0 -max 1 -at "bool";\n'
        '\tsetAttr ".atr" -type "string" "renderable";\n'
        f'\tsetAttr ".atv" {"yes" if renderable else "no"};\n'
    )
    connections = (
        f'connectAttr "{collection}Selector.c" "{collection}.sel";\n'
        f'connectAttr "{layer}.lit" "{collection}.pls";\n'
        f'connectAttr "{layer}.nic" "{collection}.pic";\n'
        f'connectAttr "{layer}_renderable.msg" "{collection}.cl";\n'
        f'connectAttr "{collection}.lit" "{layer}_renderable.pls";\n'
        f'connectAttr "{collection}.en" "{layer}_renderable.pen";\n'
    )
    return body, connections


def layer_connections(names: Iterable[str]) -> str:
    text = ""
    previous = None
    for index, name in enumerate(names, start=1):
        text += f'connectAttr "rs_{name}.msg" "{name}.lrl";\n'
        text += f'connectAttr "renderSetup.lit" "{name}.pls";\n'
        text += f'connectAttr "renderLayerManager.rlmi[{index}]" "rs_{name}.rlid";\n'
        if previous:
            text += f'connectAttr "{previous}.nxt" "{name}.prv";\n'
        previous = name
    return text


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def must_show_scene(folder: Path) -> Path:
    """The scene of issue 13's first 'Must show': a .mb reference, a texture beside the scene saved with
    another machine's absolute path, and three render-setup layers (one with its own 20-30 range and the
    shot camera)."""
    write(folder / "assets" / "chair.mb", "Maya binary stand-in bytes")
    (folder / "scenes").mkdir(parents=True, exist_ok=True)
    (folder / "scenes" / "wood.png").write_bytes(b"\x89PNG\r\n")
    references = (
        'file -rdi 1 -ns "chair" -rfn "chairRN" -op "v=0;" -typ "mayaBinary" "{mb}";\n'
        'file -r -ns "chair" -rfn "chairRN" -op "v=0;" -typ "mayaBinary" "{mb}";\n'
    ).format(mb=(folder / "assets" / "chair.mb").as_posix())
    range_body, range_links = range_overrides("fx", 20, 30)
    camera_body, camera_links = camera_override("fx", "shotCamShape", True)
    body = (
        CAMERAS
        + GEOMETRY
        + texture("woodFile", "C:/Users/bob/Documents/maya/projects/shop/sourceimages/wood.png")
        + 'createNode renderSetup -n "renderSetup";\n'
        + setup_layer("beauty", 1)
        + setup_layer("fx", 2)
        + setup_layer("shadow", 3)
        + range_body
        + camera_body
        + 'createNode renderLayerManager -n "renderLayerManager";\n'
        + '\tsetAttr -s 4 ".rlmi[1:3]"  1 2 3;\n'
        + 'createNode renderLayer -n "defaultRenderLayer";\n'
        + '\tsetAttr ".g" yes;\n'
        + '\tsetAttr ".rndr" no;\n'
        + render_globals("<Scene>/<RenderLayer>/<Camera>/<RenderLayer>", 1, 48)
        + layer_connections(["beauty", "fx", "shadow"])
        + range_links
        + camera_links
        + 'connectAttr "woodFile.oc" "lambert1.c";\n'
    )
    scene = folder / "scenes" / "shot.ma"
    return write(scene, maya_ascii("shot.ma", body, references, ['requires "mtoa" "5.3.4.1";']))


def dag_chain(depth: int, leaves: int = 0, caches: bool = False) -> str:
    """A scene of ``depth`` transforms each under the one before (``n0`` ... ``n<depth - 1>``), then ``leaves``
    nodes under the deepest: transforms, or with ``caches`` GPU caches each reading ``/caches/c<i>.abc``."""
    chain = ['createNode transform -n "n0";\n']
    chain += [f'createNode transform -n "n{index}" -p "n{index - 1}";\n' for index in range(1, depth)]
    for index in range(leaves):
        kind = "gpuCache" if caches else "transform"
        chain.append(f'createNode {kind} -n "c{index}" -p "n{depth - 1}";\n')
        chain += [f'\tsetAttr ".cfn" -type "string" "/caches/c{index}.abc";\n'] if caches else []
    return maya_ascii("deep.ma", "".join(chain))


def many_overrides(count: int) -> str:
    """One render setup layer whose one collection holds ``count`` absolute overrides."""
    body = ['createNode renderSetupLayer -n "L";\ncreateNode collection -n "C";\n']
    body += [f'createNode absOverride -n "o{index}";\n\tsetAttr ".atr" -type "string" "startFrame";\n'
             '\tsetAttr ".tgName" -type "string" "defaultRenderGlobals";\n\tsetAttr ".atv" 7;\n'
             for index in range(count)]  # fmt: skip
    body.append('connectAttr "L.lit" "C.pls";\n')
    body += [f'connectAttr "C.lit" "o{index}.pls";\n' for index in range(count)]
    return maya_ascii("overrides.ma", "".join(body))
