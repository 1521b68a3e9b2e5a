"""Stand-in ``maya.cmds``: the commands the accsyn plugin calls, with Autodesk's long flag names.

Errors follow Maya's: ``getAttr`` on a missing plug raises ``ValueError``, ``ls`` of an unknown node type
raises ``RuntimeError``, ``listConnections`` answers None when there is nothing.
"""

from __future__ import annotations

import fnmatch
from typing import Any, Callable, List, Optional, Union

from maya._scene import Reference, state


def about(*, version: bool = False, batch: bool = False, apiVersion: bool = False) -> Any:
    current = state()
    if batch:
        return current.batch
    if apiVersion:
        return int(current.version) * 10000
    return current.version


def currentUnit(*, query: bool = False, time: bool = False) -> str:
    return state().time_unit


def file(arg0: str = "", /, *, query: bool = False, sceneName: bool = False, modified: bool = False,
         reference: bool = False, save: bool = False, force: bool = False) -> Any:  # fmt: skip
    current = state()
    if save:
        if not current.scene_name:
            raise RuntimeError("File has not been named.")
        current.saved += 1
        current.modified = False
        return current.scene_name
    if query and sceneName:
        return current.scene_name
    if query and modified:
        return current.modified
    if query and reference:
        if not arg0:
            return [item.path for item in current.references]
        found = _reference(arg0)
        if found is None:
            raise RuntimeError(f"Reference not found: {arg0}")
        return [item.path for item in found.children]
    raise NotImplementedError("stand-in maya.cmds.file: flags not modelled")


def referenceQuery(*args: str, referenceNode: bool = False, namespace: bool = False, shortName: bool = False,
                   isLoaded: bool = False, filename: bool = False, unresolvedName: bool = False,
                   withoutCopyNumber: bool = False) -> Any:  # fmt: skip
    found = _reference(args[0])
    if found is None:
        raise RuntimeError(f"The specified reference file cannot be found: {args[0]}")
    if referenceNode:
        return found.node
    if namespace:
        return found.namespace if shortName else ":" + found.namespace
    if isLoaded:
        return found.loaded
    if filename:
        return found.unresolved if unresolvedName else found.path
    raise NotImplementedError("stand-in maya.cmds.referenceQuery: flags not modelled")


def _reference(path: str, items: Optional[List[Reference]] = None) -> Optional[Reference]:
    for item in state().references if items is None else items:
        if item.path == path:
            return item
        inner = _reference(path, item.children)
        if inner is not None:
            return inner
    return None


def ls(*args: str, type: Union[str, List[str], None] = None, long: bool = False, selection: bool = False) -> List[str]:
    current = state()
    if type is not None:
        types = [type] if isinstance(type, str) else list(type)
        unknown = [name for name in types if name not in current.known_types]
        if unknown:
            raise RuntimeError(f"Unknown object type: {unknown[0]}")
        names = [node.name for node in current.nodes.values() if node.type in types]
    else:
        names = list(current.nodes)
    if args:
        names = [
            name for name in names if any(fnmatch.fnmatchcase(name.rpartition("|")[2], pattern) for pattern in args)
        ]
    return names if long else [name.rpartition("|")[2] for name in names]


def nodeType(arg0: str, /) -> str:
    node = state().find(arg0)
    if node is None:
        raise RuntimeError(f"No object matches name: {arg0}")
    return node.type


def getAttr(*args: str, asString: bool = False, silent: bool = False) -> Any:
    current = state()
    current.getattr_calls += 1
    if current.on_getattr is not None:
        current.on_getattr(args[0])
    node_name, _, attribute = args[0].partition(".")
    node = current.find(node_name)
    if node is None:
        raise ValueError(f"No object matches name: {args[0]}")
    long = node.short_names.get(attribute, attribute)
    if long not in node.attributes:
        raise ValueError(f"No object matches name: {args[0]}")
    return node.attributes[long]


