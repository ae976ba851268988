"""Statistical helpers against independent implementations (scipy, lifelines, closed forms)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from sarcoma_review.stats import (
    binomial_intervals,
    fit_weibull_to_summary,
    piecewise_exponential_from_points,
    wald_p,
    wald_se_from_ci,
    weibull_from_two_points,
    weibull_survival,
    z_quantile,
)


def _interval(count: int, n: int, method: str) -> tuple[float, float]:
    table = binomial_intervals(count, n).set_index("method")
    return float(table.loc[method, "lower"]), float(table.loc[method, "upper"])


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), data=st.data())
def test_clopper_pearson_matches_scipy_binomtest_and_beta_quantiles(n: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(min_value=0, max_value=n))
    lower, upper = _interval(count, n, "beta")
    exact = scipy_stats.binomtest(count, n).proportion_ci(confidence_level=0.95, method="exact")
    assert (lower, upper) == pytest.approx((exact.low, exact.high), abs=1e-9)
    beta_lower = scipy_stats.beta.ppf(0.025, count, n - count + 1) if count > 0 else 0.0
    beta_upper = scipy_stats.beta.ppf(0.975, count + 1, n - count) if count < n else 1.0
    assert (lower, upper) == pytest.approx((beta_lower, beta_upper), abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(min_value=1, max_value=400), data=st.data())
def test_wilson_matches_scipy_binomtest(n: int, data: st.DataObject) -> None:
    count = data.draw(st.integers(min_value=0, max_value=n))
    wilson = scipy_stats.binomtest(count, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert _interval(count, n, "wilson") == pytest.approx((wilson.low, wilson.high), abs=1e-9)


def test_wald_agresti_coull_and_jeffreys_match_their_textbook_formulas() -> None:
    count, n, z = 42, 113, scipy_stats.norm.ppf(0.975)
    p = count / n
    half = z * math.sqrt(p * (1 - p) / n)
    assert _interval(count, n, "normal") == pytest.approx((p - half, p + half))
    n_tilde = n + z**2
    p_tilde = (count + z**2 / 2) / n_tilde
    half_ac = z * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    assert _interval(count, n, "agresti_coull") == pytest.approx((p_tilde - half_ac, p_tilde + half_ac))
    jeffreys = scipy_stats.beta.ppf([0.025, 0.975], count + 0.5, n - count + 0.5)
    assert _interval(count, n, "jeffreys") == pytest.approx(tuple(jeffreys))


def test_binomial_intervals_lists_every_method_once() -> None:
    table = binomial_intervals(86, 113)
    assert list(table.columns) == ["method", "label", "lower", "upper"]
    assert set(table["method"]) == {"normal", "agresti_coull", "beta", "wilson", "jeffreys", "binom_test"}
    assert (table["lower"] < 86 / 113).all() and (table["upper"] > 86 / 113).all()


def test_binomial_intervals_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        binomial_intervals(5, 4)


def test_z_quantile_is_the_familiar_196() -> None:
    assert z_quantile(0.05) == pytest.approx(1.959964, abs=1e-6)


def test_wald_se_and_p_reproduce_lifelines_on_the_rossi_data() -> None:
    from lifelines import CoxPHFitter
    from lifelines.datasets import load_rossi

    summary = CoxPHFitter().fit(load_rossi(), duration_col="week", event_col="arrest").summary
    for _, row in summary.iterrows():
        se = wald_se_from_ci(row["exp(coef) lower 95%"], row["exp(coef) upper 95%"])
        assert se == pytest.approx(row["se(coef)"], rel=1e-9)
        assert wald_p(row["coef"], se) == pytest.approx(row["p"], rel=1e-6)


def test_wald_se_on_the_natural_scale_for_a_median() -> None:
    # 19.0 (12.8-25.3): SE = 12.5 / (2 * 1.959964) = 3.1889
    assert wald_se_from_ci(12.8, 25.3, log_scale=False) == pytest.approx(3.1889, abs=1e-4)


def test_wald_p_worked_example() -> None:
    # z = 1.959964 gives p = 0.05 exactly, the definition of the 95% critical value.
    assert wald_p(1.959964 * 0.3, 0.3) == pytest.approx(0.05, abs=1e-6)
    assert wald_p(0.0, 0.3) == 1.0


@given(
    shape=st.floats(min_value=0.3, max_value=4.0),
    scale=st.floats(min_value=1.0, max_value=100.0),
    t=st.floats(min_value=0.0, max_value=200.0),
)
def test_weibull_survival_matches_scipy_weibull_min(shape: float, scale: float, t: float) -> None:
    expected = scipy_stats.weibull_min.sf(t, c=shape, scale=scale)
    assert weibull_survival(t, shape, scale) == pytest.approx(expected, rel=1e-9, abs=1e-300)


@given(shape=st.floats(min_value=0.3, max_value=4.0), scale=st.floats(min_value=5.0, max_value=60.0))
def test_weibull_through_two_points_recovers_the_curve(shape: float, scale: float) -> None:
    t1, t2 = 12.0, 24.0
    s1, s2 = scipy_stats.weibull_min.sf([t1, t2], c=shape, scale=scale)
    if not (1e-9 < s2 < s1 < 1 - 1e-9):
        return  # survival saturated at 0 or 1 in floating point: no curve is determined.
    fitted_shape, fitted_scale = weibull_from_two_points(t1, s1, t2, s2)
    assert (fitted_shape, fitted_scale) == pytest.approx((shape, scale), rel=1e-6)


def test_weibull_through_two_points_rejects_rising_survival() -> None:
    with pytest.raises(ValueError, match="fall with time"):
        weibull_from_two_points(12, 0.4, 24, 0.5)


def test_fit_weibull_to_exact_weibull_summaries_leaves_no_residual() -> None:
    shape, scale = 1.3, 25.0
    median = scale * math.log(2) ** (1 / shape)
    landmarks = {t: float(scipy_stats.weibull_min.sf(t, c=shape, scale=scale)) for t in (12, 24, 36)}
    fitted_shape, fitted_scale, residuals = fit_weibull_to_summary(median, landmarks)
    assert (fitted_shape, fitted_scale) == pytest.approx((shape, scale), rel=1e-9)
    assert max(abs(r) for r in residuals.values()) < 1e-9


def test_fit_weibull_shows_residuals_when_summaries_clash() -> None:
    # Median 19 months with 45% alive at 2 years and 42% at 3 years: a plateau no Weibull follows.
    _, _, residuals = fit_weibull_to_summary(19.0, {24: 0.451, 36: 0.417})
    assert set(residuals) == {19.0, 24.0, 36.0}
    assert max(abs(r) for r in residuals.values()) > 0.01


def test_piecewise_exponential_reproduces_its_knots() -> None:
    points = [(11.0, 0.5), (12.0, 0.451), (24.0, 0.257)]
    curve = piecewise_exponential_from_points(points)
    assert curve.survival(0.0) == 1.0
    for t, s in points:
        assert curve.survival(t) == pytest.approx(s, rel=1e-12)
    # First piece: S(11) = 0.5 = exp(-11 h) gives h = ln 2 / 11.
    assert curve.hazards[0] == pytest.approx(math.log(2) / 11)
    assert len(curve.table()) == 3


def test_piecewise_exponential_with_one_piece_is_scipy_exponential() -> None:
    curve = piecewise_exponential_from_points([(10.0, 0.5)])
    for t in (1.0, 5.0, 10.0, 30.0):
        assert curve.survival(t) == pytest.approx(scipy_stats.expon.sf(t, scale=10 / math.log(2)))


def test_piecewise_exponential_rejects_rising_survival() -> None:
    with pytest.raises(ValueError, match="rises"):
        piecewise_exponential_from_points([(24, 0.3), (36, 0.4)])


def test_weibull_survival_is_vectorised() -> None:
    values = weibull_survival(np.array([0.0, 10.0]), 1.0, 10.0)
    assert values == pytest.approx([1.0, math.exp(-1)])
