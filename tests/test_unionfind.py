"""Union-find: the one disjoint-set implementation (dedup, copies, boilerplate, clustering)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterer.unionfind import UnionFind


def test_union_find():
    uf = UnionFind(6)
    uf.union(4, 2)
    uf.union(2, 5)
    uf.union(0, 1)
    assert uf.find(5) == 2 and uf.find(4) == 2
    assert uf.groups() == {0: [0, 1], 2: [2, 4, 5]}
    assert uf.union(5, 4) == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=40))
def test_union_find_matches_connected_components(edges):
    uf = UnionFind(20)
    for a, b in edges:
        uf.union(a, b)
    comp = {i: {i} for i in range(20)}
    for a, b in edges:
        merged = comp[a] | comp[b]
        for x in merged:
            comp[x] = merged
    for i in range(20):
        assert uf.find(i) == min(comp[i])


def test_groups_with_singletons_are_every_node_once():
    uf = UnionFind(5)
    uf.union(3, 1)
    assert uf.groups(min_size=1) == {0: [0], 1: [1, 3], 2: [2], 4: [4]}
    assert UnionFind(0).groups(min_size=1) == {}
