"""OCIO configs as OpenColorIO saves them: each read with the library and with the YAML fallback."""

import builtins
import os

import pytest

from accsyn_dcc.references import FileReference
from accsyn_dcc.scan.dependencies import check_references
from accsyn_dcc.scan.ocio import OcioFiles, config_files
from accsyn_dcc.sequences import DirectoryIndex

CONFIG = """ocio_profile_version: 2

environment:
  SHOW: demo
  SHOT: $SHOT
search_path:
  - luts
  - shows/$SHOW
roles:
  default: linear
  scene_linear: linear
displays:
  sRGB:
    - !<View> {name: Film, view_transform: film_look, display_colorspace: linear}
view_transforms:
  - !<ViewTransform>
    name: film_look
    from_scene_reference: !<FileTransform> {src: "view print.spi3d", interpolation: tetrahedral}
looks:
  - !<Look>
    name: shot_grade
    process_space: linear
    transform: !<FileTransform> {src: $SHOT.cc}
colorspaces:
  - !<ColorSpace>
    name: linear
    isdata: false
  - !<ColorSpace>
    name: log
    to_scene_reference: !<GroupTransform>
      children:
        - !<FileTransform> {src: "lin 2 log.spi1d", interpolation: linear}
        - !<MatrixTransform> {matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]}
        - !<FileTransform> {src: absent.cube}
named_transforms:
  - !<NamedTransform>
    name: utility
    transform: !<FileTransform> {src: utility.clf}
"""


@pytest.fixture(params=["library", "yaml"])
def reader(request, monkeypatch):
    """Run each test with PyOpenColorIO, then as if only PyYAML were installed."""
    if request.param == "yaml":
        real_import = builtins.__import__

        def without_ocio(name, *args, **kwargs):
            if name == "PyOpenColorIO":
                raise ImportError(name)
            return real_import(name, *args, **kwargs)

        monkeypatch.setattr(builtins, "__import__", without_ocio)
    return request.param


def write_config(root, text=CONFIG):
    for relative in ("luts/view print.spi3d", "luts/lin 2 log.spi1d", "shows/demo/utility.clf", "luts/sh010.cc"):
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("lut")
    config = root / "config.ocio"
    config.write_text(text)
    return str(config)


def relative(root, found):
    return sorted((os.path.relpath(path, root), exists) for path, exists in found.files)


def test_every_transform_kind_is_read_through_the_search_path_list(tmp_path, reader):
    found = config_files(write_config(tmp_path), {"SHOT": "sh010"}, DirectoryIndex())
    assert relative(tmp_path, found) == [
        ("luts/absent.cube", False),
        ("luts/lin 2 log.spi1d", True),
        ("luts/sh010.cc", True),
        ("luts/view print.spi3d", True),
        ("shows/demo/utility.clf", True),
    ]
    assert found.unresolved == []


def test_the_scene_environment_overrides_the_config_defaults(tmp_path, reader):
    (tmp_path / "shows/other").mkdir(parents=True)
    (tmp_path / "shows/other/utility.clf").write_text("lut")
    found = config_files(write_config(tmp_path), {"SHOT": "sh010", "SHOW": "other"}, DirectoryIndex())
    assert ("shows/other/utility.clf", True) in relative(tmp_path, found)


def test_a_context_variable_without_a_value_is_named(tmp_path, reader):
    text = CONFIG.replace("  SHOT: $SHOT\n", "").replace("{src: $SHOT.cc}", "{src: $TAKE.cc}")
    found = config_files(write_config(tmp_path, text), {}, DirectoryIndex())
    assert found.unresolved == [("$TAKE.cc", "environment variable TAKE is not set here")]
    assert ("luts/lin 2 log.spi1d", True) in relative(tmp_path, found)


