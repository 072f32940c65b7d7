"""docs/lifecycle.svg is the pilot base's state machine as the code declares it: `make diagram` writes
docs/lifecycle.dot from the transitions and renders the picture from it. A transition added, removed
or re-targeted without redrawing fails here."""

import re

from bases.management.commands.lifecycle_diagram import DOT_PATH, SVG_PATH, lifecycle_dot, source_mark
from bases.models import PilotBase, Status


def test_the_committed_dot_source_is_the_code_s_state_machine():
    assert DOT_PATH.read_text(encoding="utf-8") == lifecycle_dot(), "run `make diagram` and commit docs/"


def test_the_committed_picture_is_rendered_from_the_committed_source():
    svg = SVG_PATH.read_text(encoding="utf-8")
    assert source_mark(DOT_PATH.read_text(encoding="utf-8")) in svg, "run `make diagram` and commit docs/"


def test_the_source_is_written_in_a_stable_order():
    assert lifecycle_dot() == lifecycle_dot()
    edges = re.findall(r'^  "(\w+)" -> "(\w+)" \[label="(\w+)"\];$', lifecycle_dot(), re.MULTILINE)
    order = [value for value, _label in Status.choices]
    keys = [(order.index(source), order.index(target), name) for source, target, name in edges]
    assert keys == sorted(keys)


def test_every_step_of_the_base_is_an_edge_of_the_picture():
    steps = {t.name for t in PilotBase._meta.get_field("status").get_all_transitions(PilotBase)}
    drawn = set(re.findall(r'\[label="(\w+)"\];$', lifecycle_dot(), re.MULTILINE))
    assert drawn == steps
    assert len(steps) == 28
