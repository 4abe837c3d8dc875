"""Compiled array kernels: the loops NumPy and SciPy cannot run without building large temporaries.

Compiled with Numba on first use (and cached on disk beside this module, or in the user's cache
when that is read-only), so importing the library and ``cluster dedup`` never load it. Each
kernel has a NumPy/SciPy equivalent it is tested against; where Numba cannot be imported (an
install without it) that equivalent runs instead, with the same results up to rounding.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = [
    "closest_gaps",
    "compiled",
    "gram",
    "pair_dots",
    "row_pair_dots",
    "scipy_pair_dots",
    "shared_units",
]

log = logging.getLogger(__name__)

F64 = npt.NDArray[np.float64]

_PAIR_BLOCK = 2048  # pairs whose rows SciPy gathers at a time (the fallback)


def _pair_dots_loop(
    a_indptr: npt.NDArray[Any],
    a_indices: npt.NDArray[Any],
    a_data: npt.NDArray[Any],
    b_indptr: npt.NDArray[Any],
    b_indices: npt.NDArray[Any],
    b_data: npt.NDArray[Any],
    columns: int,
    rows_a: npt.NDArray[np.int64],
    rows_b: npt.NDArray[np.int64],
    out: F64,
) -> F64:
    """Write the dot product of row ``rows_a[p]`` of CSR matrix A and row ``rows_b[p]`` of CSR
    matrix B (``columns`` each) into ``out[p]``.

    A's row is spread into a dense vector once for the run of pairs that share it (pairs
    sorted by their first row read each first row once), then B's row is read against it: no
    sorted indices needed, no product matrix built. Sums are in float64, in the order of B's
    row's entries.
    """
    dense = np.zeros(columns, dtype=np.float64)
    current = -1
    for p in range(rows_a.size):
        a = rows_a[p]
        if a != current:
            if current >= 0:
                for k in range(a_indptr[current], a_indptr[current + 1]):
                    dense[a_indices[k]] = 0.0
            for k in range(a_indptr[a], a_indptr[a + 1]):
                dense[a_indices[k]] += a_data[k]  # (a duplicate entry counts twice, as in SciPy)
            current = a
        b = rows_b[p]
        total = 0.0
        for k in range(b_indptr[b], b_indptr[b + 1]):
            total += dense[b_indices[k]] * b_data[k]
        out[p] = total
    return out


def _closest_gaps_loop(
    at: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
    rows_a: npt.NDArray[np.int64],
    rows_b: npt.NDArray[np.int64],
    out: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Write into ``out[p]`` the smallest gap between a value of row ``rows_a[p]`` and one of row
    ``rows_b[p]`` (row ``d``'s values are ``values[at[d]:at[d + 1]]``, sorted), -1 when one row
    has none: one merge of the two sorted runs."""
    for p in range(rows_a.size):
        i, i_end = at[rows_a[p]], at[rows_a[p] + 1]
        j, j_end = at[rows_b[p]], at[rows_b[p] + 1]
        best = -1
        while i < i_end and j < j_end:
            gap = abs(values[i] - values[j])
            if best < 0 or gap < best:
                best = gap
            if values[i] < values[j]:
                i += 1
            else:
                j += 1
        out[p] = best
    return out


def _shared_units_loop(
    at: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int64],
    rows_a: npt.NDArray[np.int64],
    rows_b: npt.NDArray[np.int64],
    out: F64,
) -> F64:
    """Write into ``out[p]`` the share of the units both rows hold on which they hold a common
    value, NaN when they hold no unit in common. Row ``d``'s items are ``keys[at[d]:at[d + 1]]``,
    sorted, each ``unit << 32 | value``."""
    for p in range(rows_a.size):
        i, i_end = at[rows_a[p]], at[rows_a[p] + 1]
        j, j_end = at[rows_b[p]], at[rows_b[p] + 1]
        shared = 0
        agree = 0
        while i < i_end and j < j_end:
            unit_a, unit_b = keys[i] >> 32, keys[j] >> 32
            if unit_a == unit_b:
                shared += 1
                ii, jj = i, j
                while (
                    ii < i_end
                    and jj < j_end
                    and keys[ii] >> 32 == unit_a
                    and keys[jj] >> 32 == unit_a
                ):
                    if keys[ii] == keys[jj]:
                        agree += 1
                        break
                    if keys[ii] < keys[jj]:
                        ii += 1
                    else:
                        jj += 1
            if unit_a <= unit_b:
                while i < i_end and keys[i] >> 32 == unit_a:
                    i += 1
            if unit_b <= unit_a:
                while j < j_end and keys[j] >> 32 == unit_b:
                    j += 1
        out[p] = agree / shared if shared else np.nan
    return out


def _gram_loop(
    a_indptr: npt.NDArray[Any],
    a_indices: npt.NDArray[Any],
    a_data: F64,
    b_indptr: npt.NDArray[Any],
    b_indices: npt.NDArray[Any],
    b_data: F64,
    columns: int,
    out: F64,
) -> F64:
    """Write ``A @ B.T`` into ``out`` (zeros, rows of A by rows of B), summing as SciPy's sparse
    product does: row ``i``'s entries in their stored order, each adding its products with the
    rows of B that hold its column, those in increasing order."""
    start = np.zeros(columns + 1, dtype=np.int64)  # B's transpose: column -> its rows
    for k in range(b_indices.size):
        start[b_indices[k] + 1] += 1
    for j in range(columns):
        start[j + 1] += start[j]
    fill = start[:-1].copy()
    rows = np.empty(b_indices.size, dtype=np.int64)
    values = np.empty(b_indices.size, dtype=np.float64)
    for r in range(b_indptr.size - 1):
        for k in range(b_indptr[r], b_indptr[r + 1]):
            j = b_indices[k]
            rows[fill[j]] = r
            values[fill[j]] = b_data[k]
            fill[j] += 1
    for i in range(a_indptr.size - 1):
        for k in range(a_indptr[i], a_indptr[i + 1]):
            j = a_indices[k]
            v = a_data[k]
            for m in range(start[j], start[j + 1]):
                out[i, rows[m]] += v * values[m]
    return out


