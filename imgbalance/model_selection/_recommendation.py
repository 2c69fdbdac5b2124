"""The rule by which a comparison recommends a strategy.

Each strategy's gain over the baseline (class weights) is measured on the
same folds; with tiny classes that measure is mostly noise, and the largest
of ten noisy gains is larger than the true one (the winner's curse). So the
measured gain is weighed against its noise: the gains remedies bring over
class weights are taken to spread around zero by ``PRIOR_SPREAD`` (a normal
prior), and each measured gain is shrunk toward zero by how noisy it is,

    expected = measured * spread**2 / (spread**2 + variance),

the variance being that of the mean paired difference, corrected for
overlapping training sets (Nadeau and Bengio). A gain measured on many
steady folds keeps most of its size; one measured on four folds of two
images each keeps little. The strategy with the largest expected gain is
recommended, the baseline when none is expected to gain; a strategy that
failed on a fold is not recommended.

Before that, the folds must show something to choose on: the panel's
balanced accuracy (on each fold, the mean over the strategies compared)
must be above chance, one over the number of classes, by the corrected
one-sided t-test at level ``SIGNAL_LEVEL`` (0.05; Nadeau and Bengio's
variance, ``J - 1`` degrees of freedom for ``J`` folds). When it is not,
as on images of pure noise, every difference between the strategies is
noise, however steady some look, and the baseline stays with a reason that
says so: on noise, a strategy other than the baseline is recommended about
one time in twenty at most. The floor is on the panel's signal, not on
each gain: with a few images in a class, real gains do not clear their
own noise (on ``benchmarks/compare_quality.py``'s scenarios at ratio 50,
where the picks gain 0.03 to 0.06 over class weights on the test part,
their measured gains are 0.3 to 1.4 standard errors), and a floor on each
gain would give them up. One test of the panel needs no allowance for the
number of strategies.
"""

import math
from typing import NamedTuple

import numpy as np
from scipy import stats

from ._stats import corrected_variance

__all__ = [
    "PRIOR_SPREAD",
    "SIGNAL_LEVEL",
    "Recommendation",
    "Signal",
    "expected_gains",
    "panel_signal",
    "recommend",
]

# how far the true gains of remedies over class weights spread, in the
# first metric's units (balanced accuracy): a few points either way
PRIOR_SPREAD = 0.025
# the level of the one-sided test of the panel's balanced accuracy against
# chance: on noise, a recommendation other than the baseline at most this often
SIGNAL_LEVEL = 0.05
# a panel that scores chance on every fold (every strategy predicting the
# majority) differs from it by rounding only
_ROUNDING = 1e-9


class Recommendation(NamedTuple):
    """The strategy recommended and why, in one sentence."""

    strategy: str
    reason: str


def expected_gains(comparison):
    """Strategy -> ``(measured gain, its corrected standard error, expected
    gain)`` over the baseline on the first metric, for every strategy but
    the baseline scored on two folds or more alongside it."""
    first = comparison.scores[comparison.metrics[0]]
    base = first[comparison.strategies.index(comparison.baseline)]
    out = {}
    for s, name in enumerate(comparison.strategies):
        if name == comparison.baseline:
            continue
        difference = first[s] - base
        difference = difference[~np.isnan(difference)]
        variance = corrected_variance(difference, comparison.n_train, comparison.n_test)
        if math.isnan(variance):
            continue
        measured = float(difference.mean())
        prior = PRIOR_SPREAD**2
        out[name] = (
            measured,
            math.sqrt(variance),
            measured * prior / (prior + variance),
        )
    return out


class Signal(NamedTuple):
    """The panel's balanced accuracy against chance: its mean over the
    folds, chance, the folds, the corrected t and the t needed."""

    mean: float
    chance: float
    folds: int
    t: float
    needed: float

    @property
    def above_chance(self):
        return self.t > self.needed


def panel_signal(comparison, strategies):
    """The :class:`Signal` of ``strategies`` (names) of ``comparison``:
    their balanced accuracy, averaged over them on each fold they were all
    scored on, tested against chance (one over the number of classes) by
    the corrected one-sided t-test at ``SIGNAL_LEVEL``; None with fewer
    than two such folds."""
    rows = [comparison.strategies.index(name) for name in strategies]
    if "balanced_accuracy" in comparison.scores:
        scores = comparison.scores["balanced_accuracy"][rows]
    else:  # the mean recall of the classes is the balanced accuracy
        scores = comparison.recall[rows].mean(axis=2)
    panel = scores[:, ~np.isnan(scores).any(axis=0)].mean(axis=0)
    variance = corrected_variance(panel, comparison.n_train, comparison.n_test)
    if math.isnan(variance):
        return None
    chance = 1 / len(comparison.classes)
    excess = float(panel.mean()) - chance
    if abs(excess) <= _ROUNDING:
        t = 0.0
    elif variance == 0:
        t = math.copysign(math.inf, excess)
    else:
        t = excess / math.sqrt(variance)
    needed = float(stats.t.ppf(1 - SIGNAL_LEVEL, len(panel) - 1))
    return Signal(float(panel.mean()), chance, len(panel), t, needed)


def recommend(comparison, rows):
    """The :class:`Recommendation` for ``comparison`` (a StrategyComparison)
    whose :meth:`rows` are ``rows``."""
    metric, baseline = comparison.metrics[0], comparison.baseline
    by_name = {row["strategy"]: row for row in rows}
    usable = {
        name
        for name, row in by_name.items()
        if row["failed folds"] == 0 and row["folds"] >= 2
    }
    if baseline not in usable or len(usable) == 1:
        return Recommendation(
            baseline,
            f"{baseline}: too few folds to compare the strategies "
            f"({by_name[baseline]['folds']} scored), so the baseline stays.",
        )
    gains = {n: g for n, g in expected_gains(comparison).items() if n in usable}
    if not gains:
        return Recommendation(
            baseline,
            f"{baseline}: no other strategy was scored on the same folds, so the "
            "baseline stays.",
        )
    simplicity = dict(zip(comparison.strategies, comparison.simplicity))
    best = max(gains, key=lambda n: (gains[n][2], -simplicity[n]))
    measured, error, expected = gains[best]
    weighed = (
        f"measured {measured:+.3f} ± {error:.3f} on {metric} over "
        f"{by_name[best]['folds']} folds, expected {expected:+.3f} once weighed "
        f"against that noise"
    )
    signal = panel_signal(comparison, sorted(usable))
    if signal is not None and not signal.above_chance:
        return Recommendation(
            baseline,
            f"{baseline}: no strategy's gain stands out from the noise of the "
            f"folds: they score {signal.mean:.3f} balanced accuracy on average "
            f"over {signal.folds} folds, not above chance ({signal.chance:.3f}) "
            f"by a one-sided test at {SIGNAL_LEVEL} (t {signal.t:.2f}, "
            f"{signal.needed:.2f} needed), so their differences are noise (the "
            f"best, {best}: {weighed}).",
        )
    if expected <= 0:
        return Recommendation(
            baseline,
            f"{baseline}: no strategy is expected to do better (the best, {best}: "
            f"{weighed}), and it is the simplest remedy.",
        )
    return Recommendation(
        best,
        f"{best}: the largest expected gain over {baseline} ({weighed}).",
    )
