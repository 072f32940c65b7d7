"""The layers of the code, read from its imports (grimp, the graph library behind import-linter).

    uv run --frozen python scripts/architecture.py          # the figures
    uv run --frozen python scripts/architecture.py -v       # and every offending import
    make architecture                                       # the figures; docs/architecture.svg redrawn

Four layers, dependencies pointing down only:

    top      the composition: site URLs, the workspace, the dashboards, seed_demo — may import all
    domain   reviews, assessments — may import bases and the ground, never each other
    core     bases — imports only the ground
    ground   portal's platform apps and helpers — import no domain app

tests/test_architecture.py fails on any import against the layers and on any import cycle between
modules; it also holds the module size and the number of imports inside functions to their limits.
Migrations are left out: Django's migration graph, not the import graph, orders them.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "bases", "reviews", "assessments")

# The composition place: the site's URLs (ROOT_URLCONF) and the site app; it may import every app.
# Everything else in portal is the ground.
TOP = ("portal.site", "portal.urls")
LAYERS = ("ground", "core", "domain", "top")
DOMAIN_APPS = ("reviews", "assessments")

MAX_MODULE_LINES = 500
# An import inside a function is allowed where a comment on its line or the line above says why
# (an app's models can be imported only once the app registry is ready; a heavy library loaded only by
# the one command that needs it). There should be few.
MAX_IN_FUNCTION_IMPORTS = 9


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def layer_of(module: str) -> str | None:
    if ".migrations" in module or module.endswith(".migrations"):
        return None
    if any(_within(module, top) for top in TOP):
        return "top"
    root = module.split(".")[0]
    if root == "portal":
        return "ground"
    if root == "bases":
        return "core"
    if root in DOMAIN_APPS:
        return "domain"
    return None


def build_graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*PACKAGES, cache_dir=None)


@dataclass(frozen=True)
class Breach:
    importer: str
    line: int
    imported: str

    def __str__(self) -> str:
        return (
            f"{self.importer}:{self.line} imports {self.imported} "
            f"({layer_of(self.importer)} -> {layer_of(self.imported)})"
        )


def is_against_layers(importer: str, imported: str) -> bool:
    low, high = layer_of(importer), layer_of(imported)
    if low is None or high is None:
        return False
    if LAYERS.index(high) > LAYERS.index(low):
        return True
    # The two domain apps are siblings: neither may lean on the other.
    return low == high == "domain" and importer.split(".")[0] != imported.split(".")[0]


# Django's configuration names every app by design (INSTALLED_APPS, ROOT_URLCONF, Celery's discovery).
CONFIGURATION = ("portal.settings", "portal.settings_test", "portal.celery", "portal.wsgi", "portal.asgi")
DOTTED = re.compile(r"^(?:" + "|".join(PACKAGES) + r")(?:\.\w+){2,}$")
# "app_label.Name" names a model (a lazy relation such as ForeignKey("bases.PilotBase")) or a permission
# ("bases.review_pilotbase") of an app: a dependency on that app as real as an import. The apps above
# the ground have their package's name as label.
LABELLED = re.compile(r"^(?:" + "|".join(p for p in PACKAGES if layer_of(p) != "ground") + r")\.\w+$")


def breaches(graph: grimp.ImportGraph) -> list[Breach]:
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if is_against_layers(importer, imported):
                found.extend(
                    Breach(importer, detail["line_number"], imported)
                    for detail in graph.get_import_details(importer=importer, imported=imported)
                )
    return found + hidden_imports(graph)


def hidden_imports(graph: grimp.ImportGraph) -> list[Breach]:
    """A dotted path in a string (import_string, a task name, a lazy reference) is an import all the
    same: "bases.jobs.remind_x" in the ground leans on bases as much as `from bases.jobs import …`, and
    so do a model or a permission named by its app's label ("bases.PilotBase", "bases.view_pilotbase").
    A relation across the layers is named through a setting instead (DOCUMENTS_BASE_MODEL)."""
    found = []
    for path in source_files():
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if importer not in CONFIGURATION:
            found.extend(strings_against_layers(importer, path.read_text(encoding="utf-8"), graph.modules))
    return sorted(found, key=lambda breach: (breach.importer, breach.line))


def strings_against_layers(importer: str, text: str, modules: set[str]) -> list[Breach]:
    found = []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        named = None
        if DOTTED.match(node.value):
            parts = node.value.split(".")
            prefixes = (".".join(parts[:n]) for n in range(len(parts), 0, -1))
            named = next((prefix for prefix in prefixes if prefix in modules), None)
        elif LABELLED.match(node.value):
            named = node.value.split(".")[0]
        if named and is_against_layers(importer, named):
            found.append(Breach(importer, node.lineno, named))
    return sorted(found, key=lambda breach: breach.line)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of modules (Tarjan, iterative): each is a cycle of imports.

    grimp reads imports inside functions as well, so moving an import into a function does not hide
    a cycle from this check."""
    modules = sorted(m for m in graph.modules if layer_of(m) is not None)
    edges = {
        m: sorted(i for i in graph.find_modules_directly_imported_by(m) if layer_of(i) is not None)
        for m in modules
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            descended = False
            for position in range(next_edge, len(edges[node])):
                target = edges[node][position]
                if target not in index:
                    work.append((node, position + 1))
                    work.append((target, 0))
                    descended = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if descended:
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def source_files() -> list[Path]:
    return sorted(
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
    )


@dataclass(frozen=True)
class InFunctionImport:
    path: str
    line: int
    explained: bool

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" + ("" if self.explained else " (no comment says why)")


def in_function_imports() -> list[InFunctionImport]:
    found = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    here = lines[inner.lineno - 1]
                    above = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                    explained = "#" in here or above.strip().startswith("#")
                    found.append(InFunctionImport(str(path.relative_to(ROOT)), inner.lineno, explained))
    return sorted(set(found), key=lambda item: (item.path, item.line))


# The line limit holds for the tools beside the portal too: the bench, this script, gunicorn's settings.
TOOL_FOLDERS = ("scripts", "deploy")


def long_modules() -> list[tuple[str, int]]:
    tools = sorted(path for folder in TOOL_FOLDERS for path in (ROOT / folder).rglob("*.py"))
    sizes = [
        (str(path.relative_to(ROOT)), len(path.read_text(encoding="utf-8").splitlines()))
        for path in source_files() + tools
    ]
    return sorted(((name, n) for name, n in sizes if n > MAX_MODULE_LINES), key=lambda item: -item[1])


def unit_of(module: str) -> str | None:
    """The box a module is drawn in: an app (portal's platform apps one by one)."""
    layer = layer_of(module)
    if layer is None:
        return None
    if layer == "top":
        return "site"
    parts = module.split(".")
    if parts[0] == "portal" and len(parts) > 1 and (ROOT / "portal" / parts[1]).is_dir():
        return f"portal.{parts[1]}"
    if parts[0] == "portal":
        return "portal (helpers)"
    return parts[0]


def dot_source(graph: grimp.ImportGraph) -> str:
    """The apps as boxes in their layers, an arrow wherever one imports another."""
    units: dict[str, str] = {}
    arrows: Counter[tuple[str, str]] = Counter()
    for importer in graph.modules:
        source = unit_of(importer)
        if source is None:
            continue
        units[source] = "top" if source == "site" else layer_of(importer)
        for imported in graph.find_modules_directly_imported_by(importer):
            target = unit_of(imported)
            if target is not None and target != source:
                arrows[source, target] += 1
    titles = {
        "top": "top: site URLs, workspace, dashboards, seed_demo",
        "domain": "domain: reviews, assessments",
        "core": "core: bases",
        "ground": "ground: the platform",
    }
    out = [
        "digraph layers {",
        '  graph [rankdir=TB, newrank=true, fontname="Noto Sans CJK SC", fontsize=12, nodesep=0.25,'
        " ranksep=0.7];",
        '  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Noto Sans CJK SC"];',
        '  edge [color="#8899aa", arrowsize=0.6];',
    ]
    for layer in reversed(LAYERS):
        members = sorted(unit for unit, of in units.items() if of == layer)
        out.append(f"  subgraph cluster_{layer} {{")
        out.append(f'    label="{titles[layer]}"; style=dashed; color="#9999aa";')
        # One row a layer, top to bottom, so an arrow pointing up is one against the layers.
        out.append("    rank=same; " + " ".join(f'"{unit}";' for unit in members))
        out.append("  }")
    rows = [sorted(unit for unit, of in units.items() if of == layer) for layer in reversed(LAYERS)]
    for upper, lower in pairwise(rows):
        if upper and lower:
            out.append(f'  "{upper[0]}" -> "{lower[0]}" [style=invis];')
    for (source, target), count in sorted(arrows.items()):
        against = LAYERS.index(units[target]) > LAYERS.index(units[source]) or (
            units[source] == units[target] == "domain"
        )
        style = ' color="#c0392b", penwidth=2' if against else ""
        out.append(f'  "{source}" -> "{target}" [tooltip="{count} imports"{style}];')
    out.append("}")
    return "\n".join(out) + "\n"


def draw(graph: grimp.ImportGraph, target: Path) -> None:
    """The picture and its source side by side (docs/architecture.svg and .dot): the test compares the
    committed source with the code, so a picture that no longer tells the truth fails the build."""
    source = dot_source(graph)
    svg = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True).stdout
    target.with_suffix(".dot").write_text(source, encoding="utf-8")
    target.write_text(svg, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every offending place")
    parser.add_argument("--draw", metavar="SVG", help="draw the layers into this SVG file")
    args = parser.parse_args()
    graph = build_graph()
    found_breaches = breaches(graph)
    found_cycles = cycles(graph)
    inner = in_function_imports()
    long = long_modules()
    print(f"imports against the layers: {len(found_breaches)}")
    if args.verbose:
        for breach in found_breaches:
            print(f"  {breach}")
    print(f"import cycles: {len(found_cycles)} ({sum(map(len, found_cycles))} modules in them)")
    if args.verbose:
        for group in found_cycles:
            print("  " + " <-> ".join(group))
    unexplained = [item for item in inner if not item.explained]
    print(f"imports inside functions: {len(inner)} ({len(unexplained)} without a comment saying why)")
    if args.verbose:
        for item in inner:
            print(f"  {item}")
    print(f"modules over {MAX_MODULE_LINES} lines: {len(long)}")
    for name, size in long:
        print(f"  {name}: {size}")
    if args.draw:
        draw(graph, Path(args.draw))
        print(f"drawn: {args.draw}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
