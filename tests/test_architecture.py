"""The layers of the code hold (docs/architecture.md): every import points down, no module imports
itself through others, modules stay small, and imports hidden inside functions are few and explained."""

import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import architecture  # noqa: E402  (a script, not a package: found through the path set above)


@pytest.fixture(scope="module")
def graph():
    return architecture.build_graph()


def test_every_import_points_down_the_layers(graph):
    assert [str(breach) for breach in architecture.breaches(graph)] == []


def test_no_module_imports_itself_through_others(graph):
    assert architecture.cycles(graph) == []


def test_no_module_is_longer_than_the_limit():
    assert architecture.long_modules() == []


def test_imports_inside_functions_are_few_and_each_says_why():
    found = architecture.in_function_imports()
    assert [str(item) for item in found if not item.explained] == []
    assert len(found) <= architecture.MAX_IN_FUNCTION_IMPORTS, [str(item) for item in found]


def test_the_committed_drawing_is_drawn_from_todays_imports(graph):
    committed = (ROOT / "docs" / "architecture.dot").read_text(encoding="utf-8")
    assert committed == architecture.dot_source(graph), "run `make architecture` and commit the picture"


@pytest.mark.parametrize(
    ("importer", "imported", "against"),
    [
        ("portal.accounts.models", "bases.models", True),
        ("portal.text", "reviews.selectors", True),
        ("bases.services", "reviews.models", True),
        ("bases.views.detail", "assessments.models", True),
        ("reviews.services", "assessments.models", True),
        ("assessments.services", "reviews.models", True),
        ("reviews.services", "bases.models", False),
        ("assessments.views", "portal.accounts.models", False),
        ("bases.models", "portal.workflow.models", False),
        ("portal.urls", "assessments.urls", False),
        ("portal.site.management.commands.seed_demo", "reviews.services", False),
        ("bases.migrations.0001_initial", "portal.urls", False),
    ],
)
def test_the_layer_rule_itself(importer, imported, against):
    assert architecture.is_against_layers(importer, imported) is against


def test_a_cycle_of_three_modules_is_found():
    graph = grimp.ImportGraph()
    for importer, imported in [
        ("bases.a", "bases.b"),
        ("bases.b", "bases.c"),
        ("bases.c", "bases.a"),
        ("bases.c", "portal.text"),
    ]:
        graph.add_import(importer=importer, imported=imported)
    assert architecture.cycles(graph) == [["bases.a", "bases.b", "bases.c"]]


def test_a_dotted_path_in_a_string_counts_as_an_import():
    """import_string("bases.jobs.x") in the ground leans on bases as much as an import statement, and so
    do a permission ("bases.view_pilotbase") and a lazy relation ("reviews.Panel") named by app label;
    a name of the ground's own ("accounts.view_user") or one higher up named from the top is allowed."""
    text = (
        'JOBS = ["bases.jobs.remind_task_book_due", "portal.text.local_date"]\n'
        'PERM = "bases.view_pilotbase"\n'
        'OWN = "accounts.view_user"\n'
        'PANEL = "reviews.Panel"\n'
    )
    modules = {"bases", "bases.jobs", "portal", "portal.text", "reviews"}

    def named(importer):
        return [(b.line, b.imported) for b in architecture.strings_against_layers(importer, text, modules)]

    assert named("portal.scheduling.jobs") == [(1, "bases.jobs"), (2, "bases"), (4, "reviews")]
    assert named("assessments.models") == [(4, "reviews")]
    assert named("bases.apps") == [(4, "reviews")]
    assert named("portal.urls") == []