def test_a_colon_separated_search_path_and_an_absolute_source(tmp_path, reader):
    elsewhere = tmp_path / "elsewhere.cube"
    elsewhere.write_text("lut")
    text = (
        "ocio_profile_version: 1\nsearch_path: luts:shows/demo\nroles:\n  default: raw\ncolorspaces:\n"
        "  - !<ColorSpace>\n    name: raw\n  - !<ColorSpace>\n    name: grade\n"
        f"    from_reference: !<GroupTransform> {{children: [!<FileTransform> {{src: {elsewhere}}},"
        " !<FileTransform> {src: utility.clf}]}\n"
    )
    found = config_files(write_config(tmp_path, text), {}, DirectoryIndex())
    assert relative(tmp_path, found) == [("elsewhere.cube", True), ("shows/demo/utility.clf", True)]


@pytest.mark.parametrize("text", ["colorspaces: [unclosed", "- just\n- a list\n", "\x00\x01binary"])
def test_a_config_neither_reader_accepts_is_reported_without_its_contents(tmp_path, reader, text):
    found = config_files(write_config(tmp_path, text), {}, DirectoryIndex())
    assert found.files == []
    [(source, reason)] = found.unresolved
    assert source.endswith("config.ocio")
    assert "unclosed" not in reason and "just" not in reason


