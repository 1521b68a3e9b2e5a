"""Tokenizer robustness and the TCL subset."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accsyn_dcc.scan.environment import Unresolvable
from accsyn_dcc.scan.nuke.script import parse_script
from accsyn_dcc.scan.nuke.tcl import TclEvaluator
from accsyn_dcc.scan.nuke.tokenizer import NukeScriptError, plain_lines, tokenize

ALPHABET = st.sampled_from(list('{}[]"\\#;$ \n\tReadfile/%0d:=.x1'))


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=80))
def test_any_text_parses_or_raises_only_script_errors(text):
    try:
        parse_script(text, "fuzz.nk")
    except NukeScriptError as error:
        assert "fuzz.nk:" in str(error)


BODY_ALPHABET = st.sampled_from(list('{}[]"\\#; \n\t\rab1'))


@settings(max_examples=1000, deadline=None)
@given(st.text(BODY_ALPHABET, max_size=60))
def test_the_one_pass_body_reader_agrees_with_the_tokenizer(body):
    """Where ``plain_lines`` reads a node body it gives what the tokenizer gives; bodies it cannot read it leaves."""
    try:
        commands = tokenize(body)
    except NukeScriptError:
        commands = None
    lines = plain_lines(body)
    if lines is None:
        return
    assert commands is not None
    expected = [
        (command.name, " ".join(word.text for word in command.words[1:]))
        for command in commands
        if len(command.words) > 1
    ]
    assert lines == expected


def test_the_one_pass_body_reader_takes_plain_and_flat_braced_knobs_only():
    assert plain_lines("\n file /a/b.%04d.exr\n white {1.1 1 1 1}\n label {}\n selected\n gl  1\t2\n") == [
        ("file", "/a/b.%04d.exr"), ("white", "1.1 1 1 1"), ("label", ""), ("gl", "1 2"),
    ]  # fmt: skip
    for body in ('\n file "a b"\n', "\n f {a {b}}\n", "\n f [value x]\n", "\n a b; c d\n", "\n f {a} b\n"):
        assert plain_lines(body) is None


def test_words_braces_quotes_brackets_and_comments():
    commands = tokenize('# comment\nRead {\n a {b {c}}\n}\nset x "a \\"q\\" [value y]"; push $x\nw [a [b c]]d #x\n')
    assert [[word.text for word in command.words] for command in commands] == [
        ["Read", "\n a {b {c}}\n"],
        ["set", "x", 'a "q" [value y]'],
        ["push", "$x"],
        ["w", "[a [b c]]d", "#x"],
    ]


KNOBS = {("root", "name"): "/show/comp/a.nk", ("G.Read1", "file"): "/plates/p.exr", ("Read1", "first"): "1001"}


@pytest.fixture
def tcl():
    return TclEvaluator(lambda node, knob: KNOBS.get((node, knob)), "/show/comp/a.nk", {"SHOW": "/show"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[value root.name]", "/show/comp/a.nk"),
        ("[file dirname [value root.name]]/x.exr", "/show/comp/x.exr"),
        ("[file tail [value root.name]]", "a.nk"),
        ("[file rootname [file tail [value root.name]]]", "a"),
        ("[file extension [value root.name]]", ".nk"),
        ("[file join /a b c.exr]", "/a/b/c.exr"),
        ("[getenv SHOW]/p.exr", "/show/p.exr"),
        ("$env(SHOW)/p.exr", "/show/p.exr"),
        ("[python nuke.script_directory()]/x", "/show/comp/x"),
        ("[python {nuke.script_directory()}]/x", "/show/comp/x"),
        ("frame [value Read1.first]", "frame 1001"),
        ("plain/path.exr", "plain/path.exr"),
    ],
)
def test_supported_expressions(tcl, text, expected):
    assert tcl.evaluate(text) == expected


def test_value_is_looked_up_in_the_group_first(tcl):
    assert tcl.evaluate("[value Read1.file]", group="G") == "/plates/p.exr"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[python os.getcwd()]", "needs Nuke"),
        ("[getenv NOPE]", "NOPE is not set"),
        ("[value Nope.file]", "no such knob"),
        ("[frame]", "needs Nuke"),
        ("[file normalize x]", "needs Nuke"),
    ],
)
def test_unsupported_expressions_say_why(tcl, text, reason):
    with pytest.raises(Unresolvable, match=reason):
        tcl.evaluate(text)


def test_self_reference_does_not_loop():
    loop = TclEvaluator(lambda node, knob: "[value A.k]", "/a.nk", {})
    with pytest.raises(Unresolvable, match="loop"):
        loop.evaluate("[value A.k]")


NODE_ALPHABET = st.sampled_from(list('{}[]"\\#; \n\tReadfile1'))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(NODE_ALPHABET, max_size=30), max_size=4), st.sampled_from(["Read", "Blur", "set", "x.y"]))
def test_the_whole_node_reader_agrees_with_the_word_by_word_tokenizer(lines, node_class):
    """``tokenize`` takes tidy nodes whole; it gives what reading them word by word gives (lines and columns
    too), and so does the script read from it."""
    from accsyn_dcc.scan.nuke import tokenizer

    text = f"{node_class} {{\n" + "".join(f" {line}\n" for line in lines) + "}\nBlur {\n size 2\n}\n"

    def read():
        try:
            commands = [[tuple(word[:4]) for word in command.words] for command in tokenize(text)]
        except NukeScriptError as error:
            return str(error)
        try:
            nodes = [
                (node.node_class, node.name, node.knobs, list(node.user_file_knobs))
                for node in parse_script(text).nodes
            ]
        except NukeScriptError as error:
            nodes = str(error)
        return commands, nodes

    fast = read()
    original = tokenizer._plain_nodes
    tokenizer._plain_nodes = lambda text, position, line, line_start, commands: (position, line, line_start)
    try:
        slow = read()
    finally:
        tokenizer._plain_nodes = original
    assert fast == slow
