"""Does ``compare_strategies`` recommend well? Its pick against the best
strategy in hindsight, on the scenarios of ``benchmarks/quality.py``.

For each scenario (digits and shapes at ratio 10 and 50, faces at 10,
textures at 10 and 50: the step protocol, the 60/40 stratified split and
the seeds of ``quality.py``; and random pixels, three classes at ratio 10,
where every strategy is at chance and the right recommendation is class
weights), ``compare_strategies`` runs with its defaults
(the standard panel, "auto" features, LogisticRegression, repeated
stratified folds) on the train part only. Then every strategy of the panel
is fitted on the whole train part and scored on the test part
(``StrategyComparison.held_out``). Per scenario, over the seeds:

- the test balanced accuracy of the recommended strategy;
- that of the best strategy in hindsight (the best mean test score over
  the seeds) and of the class-weights baseline;
- the differences (recommended - best, recommended - baseline), as means
  with their standard error over the seeds (how much of a difference the
  test parts' noise alone makes) and at their worst seed.

``--held-out`` runs instead the variants kept aside while the rule was
written (other ratios, image sizes and classes of the same sources): they
were not looked at before the rule was fixed.

Prints a markdown table; ``--output FILE`` writes it into FILE's
"compare" section (docs/quality.md), leaving the rest of FILE as it is.

Run: ``python benchmarks/compare_quality.py --output docs/quality.md``.
"""

import argparse
import os
import platform
import sys
import time
import warnings

import numpy as np
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import imgbalance  # noqa: E402
from _sections import write_section  # noqa: E402
from imgbalance.datasets import make_imbalance, make_shapes  # noqa: E402
from imgbalance.model_selection import compare_strategies  # noqa: E402
from quality import DATASETS, load_textures  # noqa: E402

SCENARIOS = [  # (dataset, ratio, loader)
    (name, ratio, spec.load) for name, spec in DATASETS.items() for ratio in spec.ratios
] + [("noise (random pixels)", 10, lambda: _noise())]
# kept aside while the rule was written: other ratios, sizes and classes
HELD_OUT = [
    ("digits", 25, DATASETS["digits"].load),
    ("shapes 48 px, gray, noisy", 25, lambda: _shapes_48()),
    ("textures 16 px", 25, lambda: load_textures(16)),
    ("faces", 20, DATASETS["faces"].load),
    ("shapes 64 px", 10, lambda: _shapes_64()),
]


def _noise():
    """600 RGB images of 32x32 random pixels, 3 classes of 200: nothing to
    learn, so nothing to choose between the strategies."""
    images = np.random.default_rng(0).integers(0, 256, (600, 32, 32, 3), np.uint8)
    return images, np.repeat([0, 1, 2], 200)


def _shapes_48():
    return make_shapes(
        150, image_size=48, color=False, noise=0.1, random_state=1, return_X_y=True
    )


def _shapes_64():
    return make_shapes(120, image_size=64, random_state=2, return_X_y=True)


def one_seed(load, ratio, seed, n_jobs):
    """The recommendation and every strategy's test balanced accuracy."""
    images, target = load()
    X, y = make_imbalance(images, target, kind="step", ratio=ratio, random_state=seed)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.4, stratify=y, random_state=seed
    )
    comparison = compare_strategies(X_train, y_train, n_jobs=n_jobs, random_state=seed)
    test = comparison.held_out(X_train, y_train, X_test, y_test, n_jobs=n_jobs)
    scores = {
        name: value.get("balanced_accuracy", np.nan) for name, value in test.items()
    }
    return comparison.recommendation, scores


def scenario_row(name, ratio, load, seeds, n_jobs):
    picks, tests = [], []
    for seed in seeds:
        pick, scores = one_seed(load, ratio, seed, n_jobs)
        picks.append(pick)
        tests.append(scores)
    strategies = list(tests[0])
    means = {s: float(np.nanmean([t[s] for t in tests])) for s in strategies}
    best = max(strategies, key=means.get)
    chosen = np.array([t[p] for t, p in zip(tests, picks)])
    baseline = np.array([t["class weights"] for t in tests])
    hindsight = np.array([t[best] for t in tests])
    counts = ", ".join(
        f"{p} ({picks.count(p)})" for p in sorted(set(picks), key=picks.index)
    )
    return {
        "scenario": f"{name} | {ratio}",
        "recommended": chosen,
        "best": best,
        "hindsight": hindsight,
        "baseline": baseline,
        "picks": counts,
    }


def table(rows):
    lines = [
        "| dataset | ratio | recommended: test balanced accuracy | best in hindsight "
        "| its score | class weights | recommended - best ± se (worst seed) "
        "| recommended - class weights ± se (worst seed) | recommended |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        to_best = row["recommended"] - row["hindsight"]
        to_base = row["recommended"] - row["baseline"]
        lines.append(
            f"| {row['scenario']} | {ms(row['recommended'])} | {row['best']} | "
            f"{ms(row['hindsight'])} | {ms(row['baseline'])} | "
            f"{difference(to_best)} | {difference(to_base)} | {row['picks']} |"
        )
    return "\n".join(lines)


def difference(values):
    """Mean ± its standard error over the seeds (the noise a difference of
    test scores has), and the worst seed."""
    se = np.std(values, ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{values.mean():+.3f} ± {se:.3f} ({values.min():+.3f})"


def ms(values):
    return f"{np.mean(values):.3f} ± {np.std(values):.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--held-out", action="store_true", help="the variants kept aside"
    )
    parser.add_argument("--output", help="write the table into this file's section")
    args = parser.parse_args()
    start = time.perf_counter()
    scenarios = HELD_OUT if args.held_out else SCENARIOS
    rows = []
    with warnings.catch_warnings():  # tiny classes: metrics warn
        warnings.simplefilter("ignore", UserWarning)
        for name, ratio, load in scenarios:
            rows.append(scenario_row(name, ratio, load, range(args.seeds), args.jobs))
            print(f"{name} {ratio}: {time.perf_counter() - start:.0f} s", flush=True)
    kind = (
        "held-out variants"
        if args.held_out
        else "scenarios of quality.py and on random pixels"
    )
    how = (
        "They were run once, after the rule and the auto features were fixed: "
        "these figures are the honest estimate of how the rule does on data "
        "it was not chosen on. "
        if args.held_out
        else "The rule (its prior spread, 0.025, and its floor: the panel's "
        "balanced accuracy above chance by a one-sided test at 0.05) and the "
        "auto features (Gabor energies) were chosen looking at these "
        "scenarios: read these figures as fitted ones, and the held-out table "
        "as the estimate. On random pixels every strategy is at chance and the "
        "best in hindsight is luck: the check there is that class weights is "
        "recommended. "
    )
    text = (
        f"compare_strategies' recommendation on the {kind}: the train part "
        "compared (defaults: the standard panel, auto features, "
        "LogisticRegression), every strategy then fitted on the train part and "
        "scored on the test part; test balanced accuracy, mean ± std over "
        f"{args.seeds} seeds. imgbalance {imgbalance.__version__}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {time.perf_counter() - start:.0f} s. "
        f"{how}A difference within about two standard errors (± se, over the "
        "seeds) is within the noise of the test parts: with a handful of test "
        "images per class, one image changes a class's recall by a third or "
        "more. How it is made: the docstring of benchmarks/compare_quality.py."
        "\n\n" + table(rows) + "\n"
    )
    print(text)
    if args.output:
        section = "compare held-out" if args.held_out else "compare"
        write_section(args.output, section, text)


if __name__ == "__main__":
    main()
