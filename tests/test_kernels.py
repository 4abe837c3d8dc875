"""Compiled kernels agree with the SciPy computation they replace (and it runs where Numba is missing)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from clusterer import kernels
from clusterer.kernels import pair_dots, row_pair_dots, scipy_pair_dots


@st.composite
def _matrices_and_pairs(draw: st.DrawFn) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """A CSR matrix as the vectorizers leave it (indices in any order within a row, some rows
    empty, now and then a duplicate entry) and pairs of its rows, the first rows sorted or not."""
    rows = draw(st.integers(1, 12))
    cols = draw(st.integers(1, 15))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    entries = draw(
        st.lists(
            st.tuples(
                st.integers(0, rows - 1), st.integers(0, cols - 1), st.floats(-2, 2, width=32)
            ),
            max_size=60,
        )
    )
    indptr = np.zeros(rows + 1, dtype=np.int32)
    by_row: list[list[tuple[int, float]]] = [[] for _ in range(rows)]
    for r, c, v in entries:
        by_row[r].append((c, v))
    indices = [c for row in by_row for c, _ in row]  # (input order: not sorted, maybe repeated)
    data = [v for row in by_row for _, v in row]
    indptr[1:] = np.cumsum([len(row) for row in by_row])
    m = sparse.csr_matrix(
        (np.array(data, dtype=dtype), np.array(indices, dtype=np.int32), indptr), shape=(rows, cols)
    )
    n = draw(st.integers(0, 40))
    a = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=n, max_size=n)), dtype=np.int64)
    b = np.array(draw(st.lists(st.integers(0, rows - 1), min_size=n, max_size=n)), dtype=np.int64)
    if draw(st.booleans()):
        a = np.sort(a)
    return m, a, b


def _expected(m: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dense = m.toarray().astype(np.float64)
    return np.einsum("ij,ij->i", dense[a], dense[b]) if a.size else np.zeros(0)


@settings(max_examples=200, deadline=None)
@given(_matrices_and_pairs())
def test_row_pair_dots_are_the_dot_products_of_the_rows(
    case: tuple[sparse.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    m, a, b = case
    got = row_pair_dots(m, a, b)
    assert got.dtype == np.float64 and got.shape == a.shape
    tolerance = 1e-5 if m.dtype == np.float32 else 1e-9
    np.testing.assert_allclose(got, _expected(m, a, b), rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(
        got, scipy_pair_dots(m, a, m, b, np.float64), rtol=tolerance, atol=tolerance
    )


def test_pair_dots_read_the_rows_of_two_matrices() -> None:
    a = sparse.random(30, 25, density=0.3, format="csr", dtype=np.float32, random_state=5)
    b = sparse.random(40, 25, density=0.2, format="csr", dtype=np.float64, random_state=6)
    rng = np.random.default_rng(5)
    rows_a, rows_b = np.sort(rng.integers(0, 30, 300)), rng.integers(0, 40, 300)
    want = np.einsum("ij,ij->i", a.toarray()[rows_a], b.toarray()[rows_b])
    np.testing.assert_allclose(pair_dots(a, rows_a, b, rows_b), want, rtol=1e-6, atol=1e-7)


def test_the_kernel_is_compiled_where_numba_is_installed() -> None:
    pytest.importorskip("numba")
    assert kernels.compiled("_pair_dots_loop") is not None


def test_without_numba_scipy_computes_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    m = sparse.random(60, 40, density=0.2, format="csr", dtype=np.float32, random_state=3)
    rng = np.random.default_rng(3)
    a, b = np.sort(rng.integers(0, 60, 500)), rng.integers(0, 60, 500)
    compiled = row_pair_dots(m, a, b)
    monkeypatch.setattr(kernels, "compiled", lambda name: None)
    np.testing.assert_allclose(row_pair_dots(m, a, b), compiled, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(compiled, _expected(m, a, b), rtol=1e-6, atol=1e-7)


@st.composite
def _two_matrices(draw: st.DrawFn) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Two float64 CSR matrices of as many columns, each row's entries in any order."""
    cols = draw(st.integers(1, 12))

    def one() -> sparse.csr_matrix:
        rows = draw(st.integers(1, 10))
        by_row = [
            draw(st.lists(st.tuples(st.integers(0, cols - 1), st.floats(-4, 4)), max_size=8))
            for _ in range(rows)
        ]
        indptr = np.concatenate([[0], np.cumsum([len(r) for r in by_row])]).astype(np.int32)
        indices = np.array([c for r in by_row for c, _ in r], dtype=np.int32)
        data = np.array([v for r in by_row for _, v in r], dtype=np.float64)
        return sparse.csr_matrix((data, indices, indptr), shape=(rows, cols))

    return one(), one()


def _parts(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return m.indptr, m.indices, m.data


@settings(max_examples=200, deadline=None)
@given(_two_matrices())
def test_gram_is_scipys_product_to_the_last_bit(
    case: tuple[sparse.csr_matrix, sparse.csr_matrix],
) -> None:
    a, b = case
    want = (a @ b.T).toarray()
    got = kernels.gram(_parts(a), _parts(b), a.shape[1])
    assert got.shape == want.shape and got.dtype == np.float64
    np.testing.assert_array_equal(got, want)


def test_gram_without_numba_is_scipys_product(monkeypatch: pytest.MonkeyPatch) -> None:
    a = sparse.random(20, 30, density=0.3, format="csr", random_state=1)
    b = sparse.random(15, 30, density=0.3, format="csr", random_state=2)
    monkeypatch.setattr(kernels, "compiled", lambda name: None)
    np.testing.assert_array_equal(kernels.gram(_parts(a), _parts(b), 30), (a @ b.T).toarray())