def test_without_either_reader_the_config_is_reported(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def without_readers(name, *args, **kwargs):
        if name in ("PyOpenColorIO", "yaml"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_readers)
    found = config_files(write_config(tmp_path), {}, DirectoryIndex())
    reason = "neither opencolorio nor PyYAML is installed to read it"
    assert found.unresolved == [(str(tmp_path / "config.ocio"), reason)]


def test_repeated_yaml_aliases_are_walked_once(tmp_path, reader):
    lines = ["ocio_profile_version: 1", "roles: {default: raw}", "a0: &a0 [{src: x.cube}, {src: x.cube}]"]
    lines += [f"a{level}: &a{level} [*a{level - 1}, *a{level - 1}, *a{level - 1}]" for level in range(1, 40)]
    lines.append("colorspaces: [!<ColorSpace> {name: raw}]")
    found = config_files(write_config(tmp_path, "\n".join(lines) + "\n"), {}, DirectoryIndex())
    assert len(found.files) + len(found.unresolved) <= 1


def test_any_host_s_ocio_reference_brings_its_luts_with_the_scanned_environment(tmp_path, reader):
    config = write_config(tmp_path)
    reference = FileReference(node="Environment", attribute="OCIO", raw=config, path=config, kind="ocio")
    dependencies, unresolved = check_references([reference], None, environ={"SHOT": "sh010"})
    assert [(dependency.kind, dependency.node, dependency.knob) for dependency in dependencies[:2]] == [
        ("ocio", "Environment", "OCIO"),
        ("lut", "Environment", "OCIO"),
    ]
    assert ("luts/sh010.cc", True) in relative(tmp_path, OcioFiles([(d.path, d.exists) for d in dependencies[1:]]))
    assert unresolved == []


def test_a_config_that_is_not_a_regular_file_is_never_opened(tmp_path, reader):
    fifo = tmp_path / "config.ocio"
    os.mkfifo(fifo)
    found = config_files(str(fifo), {}, DirectoryIndex())
    assert found.unresolved == [(str(fifo), "not a regular file (a folder, device or pipe); not read")]


def test_the_command_line_holds_back_opencolorio_s_own_warnings(tmp_path, capfd):
    import contextvars

    pytest.importorskip("PyOpenColorIO")
    from accsyn_dcc.scan import library_warnings

    config = write_config(tmp_path, CONFIG.replace("search_path:", "an_unknown_key: 1\nsearch_path:"))

    def held() -> OcioFiles:
        library_warnings.HOLD.set(True)
        return config_files(config, {"SHOT": "sh010"}, DirectoryIndex())

    assert contextvars.copy_context().run(held).files
    assert "an_unknown_key" not in capfd.readouterr().err
    config_files(config, {"SHOT": "sh010"}, DirectoryIndex())  # a host: OpenColorIO keeps its own say
    assert "an_unknown_key" in capfd.readouterr().err


def test_the_command_line_puts_its_caller_s_warning_setting_back(tmp_path):
    """A pipeline that calls ``main`` in its own process keeps the libraries' warnings after a scan."""
    from accsyn_dcc.cli import main
    from accsyn_dcc.scan import library_warnings

    script = tmp_path / "empty.nk"
    script.write_text("")
    assert main(["scan", str(script)]) == 0
    assert library_warnings.HOLD.get() is False


OCIO_PIECES = [
    "!<FileTransform> {src: x}", "$", "${", "{", "}", "[", "]", ":", "- ", "\n", "  ", "&a ", "*a", "!<", ">", "'",
    '"', "\x00", "\x1b[2J", "search_path: ", "environment: {A: $A}", "src: /proc/self/environ",
    "src: $ACCSYN_API_KEY.cube", "environment: {ACCSYN_API_KEY: x}", "file_rules:\n  - !<Rule> {pattern: ",
    "#" * 100_000, "(" * 20_000,
]  # fmt: skip


def test_mutated_configs_give_files_or_a_named_reason(tmp_path, reader):

    from fuzzing import SECRET, fuzz_count, fuzz_rng, mutate

    config = write_config(tmp_path)
    rng = fuzz_rng(f"accsyn-ocio-{reader}")
    for _ in range(fuzz_count(150)):
        text = mutate(CONFIG, rng, OCIO_PIECES)
        (tmp_path / "config.ocio").write_text(text, encoding="utf-8", errors="surrogatepass")
        found = config_files(config, {"SHOT": "sh010", "ACCSYN_API_KEY": SECRET}, DirectoryIndex())
        assert SECRET not in repr(found) and all(reason for _source, reason in found.unresolved)


def test_a_config_is_data_no_tag_in_it_runs_code(tmp_path, reader):
    ran = tmp_path / "ran"
    tag = f"!!python/object/apply:os.system ['touch {ran}']"
    config = write_config(tmp_path, CONFIG.replace("src: utility.clf", f"src: {tag}"))
    config_files(config, {"SHOT": "sh010"}, DirectoryIndex())
    assert not ran.exists()


def evil_file_rules(pattern):
    return CONFIG.replace("roles:", f"file_rules:\n  - !<Rule> {{name: r1, colorspace: linear, pattern: \"{pattern}\","
                                    " extension: \"*\"}\n  - !<Rule> {name: Default, colorspace: linear}\nroles:")


@pytest.mark.parametrize("pattern", ["#" * 100_000, "[a]" * 100_000, "*" * 100_000])
def test_file_rules_opencolorio_crashes_on_are_read_without_it(tmp_path, pattern):
    """OpenColorIO compiles each file rule into a recursive regular expression: it dies (SIGSEGV) on these."""
    import subprocess
    import sys

    config = write_config(tmp_path, evil_file_rules(pattern))
    code = (
        "import sys\nfrom accsyn_dcc.scan.ocio import config_files\nfrom accsyn_dcc.sequences import DirectoryIndex\n"
        "print(len(config_files(sys.argv[1], {'SHOT': 'sh010'}, DirectoryIndex()).files))"
    )
    ran = subprocess.run([sys.executable, "-c", code, config], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.returncode
    assert ran.stdout.strip() == "5"


def test_small_file_rules_still_go_to_opencolorio(tmp_path, monkeypatch):
    from accsyn_dcc.scan import ocio

    read = []
    monkeypatch.setattr(ocio, "_read_with_yaml", lambda config: read.append(config) or ([], [], {}))
    config_files(write_config(tmp_path, evil_file_rules("*.exr")), {"SHOT": "sh010"}, DirectoryIndex())
    assert read == []


def test_a_config_nested_deeper_than_python_reads_is_named(tmp_path, reader):
    config = write_config(tmp_path, CONFIG + "other: " + "[" * 100_000 + "]" * 100_000 + "\n")
    found = config_files(config, {}, DirectoryIndex())
    assert found.files == [] and len(found.unresolved) == 1
