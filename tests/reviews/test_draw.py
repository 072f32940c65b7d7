"""The random draw: never an expert in conflict, reproducible from
its recorded seed, and a clear refusal when too few experts are eligible."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import draw as drawing
from reviews.draw import BaseFacts, ExpertFacts, Unit

UNITS = [Unit(name=f"单位{i}", id=i, uscc=f"U{i:017d}") for i in range(12)]


def base(host=0, supervisor=1, co=(), backing=()):
    return BaseFacts(
        name="忻州市测试中试基地",
        host=UNITS[host],
        supervisor=UNITS[supervisor],
        co_builders=tuple(Unit(name=UNITS[i].name, uscc=UNITS[i].uscc) for i in co),
        backings=tuple(Unit(name=UNITS[i].name) for i in backing),
    )


def expert(pk, unit, declared=(), on_panel=False):
    return ExpertFacts(
        id=pk, affiliation=UNITS[unit], declared=tuple(UNITS[i] for i in declared), on_panel=on_panel
    )


def test_each_conflict_rule_excludes_with_its_reason():
    b = base(host=0, supervisor=1, co=(2,), backing=(3,))
    assert drawing.conflict_reasons(expert(1, 0), [b]) == [("host", "单位0")]
    assert drawing.conflict_reasons(expert(2, 1), [b]) == [("supervisor", "单位1")]
    assert drawing.conflict_reasons(expert(3, 2), [b]) == [("co_builder", "单位2")]
    assert drawing.conflict_reasons(expert(4, 3), [b]) == [("backing", "单位3")]
    assert drawing.conflict_reasons(expert(5, 9, declared=(0,)), [b]) == [("declared", "单位0")]
    assert drawing.conflict_reasons(expert(6, 9, on_panel=True), [b]) == [("member", "")]
    assert drawing.conflict_reasons(expert(7, 9), [b]) == []


def test_units_match_by_name_without_spaces_or_bracket_width():
    host = Unit(name="山西某某科技有限公司（忻州）")
    assert Unit(name=" 山西某某科技有限公司(忻州) ").same_as(host)
    assert not Unit(name="山西某某科技有限公司").same_as(host)
    assert not Unit(name="").same_as(Unit(name=""))


def test_draw_is_reproducible_from_seed_and_verifiable():
    pool = [5, 3, 9, 11, 2, 8]
    first = drawing.draw(pool, 3, seed=42)
    assert first == drawing.draw(list(reversed(pool)), 3, seed=42)
    assert len(set(first)) == 3 and set(first) <= set(pool)
    assert drawing.verify(pool, 3, 42, first)
    assert not drawing.verify(pool, 3, 43, first) or drawing.draw(pool, 3, 43) == first


def test_too_few_eligible_is_a_clear_refusal():
    with pytest.raises(drawing.NotEnoughExperts) as exc:
        drawing.draw([1, 2], 3, seed=1)
    assert (exc.value.wanted, exc.value.available) == (3, 2)


experts_strategy = st.lists(
    st.tuples(st.integers(0, 11), st.lists(st.integers(0, 11), max_size=3), st.booleans()),
    min_size=1,
    max_size=25,
)
bases_strategy = st.lists(
    st.tuples(
        st.integers(0, 11),
        st.integers(0, 11),
        st.lists(st.integers(0, 11), max_size=2),
        st.lists(st.integers(0, 11), max_size=2),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(experts_strategy, bases_strategy, st.integers(1, 8), st.integers(0, 2**63 - 1))
def test_draw_never_picks_a_conflicted_expert(expert_rows, base_rows, count, seed):
    experts = [
        expert(pk, unit, declared, on_panel) for pk, (unit, declared, on_panel) in enumerate(expert_rows, 1)
    ]
    bases = [base(h, s, tuple(co), tuple(bk)) for h, s, co, bk in base_rows]
    eligible, excluded = drawing.split_pool(experts, bases)
    assert set(eligible).isdisjoint(item.expert_id for item in excluded)
    assert len(eligible) + len(excluded) == len(experts)
    try:
        picked = drawing.draw(eligible, count, seed)
    except drawing.NotEnoughExperts:
        assert count > len(eligible)
        return
    by_id = {e.id: e for e in experts}
    for pk in picked:
        chosen = by_id[pk]
        assert not chosen.on_panel
        for b in bases:
            parties = [b.host, b.supervisor, *b.co_builders, *b.backings]
            assert not any(chosen.affiliation.same_as(p) for p in parties)
            assert not any(d.same_as(p) for d in chosen.declared for p in parties)
    assert drawing.draw(eligible, count, seed) == picked
