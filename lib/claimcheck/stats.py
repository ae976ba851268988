"""Statistical helpers the ledger rules and the chapters share.

Everything here works from the summary statistics a paper prints (counts, hazard ratios,
confidence limits, medians, landmark survival rates), never from patient-level data: the
survival curves below are reconstructions that are merely compatible with those summaries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint

__all__ = [
    "BINOMIAL_METHODS",
    "z_quantile",
    "wald_se_from_ci",
    "wald_p",
    "binomial_intervals",
    "KM_TRANSFORMS",
    "km_greenwood_interval",
    "km_uncensored_interval",
    "weibull_survival",
    "weibull_from_two_points",
    "fit_weibull_to_summary",
    "PiecewiseExponential",
    "piecewise_exponential_from_points",
]

#: statsmodels `proportion_confint` methods, with the names a reader knows them by.
BINOMIAL_METHODS: dict[str, str] = {
    "normal": "Wald (normal approximation)",
    "agresti_coull": "Agresti-Coull",
    "beta": "Clopper-Pearson (exact)",
    "wilson": "Wilson score",
    "jeffreys": "Jeffreys",
    "binom_test": "inverted binomial test (Sterne)",
}


def z_quantile(alpha: float = 0.05) -> float:
    """The two-sided normal critical value z_{1-alpha/2} (1.95996... for alpha = 0.05)."""
    return float(scipy_stats.norm.ppf(1.0 - alpha / 2.0))


def wald_se_from_ci(lower: float, upper: float, alpha: float = 0.05, log_scale: bool = True) -> float:
    """Standard error implied by a symmetric Wald interval.

    With `log_scale` (ratios such as hazard ratios) SE = (ln U - ln L) / (2 z); otherwise
    SE = (U - L) / (2 z), e.g. for a median printed as median +/- z*SE.
    """
    if log_scale:
        if lower <= 0 or upper <= 0:
            raise ValueError(f"log-scale limits must be positive, got {lower}, {upper}")
        width = math.log(upper) - math.log(lower)
    else:
        width = upper - lower
    return width / (2.0 * z_quantile(alpha))


def wald_p(log_estimate: float, se: float) -> float:
    """Two-sided normal p-value of a Wald test, z = estimate / SE (estimate on the log scale)."""
    if se <= 0:
        return 0.0 if log_estimate != 0 else 1.0
    z = abs(log_estimate) / se
    return float(2.0 * scipy_stats.norm.sf(z))


def binomial_intervals(count: int, n: int, alpha: float = 0.05) -> pd.DataFrame:
    """Confidence intervals for count/n by every method in `BINOMIAL_METHODS` (as proportions).

    Columns: method (statsmodels name), label (reader's name), lower, upper.
    """
    if not 0 <= count <= n or n <= 0:
        raise ValueError(f"need 0 <= count <= n and n > 0, got {count}/{n}")
    rows = []
    for method, label in BINOMIAL_METHODS.items():
        lower, upper = proportion_confint(count, n, alpha=alpha, method=method)
        rows.append({"method": method, "label": label, "lower": float(lower), "upper": float(upper)})
    return pd.DataFrame(rows, columns=["method", "label", "lower", "upper"])


#: Transforms of the Kaplan-Meier estimate under which a pointwise CI is built with Greenwood's
#: variance, with the names a reader knows them by.
KM_TRANSFORMS: dict[str, str] = {
    "plain": "plain (S ± z·SE)",
    "log": "log",
    "log-log": "log-log (Stata's default)",
    "logit": "logit",
    "arcsine": "arcsine-square-root",
}


def km_greenwood_interval(
    survival: float, greenwood_sum: float, transform: str, alpha: float = 0.05
) -> tuple[float, float]:
    """Pointwise (1 - alpha) CI of a Kaplan-Meier estimate S from Greenwood's sum Σ d/(n(n-d)).

    Greenwood's variance is Var(S) = S²·Σ; each transform g builds g(S) ± z·SE(g(S)) by the delta
    method and maps back, clipped to [0, 1] (as R's survfit and SAS's LIFETEST do):
    plain S ± z·S√Σ; log S·exp(±z√Σ); log-log S^exp(±z√Σ/ln S) (Kalbfleisch and Prentice);
    logit logit⁻¹(logit S ± z√Σ/(1-S)); arcsine sin²(asin√S ± ½z√(Σ·S/(1-S))) (Borgan and
    Liestøl 1990). At S = 1 (no event yet) every interval is [1, 1].
    """
    if transform not in KM_TRANSFORMS:
        raise ValueError(f"unknown transform {transform!r}; expected one of {list(KM_TRANSFORMS)}")
    if not 0 < survival <= 1 or greenwood_sum < 0:
        raise ValueError(f"need 0 < S <= 1 and a non-negative Greenwood sum, got S={survival}, Σ={greenwood_sum}")
    if survival == 1 or greenwood_sum == 0:
        return survival, survival
    z = z_quantile(alpha)
    root = math.sqrt(greenwood_sum)
    if transform == "plain":
        half = z * survival * root
        low, high = survival - half, survival + half
    elif transform == "log":
        low, high = survival * math.exp(-z * root), survival * math.exp(z * root)
    elif transform == "log-log":
        shift = z * root / math.log(survival)  # negative: ln S < 0
        low, high = survival ** math.exp(-shift), survival ** math.exp(shift)
    elif transform == "logit":
        centre, half = math.log(survival / (1 - survival)), z * root / (1 - survival)
        low, high = 1 / (1 + math.exp(-(centre - half))), 1 / (1 + math.exp(-(centre + half)))
    else:
        centre, half = math.asin(math.sqrt(survival)), 0.5 * z * math.sqrt(greenwood_sum * survival / (1 - survival))
        low, high = math.sin(max(0.0, centre - half)) ** 2, math.sin(min(math.pi / 2, centre + half)) ** 2
    return max(0.0, low), min(1.0, high)


def km_uncensored_interval(survivors: int, n: int, transform: str, alpha: float = 0.05) -> tuple[float, float]:
    """The Kaplan-Meier CI at a time before which no one was censored: S = k/n exactly.

    Without censoring the risk sets shrink only by events, and Greenwood's sum telescopes to
    Σ d_i/(n_i(n_i - d_i)) = 1/k - 1/n = (n - k)/(n k), so Var(S) = S(1 - S)/n, the binomial variance.
    """
    if not 0 < survivors <= n:
        raise ValueError(f"need 0 < k <= n, got {survivors}/{n}")
    return km_greenwood_interval(survivors / n, (n - survivors) / (n * survivors), transform, alpha)


def weibull_survival(t: float | np.ndarray, shape: float, scale: float) -> float | np.ndarray:
    """Weibull survival S(t) = exp(-(t/scale)^shape), t in the same unit as `scale`."""
    return np.exp(-np.power(np.asarray(t, dtype=float) / scale, shape))


def weibull_from_two_points(t1: float, s1: float, t2: float, s2: float) -> tuple[float, float]:
    """(shape, scale) of the one Weibull curve through (t1, s1) and (t2, s2), survival as fractions.

    A reconstruction from two printed summaries, not a fit to patient data. On the log-log scale
    ln(-ln S) = shape*ln t - shape*ln scale is a straight line, so two points determine it.
    """
    if not (0 < s1 < 1 and 0 < s2 < 1) or t1 <= 0 or t2 <= 0 or t1 == t2:
        raise ValueError("need two distinct positive times and survival fractions strictly between 0 and 1")
    y1, y2 = math.log(-math.log(s1)), math.log(-math.log(s2))
    shape = (y2 - y1) / (math.log(t2) - math.log(t1))
    if shape <= 0:
        raise ValueError(f"survival must fall with time: S({t1})={s1}, S({t2})={s2}")
    scale = math.exp(math.log(t1) - y1 / shape)
    return shape, scale


def fit_weibull_to_summary(median: float, landmarks: Mapping[float, float]) -> tuple[float, float, dict[float, float]]:
    """Least-squares Weibull through a printed median and landmark rates (fractions), on log-log scale.

    Returns (shape, scale, residuals) where residuals maps each time (the median included) to
    fitted minus printed survival. Large residuals mean no single smooth Weibull curve carries
    all the printed summaries; this is a reconstruction from summaries, not from patient data.
    """
    points = {float(median): 0.5, **{float(t): float(s) for t, s in landmarks.items()}}
    times = np.array(list(points))
    surv = np.array(list(points.values()))
    if np.any((surv <= 0) | (surv >= 1)) or np.any(times <= 0):
        raise ValueError("survival must be fractions strictly between 0 and 1 (0.451, not 45.1%) at positive times")
    x, y = np.log(times), np.log(-np.log(surv))
    slope, intercept = np.polyfit(x, y, 1)
    shape = float(slope)
    scale = float(math.exp(-intercept / slope))
    fitted = np.asarray(weibull_survival(times, shape, scale))
    residuals = {float(t): float(f - s) for t, f, s in zip(times, fitted, surv, strict=True)}
    return shape, scale, residuals


@dataclass(frozen=True)
class PiecewiseExponential:
    """A survival curve with constant hazard between knots, through (0, 1) and the given points.

    A reconstruction from printed summaries (median, landmark rates), not from patient data.
    `hazards[i]` applies on [knots[i], knots[i+1]); the last hazard continues beyond the last knot.
    """

    knots: tuple[float, ...]
    hazards: tuple[float, ...]

    def survival(self, t: float) -> float:
        """S(t) = exp(-cumulative hazard up to t)."""
        cumulative = 0.0
        for i, hazard in enumerate(self.hazards):
            start = self.knots[i]
            end = self.knots[i + 1] if i + 1 < len(self.hazards) else math.inf
            if t <= start:
                break
            cumulative += hazard * (min(t, end) - start)
        return math.exp(-cumulative)

    def table(self) -> pd.DataFrame:
        """One row per interval: start, end, hazard (per time unit), survival at start."""
        starts = list(self.knots[: len(self.hazards)])
        ends = list(self.knots[1 : len(self.hazards)]) + [math.inf]
        return pd.DataFrame(
            {
                "start": starts,
                "end": ends,
                "hazard": self.hazards,
                "survival_at_start": [self.survival(k) for k in self.knots[: len(self.hazards)]],
            }
        )


def piecewise_exponential_from_points(points: Sequence[tuple[float, float]]) -> PiecewiseExponential:
    """Piecewise-exponential curve through (0, 1) and `points` = (time, survival fraction).

    Pass the median as (median, 0.5) among the points. Raises ValueError when survival rises
    with time, because no hazard is negative.
    """
    ordered = sorted((float(t), float(s)) for t, s in points)
    knots, hazards = [0.0], []
    prev_t, prev_s = 0.0, 1.0
    for t, s in ordered:
        if t <= prev_t or not 0 < s <= 1:
            raise ValueError(f"times must be distinct and positive, survival a fraction in (0, 1]: {(t, s)}")
        if s > prev_s:
            raise ValueError(f"survival rises from {prev_s} at {prev_t} to {s} at {t}")
        hazards.append((math.log(prev_s) - math.log(s)) / (t - prev_t))
        knots.append(t)
        prev_t, prev_s = t, s
    return PiecewiseExponential(knots=tuple(knots), hazards=tuple(hazards))
