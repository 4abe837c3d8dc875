"""Disjoint sets (union-find) over ``0..n-1``: the one implementation every stage uses."""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    """Disjoint sets over ``0..n-1`` with path halving; the root is always the smallest member.

    Examples
    --------
    >>> uf = UnionFind(4)
    >>> uf.union(3, 1), uf.find(3), uf.groups(), uf.groups(min_size=1)
    (1, 1, {1: [1, 3]}, {0: [0], 1: [1, 3], 2: [2]})
    """

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        """Return the representative (smallest member) of ``x``'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        """Merge the sets of ``a`` and ``b``; return the new root."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        lo, hi = (ra, rb) if ra < rb else (rb, ra)
        self.parent[hi] = lo
        return lo

    def groups(self, min_size: int = 2) -> dict[int, list[int]]:
        """Return root -> sorted members, for sets of at least ``min_size`` members."""
        out: dict[int, list[int]] = {}
        for x in range(len(self.parent)):
            out.setdefault(self.find(x), []).append(x)
        return {r: m for r, m in out.items() if len(m) >= min_size}
