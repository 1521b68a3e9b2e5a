"""Which Maya node types name files, in which attributes, and how their paths hold frames and tiles.

Kept as data, one ``FileRule`` row (the shape every host's table shares) per (node type, attribute), read
by the offline ``.ma`` reader and the live scan. Attribute names are given long (what ``maya.cmds`` uses)
and short (what ``.ma`` files save).
A node type not listed is still looked at: the live scan asks Maya for every attribute flagged
``usedAsFilename``, the offline reader for string values shaped like a file path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Tuple

from accsyn_dcc.scan.maya.model import AttributeName as A
from accsyn_dcc.scan.node_rules import SWITCHED, TOKENS, FileRule, by_node_type

USE_FRAME_EXTENSION = A("useFrameExtension", "ufe")
FRAME_OFFSET = A("frameOffset", "fo")

FILE_RULES: Tuple[FileRule, ...] = (
    FileRule("file", A("fileTextureName", "ftn"), "texture", SWITCHED, USE_FRAME_EXTENSION, FRAME_OFFSET,
             tiling=A("uvTilingMode", "uvt")),
    FileRule("psdFileTex", A("fileTextureName", "ftn"), "texture", SWITCHED, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileRule("imagePlane", A("imageName", "imn"), "image plane", SWITCHED, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileRule("aiImage", A("filename", "filename"), "texture", TOKENS),
    FileRule("aiPhotometricLight", A("aiFilename", "aifn"), "ies profile"),
    FileRule("aiStandIn", A("dso", "dso"), "proxy", SWITCHED, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileRule("aiVolume", A("filename", "fn"), "volume", TOKENS),
    FileRule("AlembicNode", A("abc_File", "fn"), "cache"),
    FileRule("AlembicNode", A("abc_layerFiles", "fns"), "cache", many=True),
    FileRule("gpuCache", A("cacheFileName", "cfn"), "cache"),
    FileRule("cacheFile", A("cacheName", "cn"), "cache", suffix=".xml", folder=A("cachePath", "cp")),
    FileRule("audio", A("filename", "f"), "audio"),
    FileRule("assemblyReference", A("definition", "def"), "reference"),
    FileRule("mayaUsdProxyShape", A("filePath", "fp"), "usd"),
    FileRule("pxrUsdReferenceAssembly", A("filePath", "fp"), "usd"),
    FileRule("xgmPalette", A("xgFileName", "xfn"), "xgen"),
    FileRule("pgYetiMaya", A("cacheFileName", "cfn"), "cache", TOKENS),
    FileRule("VRayMesh", A("fileName", "fn"), "proxy", TOKENS),
    FileRule("VRayVolumeGrid", A("inPath", "inPath"), "volume", TOKENS),
    FileRule("VRayScene", A("FilePath", "fpth"), "proxy", TOKENS),
    FileRule("RedshiftProxyMesh", A("fileName", "fn"), "proxy", SWITCHED, USE_FRAME_EXTENSION, FRAME_OFFSET),
    FileRule("RedshiftVolumeShape", A("fileName", "fn"), "volume", TOKENS),
    FileRule("RedshiftDomeLight", A("tex0", "tex0"), "texture"),
    FileRule("RedshiftNormalMap", A("tex0", "tex0"), "texture"),
    FileRule("RedshiftIESLight", A("profile", "profile"), "ies profile"),
    FileRule("colorManagementGlobals", A("configFilePath", "cfp"), "ocio", enabled_by=A("configFileEnabled", "cfe")),
)  # fmt: skip
"""The attributes naming files a render reads (``node_rules``): a ``SWITCHED`` path names one frame, its ``switch``
(``useFrameExtension``) makes it a sequence shifted by ``frame_offset``; an ``enabled_by`` attribute is a toggle."""
RULES_BY_TYPE = by_node_type(FILE_RULES)

NOT_INPUT_TYPES: FrozenSet[str] = frozenset({
    # Render settings and outputs: their string attributes name what the render writes, not reads.
    "renderGlobals", "aiOptions", "aiAOVDriver", "aiAOV", "VRaySettingsNode", "RedshiftOptions", "rmanGlobals",
    "rmanDisplay", "renderLayer", "renderSetupLayer", "renderSetup", "collection", "renderSettingsCollection",
    "simpleSelector", "absOverride", "absUniqueOverride", "relOverride", "relUniqueOverride", "reference",
    "script", "shared", "nodeGraphEditorInfo", "lightLinker", "displayLayer", "renderLayerManager",
    "displayLayerManager", "hyperGraphInfo", "hyperLayout", "objectSet", "shadingEngine", "materialInfo",
    "expression", "animCurveTL", "animCurveTA", "animCurveTU", "time", "timeEditor", "sequenceManager",
    "mesh", "transform", "camera", "nurbsCurve", "groupId", "place2dTexture", "place3dTexture",
})  # fmt: skip
"""Node types whose string values never name an input file (checked only by the path-shaped fallback)."""


@dataclass(frozen=True)
class ConvertedTexture:
    """A renderer's own conversion of a texture, made beside it, which that renderer reads in its place."""

    suffix: str
    keeps_extension: bool
    """True when the suffix follows the whole name (RenderMan's ``image.png.tex``), else it replaces the extension."""
    options_node: str = ""
    options_type: str = ""
    switches: Tuple[A, ...] = ()
    """On/off attributes of ``options_node``, each on by default: the conversion is read when any is on."""


CONVERTED_KIND = "converted texture"
AUTO_TX, USE_EXISTING_TX = A("autotx", "autotx"), A("use_existing_tiled_textures", "use_existing_tiled_textures")
CONVERTED_TEXTURES: Dict[str, ConvertedTexture] = {
    # MtoA reads an existing .tx when "Use Existing .tx Textures" or "Auto-convert Textures" (which forces it) is on.
    "arnold": ConvertedTexture(".tx", False, "defaultArnoldRenderOptions", "aiOptions", (AUTO_TX, USE_EXISTING_TX)),
    "renderman": ConvertedTexture(".tex", True),
    "redshift": ConvertedTexture(".rstexbin", False),
}  # fmt: skip
"""By ``defaultRenderGlobals.currentRenderer``: the converted file each renderer reads when it lies beside the
texture (sent with the texture, which stays sent: a conversion may be older than its source)."""

PROVIDED_BY = "Maya"
INSTALL_PATH_STARTS: Tuple[str, ...] = ("<MAYA_RESOURCES>", "$MAYA_LOCATION", "${MAYA_LOCATION}", "%MAYA_LOCATION%")
"""How a saved path that names a file of Maya's own install starts (the default OCIO config
``<MAYA_RESOURCES>/OCIO-configs/Maya2022-default/config.ocio``): the render node's Maya provides it."""

SHARED_NODE_TYPES: Dict[str, str] = {
    "defaultRenderGlobals": "renderGlobals",
    "defaultResolution": "resolution",
    "defaultColorMgtGlobals": "colorManagementGlobals",
    "time1": "time",
}
"""Maya's default nodes a ``.ma`` file edits with ``select -ne :name`` instead of creating them."""
