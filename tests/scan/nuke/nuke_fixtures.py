"""Materialise the Nuke fixtures under a temporary root, with their files on disk."""

from pathlib import Path

FIXTURES = Path(__file__).parents[2] / "fixtures" / "nuke"


def frames(folder, pattern, numbers):
    folder.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        (folder / (pattern % number)).write_text("")


def install(fixture, target, root):
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((FIXTURES / fixture).read_text().replace("__ROOT__", str(root)))


def build_show(tmp_path):
    """The shot's files on disk, with some frames deliberately missing."""
    root = tmp_path / "show"
    install("shot_v012.nk", root / "comp" / "shot_v012.nk", root)
    install("bg_precomp.nk", root / "precomp" / "bg_precomp.nk", root)
    install("StudioGlow.gizmo", root / "gizmos" / "StudioGlow.gizmo", root)
    install("config.ocio", root / "comp" / "ocio" / "config.ocio", root)
    frames(root / "plates", "plate.%04d.exr", [n for n in range(1001, 1011) if n not in (1005, 1006)])
    frames(root / "plates", "bg.%04d.exr", range(1001, 1011))
    frames(root / "elements", "smoke.%04d.exr", [1003, 1004])
    frames(root / "stereo", "hero_left.%04d.exr", range(1001, 1011))
    frames(root / "stereo", "hero_right.%04d.exr", range(1001, 1010))
    frames(root / "deep", "d.%04d.exr", range(1001, 1011))
    frames(root / "renders", "prev.%04d.exr", range(1001, 1011))
    for path in (
        "geo/set.abc",
        "cam/cam.abc",
        "luts/user.cube",
        "comp/luts/grade.cube",
        "fonts/Inter.ttf",
        "gizmos/glow.cube",
        "bgplates/bg.exr",
        "comp/ocio/luts/shot_grade.cube",
        "comp/ocio/shared/film.csp",
    ):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("")
    return root


def environ(root, tmp_path):
    return {
        "PLATES_ROOT": str(root / "bgplates"),
        "NUKE_PATH": str(root / "gizmos"),
        "HOME": str(tmp_path / "home"),
        "ACCSYN_DCC_SYSTEM_FONTS": str(tmp_path / "system-fonts"),
    }