def gram(
    a: tuple[npt.NDArray[Any], npt.NDArray[Any], F64],
    b: tuple[npt.NDArray[Any], npt.NDArray[Any], F64],
    columns: int,
) -> F64:
    """Return ``(A @ B.T).toarray()`` of two CSR matrices of ``columns`` columns given as their
    ``(indptr, indices, data)``, the same to the last bit as SciPy's product (the order of A's
    entries within a row is the order of the sums), without building sparse matrices."""
    out = np.zeros((a[0].size - 1, b[0].size - 1), dtype=np.float64)
    kernel = compiled("_gram_loop")
    if kernel is None:
        ma = sparse.csr_matrix((a[2], a[1], a[0]), shape=(out.shape[0], columns))
        mb = sparse.csr_matrix((b[2], b[1], b[0]), shape=(out.shape[1], columns))
        out += (ma @ mb.T).toarray()
        return out
    return kernel(*a, *b, columns, out)  # type: ignore[no-any-return]


def closest_gaps(
    at: npt.NDArray[np.int64],
    values: npt.NDArray[np.int64],
    rows_a: npt.NDArray[np.int64],
    rows_b: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Return :func:`_closest_gaps_loop` of the pairs (compiled where Numba is installed)."""
    kernel = compiled("_closest_gaps_loop") or _closest_gaps_loop
    out = np.full(len(rows_a), -1, dtype=np.int64)
    return kernel(at, values, _rows(rows_a), _rows(rows_b), out)


def shared_units(
    at: npt.NDArray[np.int64],
    keys: npt.NDArray[np.int64],
    rows_a: npt.NDArray[np.int64],
    rows_b: npt.NDArray[np.int64],
) -> F64:
    """Return :func:`_shared_units_loop` of the pairs (compiled where Numba is installed)."""
    kernel = compiled("_shared_units_loop") or _shared_units_loop
    out = np.full(len(rows_a), np.nan, dtype=np.float64)
    return kernel(at, keys, _rows(rows_a), _rows(rows_b), out)


def _rows(rows: npt.ArrayLike) -> npt.NDArray[np.int64]:
    return np.ascontiguousarray(rows, dtype=np.int64)


@functools.cache
def compiled(name: str) -> Callable[..., Any] | None:
    """Return the kernel ``name`` of this module compiled, or None where Numba is missing."""
    try:
        numba = importlib.import_module("numba")
    except ImportError:
        log.info("numba is not installed: the pair products run on SciPy (slower)")
        return None
    fn = globals()[name]
    try:
        return numba.njit(cache=True, nogil=True)(fn)  # type: ignore[no-any-return]
    except RuntimeError:  # no writable place for the on-disk cache: compile in memory
        return numba.njit(nogil=True)(fn)  # type: ignore[no-any-return]


def row_pair_dots(matrix: sparse.csr_matrix, rows_a: npt.ArrayLike, rows_b: npt.ArrayLike) -> F64:
    """Return the dot products of rows ``rows_a[p]`` and ``rows_b[p]`` of ``matrix`` (float64).

    Fastest with ``rows_a`` sorted (each of its rows is spread once per run).
    """
    return pair_dots(matrix, rows_a, matrix, rows_b)


def pair_dots(
    a: sparse.csr_matrix, rows_a: npt.ArrayLike, b: sparse.csr_matrix, rows_b: npt.ArrayLike
) -> F64:
    """Return the dot products of rows ``a[rows_a[p]]`` and ``b[rows_b[p]]`` (float64) of two
    matrices of as many columns. Fastest with ``rows_a`` sorted."""
    ra, rb = _rows(rows_a), _rows(rows_b)
    kernel = compiled("_pair_dots_loop")
    if kernel is None:
        return scipy_pair_dots(a, ra, b, rb, np.float64)
    out = np.zeros(ra.size, dtype=np.float64)
    if ra.size == 0 or a.nnz == 0 or b.nnz == 0:
        return out
    ma = a if sparse.isspmatrix_csr(a) else sparse.csr_matrix(a)
    mb = b if sparse.isspmatrix_csr(b) else sparse.csr_matrix(b)
    return kernel(  # type: ignore[no-any-return]
        ma.indptr, ma.indices, ma.data, mb.indptr, mb.indices, mb.data, ma.shape[1], ra, rb, out
    )


def scipy_pair_dots(
    a: sparse.csr_matrix,
    rows_a: npt.NDArray[np.int64],
    b: sparse.csr_matrix,
    rows_b: npt.NDArray[np.int64],
    dtype: npt.DTypeLike | None = None,
) -> npt.NDArray[Any]:
    """Return the dot products of rows ``a[rows_a[n]]`` and ``b[rows_b[n]]`` (in ``dtype``,
    default: that of the matrices), from SciPy's element-wise products of the rows gathered a
    block at a time (they then stay in the processor's cache)."""
    out = np.zeros(len(rows_a), dtype=dtype or np.result_type(a.dtype, b.dtype))
    for start in range(0, len(rows_a), _PAIR_BLOCK):
        part_a = a[rows_a[start : start + _PAIR_BLOCK]]
        part_b = b[rows_b[start : start + _PAIR_BLOCK]]
        out[start : start + part_a.shape[0]] = np.asarray(
            part_a.multiply(part_b).sum(axis=1)
        ).ravel()
    return out
