"""A state-machine step declared once, and the picture of a model's state machine.

`step(...)` is the one decorator of every transition: django-fsm's `@transition` (source, target,
guard conditions, permission), django-fsm-log's `@fsm_log_by` and `@fsm_log_description` (so the
caller's `by=` and `description=` reach the StateLog), and the step's label for buttons and messages.

`transitions_dot(model, field)` writes the state machine as Graphviz source in a stable order (the
same code gives the same text byte for byte), so the lifecycle picture in docs/ can be checked
against the code by a test.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.encoding import force_str
from django_fsm import RETURN_VALUE, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def step(
    field: str,
    *,
    source: Any,
    target: Any,
    label: Any,
    permission: str | Callable | None = None,
    conditions: Sequence[Callable] = (),
) -> Callable:
    """Declare a transition of the FSM field named `field`.

    `source` is a state or a list of states, `target` a state (or RETURN_VALUE(...)), `permission` a
    permission codename or a predicate (instance, user) checked by has_transition_perm, `conditions`
    the guards every run checks, and `label` the step's name shown to the user (`method.label`).
    """

    def decorate(method: Callable) -> Callable:
        declared = transition(
            field=field,
            source=list(source) if isinstance(source, tuple | set | frozenset) else source,
            target=target,
            permission=permission,
            conditions=list(conditions) or None,
        )(method)
        logged = fsm_log_by(fsm_log_description(declared))
        logged.label = label
        return logged

    return decorate


def _quote(text: Any) -> str:
    return '"' + force_str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def transitions_dot(model, field_name: str, *, name: str = "lifecycle") -> str:
    """The state machine of `model.field_name` as Graphviz dot source, every line in a fixed order.

    Nodes are the states in the order of the field's choices (the label is the choice's label, in the
    active language); an initial point marks the default state and a double circle a state no step
    leaves; edges are sorted by (source, target, step) and labelled with the step's method name.
    """
    field = model._meta.get_field(field_name)
    order = [value for value, _label in field.choices]
    labels = dict(field.choices)
    edges: set[tuple[str, str, str]] = set()
    for found in field.get_all_transitions(model):
        targets = found.target.allowed_states if isinstance(found.target, RETURN_VALUE) else [found.target]
        for target in targets:
            edges.add((str(found.source), str(target), found.name))
    states = {state for source, target, _name in edges for state in (source, target)}
    leaving = {source for source, _target, _name in edges}

    def position(state: str) -> tuple[int, str]:
        return (order.index(state) if state in order else len(order), state)

    lines = [
        f"digraph {_quote(name)} {{",
        f"  label={_quote(f'{model._meta.label}.{field_name}')};",
        "  labelloc=t;",
        "  edge [fontsize=10];",
        '  "_initial" [label="", shape=point];',
    ]
    for state in sorted(states, key=position):
        shape = "circle" if state in leaving else "doublecircle"
        lines.append(f"  {_quote(state)} [label={_quote(labels.get(state, state))}, shape={shape}];")
    lines.append(f'  "_initial" -> {_quote(field.default)};')
    for source, target, step_name in sorted(
        edges, key=lambda edge: (position(edge[0]), position(edge[1]), edge[2])
    ):
        lines.append(f"  {_quote(source)} -> {_quote(target)} [label={_quote(step_name)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
