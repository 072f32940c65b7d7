"""No test asserts on wall-clock time: on a loaded machine (2 shared cores, CI) such a test fails for
reasons that are not the code's. How long something takes is measured by `make bench`. Waiting for a
server to come up with a deadline is fine; asserting on the time taken is not."""

import ast
from pathlib import Path

CLOCKS = {"monotonic", "perf_counter", "time", "process_time", "monotonic_ns", "perf_counter_ns", "time_ns"}


def _is_clock_call(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in CLOCKS
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "time"
    )


def _violations(tree):
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        clocked = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and any(_is_clock_call(n) for n in ast.walk(node.value)):
                clocked |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(function):
            if isinstance(node, ast.Assert):
                inside = list(ast.walk(node.test))
                if any(_is_clock_call(n) for n in inside) or any(
                    isinstance(n, ast.Name) and n.id in clocked for n in inside
                ):
                    yield f"{function.name}:{node.lineno}"


def test_no_test_asserts_on_the_wall_clock():
    found = []
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        found += [f"{path.name}:{v}" for v in _violations(ast.parse(path.read_text()))]
    assert found == []


def test_the_scan_finds_a_timed_assertion():
    # The sample is assembled, so that no line of this file reads as a timed assertion itself.
    timed = " ".join(["assert", "time.monotonic()", "-", "started", "<", "3"])
    source = f"import time\ndef test_x():\n    started = time.monotonic()\n    {timed}\n"
    assert list(_violations(ast.parse(source))) == ["test_x:4"]
