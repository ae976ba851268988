"""Statistical helpers against independent implementations (scipy, lifelines, closed forms)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats

from claimcheck.stats import (
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


# --- Kaplan-Meier intervals under Greenwood's variance -------------------------------------------

from lifelines import KaplanMeierFitter  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

from claimcheck.stats import KM_TRANSFORMS, km_greenwood_interval, km_uncensored_interval  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_log_log_interval_of_k_over_n_matches_lifelines_on_uncensored_data(seed: int) -> None:
    # lifelines' KaplanMeierFitter builds its CI on the log(-log) scale with Greenwood's variance.
    rng = np.random.default_rng(seed)
    n = 113
    times = rng.exponential(20.0, n)
    fitter = KaplanMeierFitter(alpha=0.05).fit(times, np.ones(n))
    limits = fitter.confidence_interval_survival_function_
    for landmark in (6.0, 12.0, 24.0, 36.0):
        survivors = int((times > landmark).sum())
        if not 0 < survivors < n:
            continue
        assert float(fitter.survival_function_at_times(landmark).iloc[0]) == pytest.approx(survivors / n)
        lower, upper = limits[limits.index <= landmark].iloc[-1]
        assert km_uncensored_interval(survivors, n, "log-log") == pytest.approx((lower, upper), abs=1e-9)


def test_censoring_only_after_the_landmark_leaves_the_estimate_and_its_interval_at_k_over_n() -> None:
    # Every patient followed past 36 months (administrative censoring at the cut-off only): the
    # KM estimate at 24 months is the share still event-free, as km_uncensored_interval assumes.
    rng = np.random.default_rng(7)
    n = 113
    times = rng.exponential(20.0, n)
    cutoff = rng.uniform(42.5, 144.0, n)
    observed, event = np.minimum(times, cutoff), times <= cutoff
    fitter = KaplanMeierFitter(alpha=0.05).fit(observed, event)
    survivors = int((times > 24.0).sum())
    limits = fitter.confidence_interval_survival_function_
    assert float(fitter.survival_function_at_times(24.0).iloc[0]) == pytest.approx(survivors / n)
    assert km_uncensored_interval(survivors, n, "log-log") == pytest.approx(
        tuple(limits[limits.index <= 24.0].iloc[-1]), abs=1e-9)


def test_greenwood_log_log_interval_matches_lifelines_with_censoring_before_the_time() -> None:
    rng = np.random.default_rng(3)
    n = 60
    times, censor = rng.exponential(10.0, n), rng.exponential(15.0, n)
    observed, event = np.minimum(times, censor), times <= censor
    fitter = KaplanMeierFitter(alpha=0.05).fit(observed, event)
    table = fitter.event_table
    at_risk, deaths = table["at_risk"].to_numpy(), table["observed"].to_numpy()
    terms = np.where(deaths > 0, deaths / (at_risk * np.maximum(at_risk - deaths, 1)), 0.0)
    greenwood = np.cumsum(terms)
    survival = fitter.survival_function_["KM_estimate"].to_numpy()
    limits = fitter.confidence_interval_survival_function_.to_numpy()
    for i in range(1, len(survival)):
        if 0 < survival[i] < 1:
            assert km_greenwood_interval(survival[i], greenwood[i], "log-log") == pytest.approx(
                tuple(limits[i]), abs=1e-9)


# StataCorp, "Stata survival analysis: example session" (https://www.stata.com/features/overview/
# survival-example-session/), output of `webuse cancer`, `stset studytime died`, `sts list, by(dose)`:
# the Control group (20 patients) at times 1-4 loses no one to censoring ("Net Lost" 0), so S = k/20,
# and Stata's CI is built on ln[-ln S(t)] with Greenwood's variance ([ST] sts, Methods and formulas).
STATA_CONTROL_GROUP = [  # (time, survivors of 20, survivor function, Greenwood SE, lower, upper) as printed
    (1, 18, 0.9000, 0.0671, 0.6560, 0.9740),
    (2, 17, 0.8500, 0.0798, 0.6038, 0.9490),
    (3, 16, 0.8000, 0.0894, 0.5511, 0.9198),
    (4, 14, 0.7000, 0.1025, 0.4505, 0.8525),
]


@pytest.mark.parametrize("time, survivors, survival, se, lower, upper", STATA_CONTROL_GROUP)
def test_log_log_interval_reproduces_statas_printed_sts_list(time, survivors, survival, se, lower, upper) -> None:
    assert survivors / 20 == pytest.approx(survival, abs=5e-5)
    # Greenwood's SE, S * sqrt((n - k)/(n k)), as Stata prints it beside the interval.
    assert round(survival * math.sqrt((20 - survivors) / (20 * survivors)), 4) == se
    low, high = km_uncensored_interval(survivors, 20, "log-log")
    assert (round(low, 4), round(high, 4)) == (lower, upper)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(min_value=2, max_value=300), data=st.data())
def test_uncensored_intervals_equal_the_binomial_forms_of_each_transform(n: int, data: st.DataObject) -> None:
    # Without censoring Greenwood's variance is the binomial p(1-p)/n, so each transform's interval is
    # the textbook interval of a proportion on that scale: Wald (statsmodels "normal"), log,
    # logit (Agresti, Categorical Data Analysis, 3rd ed., section 16.1) and the variance-stabilising
    # arcsine-square-root one, asin(sqrt p) +/- z/(2 sqrt n) (Anscombe 1948).
    k = data.draw(st.integers(min_value=1, max_value=n - 1))
    p, z = k / n, z_quantile(0.05)
    wald = proportion_confint(k, n, alpha=0.05, method="normal")
    assert km_uncensored_interval(k, n, "plain") == pytest.approx((max(wald[0], 0), min(wald[1], 1)), abs=1e-12)
    half = z * math.sqrt((1 - p) / (n * p))
    assert km_uncensored_interval(k, n, "log") == pytest.approx((p * math.exp(-half), min(1.0, p * math.exp(half))))
    logit, width = math.log(p / (1 - p)), z / math.sqrt(n * p * (1 - p))
    expit = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    assert km_uncensored_interval(k, n, "logit") == pytest.approx((expit(logit - width), expit(logit + width)))
    centre, arc = math.asin(math.sqrt(p)), z / (2 * math.sqrt(n))
    assert km_uncensored_interval(k, n, "arcsine") == pytest.approx(
        (math.sin(max(0.0, centre - arc)) ** 2, math.sin(min(math.pi / 2, centre + arc)) ** 2))


@pytest.mark.parametrize("transform", list(KM_TRANSFORMS))
@pytest.mark.parametrize("survival, greenwood", [(0.62, 0.013), (0.274, 0.0234), (0.91, 0.004)])
def test_each_transform_is_the_delta_method_on_its_scale(transform, survival, greenwood) -> None:
    # g(S) +/- z |g'(S)| SE(S), mapped back, with SE(S) = S sqrt(greenwood) and g' taken numerically:
    # an implementation that shares nothing with stats.py but the definition of each scale (limits
    # clipped to [0, 1], as R's survfit does).
    scales = {"plain": (lambda s: s, lambda y: y), "log": (math.log, math.exp),
              "log-log": (lambda s: math.log(-math.log(s)), lambda y: math.exp(-math.exp(y))),
              "logit": (lambda s: math.log(s / (1 - s)), lambda y: 1 / (1 + math.exp(-y))),
              "arcsine": (lambda s: math.asin(math.sqrt(s)), lambda y: math.sin(y) ** 2)}
    g, inverse = scales[transform]
    h = 1e-6
    slope = (g(survival + h) - g(survival - h)) / (2 * h)
    se = abs(slope) * survival * math.sqrt(greenwood) * z_quantile(0.05)
    ends = [min(1.0, max(0.0, end)) for end in sorted((inverse(g(survival) - se), inverse(g(survival) + se)))]
    assert km_greenwood_interval(survival, greenwood, transform) == pytest.approx(tuple(ends), abs=1e-7)


def test_kaplan_meier_interval_edges_and_bad_input() -> None:
    assert km_uncensored_interval(20, 20, "log-log") == (1.0, 1.0)
    with pytest.raises(ValueError, match="unknown transform"):
        km_greenwood_interval(0.5, 0.01, "cloglog")
    with pytest.raises(ValueError, match="0 < k <= n"):
        km_uncensored_interval(0, 20, "log")