def listAttr(arg0: str = "", /, *, usedAsFilename: bool = False) -> Optional[List[str]]:
    node = state().find(arg0)
    if node is None:
        raise ValueError(f"No object matches name: {arg0}")
    names = node.filename_attributes if usedAsFilename else list(node.attributes)
    return list(names) or None


def listConnections(
    *args: str, source: bool = True, destination: bool = True, plugs: bool = False, connections: bool = False
) -> Optional[List[str]]:
    node_name, _, attribute = args[0].partition(".")

    def matches(plug_attribute: str) -> bool:
        return (
            not attribute
            or plug_attribute == attribute
            or plug_attribute.startswith((attribute + "[", attribute + "."))
        )

    found: List[str] = []
    for source_node, source_attribute, target_node, target_attribute in state().connections:
        if source and target_node == node_name and matches(target_attribute):
            if connections:
                found.append(f"{target_node}.{target_attribute}")
            found.append(f"{source_node}.{source_attribute}" if plugs else source_node)
        if destination and source_node == node_name and matches(source_attribute):
            if connections:
                found.append(f"{source_node}.{source_attribute}")
            found.append(f"{target_node}.{target_attribute}" if plugs else target_node)
    return found or None


def listRelatives(*args: str, parent: bool = False, fullPath: bool = False) -> Optional[List[str]]:
    name = args[0]
    if parent and "|" in name.strip("|"):
        owner = name.rpartition("|")[0]
        return [owner if fullPath else owner.rpartition("|")[2]]
    return None


def filePathEditor(*, query: bool = False, listRegisteredTypes: bool = False) -> List[str]:
    return list(state().registered_file_types)


def workspace(arg0: str = "", /, *, query: bool = False, rootDirectory: bool = False,
              fileRuleEntry: str = "") -> str:  # fmt: skip
    current = state()
    if fileRuleEntry:
        return current.file_rules.get(fileRuleEntry, "")
    return current.workspace_root


def pluginInfo(arg0: str = "", /, *, query: bool = False, listPlugins: bool = False, version: bool = False) -> Any:
    current = state()
    if listPlugins:
        return list(current.plugins) or None
    return current.plugins.get(arg0, "")


def editRenderLayerGlobals(*, query: bool = False, currentRenderLayer: str = "") -> str:
    return state().current_layer


def evalDeferred(arg0: Union[str, Callable[[], Any]], /, *, lowestPriority: bool = False) -> None:
    state().deferred.append(arg0)


def scriptJob(*, event: Any = None, runOnce: bool = False) -> int:
    current = state()
    current.script_jobs.append(event)
    return len(current.script_jobs)


def _ui(kind: str, name: str, **values: Any) -> str:
    current = state()
    current.ui[name] = {"kind": kind, **values}
    return name


def shelfLayout(arg0: str = "", /, *, parent: str = "", exists: bool = False) -> Any:
    if exists:
        return arg0 in state().ui
    return _ui("shelf", arg0, parent=parent)


def shelfButton(*, parent: str = "", label: str = "", annotation: str = "", image: str = "",
                imageOverlayLabel: str = "", command: str = "", sourceType: str = "python") -> str:  # fmt: skip
    name = f"{parent}|button{len(state().ui)}"
    return _ui("button", name, parent=parent, label=label, annotation=annotation, image=image,
               imageOverlayLabel=imageOverlayLabel, command=command, sourceType=sourceType)  # fmt: skip


def menu(arg0: str = "", /, *, exists: bool = False) -> Any:
    return arg0 in state().ui


def menuItem(arg0: str = "", /, *, parent: str = "", label: str = "", command: Any = None, divider: bool = False,
             annotation: str = "", exists: bool = False) -> Any:  # fmt: skip
    if exists:
        return arg0 in state().ui
    return _ui("menuItem", arg0 or f"menuItem{len(state().ui)}", parent=parent, label=label, command=command,
               divider=divider, annotation=annotation)  # fmt: skip


def deleteUI(*args: str, layout: bool = False, menuItem: bool = False) -> None:
    for name in args:
        state().ui.pop(name, None)
