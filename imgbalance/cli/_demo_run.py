"""The demo's work: imbalanced digits, the strategies, the table of scores.

Imported by :mod:`imgbalance.cli._demo` only when the demo runs (it imports
scikit-learn and the samplers).
"""

import time

import numpy as np
from imblearn.metrics import geometric_mean_score
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from ..class_weight import class_weights
from ..datasets import load_digits_images, make_imbalance
from ..features import HOGFeatures, PixelFeatures
from ..over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from ..under_sampling import RandomImageUnderSampler
from ._output import say


def strategies(seed, y_train):
    """The compared strategies: name -> grid-search parameters."""
    effective = class_weights(y_train, method="effective_number", beta=0.99)
    return {
        "none": {"sampler": ["passthrough"], "clf__class_weight": [None]},
        "class_weight='balanced'": {
            "sampler": ["passthrough"],
            "clf__class_weight": ["balanced"],
        },
        "class weights, effective number": {
            "sampler": ["passthrough"],
            "clf__class_weight": [effective],
        },
        "RandomImageOverSampler": {
            "sampler": [RandomImageOverSampler(random_state=seed)],
            "clf__class_weight": [None],
        },
        "RandomImageUnderSampler": {
            "sampler": [RandomImageUnderSampler(random_state=seed)],
            "clf__class_weight": [None],
        },
        "AugmentingOverSampler": {
            "sampler": [AugmentingOverSampler(random_state=seed)],
            "clf__class_weight": [None],
        },
        "EmbeddingSMOTE": {
            "sampler": [EmbeddingSMOTE(k_neighbors=1, random_state=seed)],
            "clf__class_weight": [None],
        },
        "HOG + AugmentingOverSampler": {
            "sampler": [AugmentingOverSampler(random_state=seed)],
            "features": [HOGFeatures(pixels_per_cell=(2, 2), cells_per_block=(2, 2))],
            "clf__class_weight": [None],
        },
    }


def _counts_table(X_train, y_train, chosen):
    classes = np.unique(y_train)
    header = ["class", "train"] + list(chosen)
    rows = []
    after = {}
    for name, params in chosen.items():
        sampler = params["sampler"][0]
        if sampler == "passthrough":
            after[name] = y_train
        else:
            after[name] = clone(sampler).fit_resample(X_train, y_train)[1]
    for c in classes:
        rows.append(
            [str(c), str(np.sum(y_train == c))]
            + [str(np.sum(after[name] == c)) for name in chosen]
        )
    rows.append(
        ["total", str(len(y_train))] + [str(len(after[name])) for name in chosen]
    )
    return _format_table(header, rows)


def _format_table(header, rows):
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()
    out = [line, "-" * len(line)]
    for row in rows:
        cells = [row[0].ljust(widths[0])]
        cells += [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def run(args):
    """Run the demo; return the exit code."""
    start = time.perf_counter()
    images, target = load_digits_images(return_X_y=True)
    X, y = make_imbalance(
        images,
        target,
        kind="step",
        ratio=args.ratio,
        minority_fraction=0.5,
        random_state=args.seed,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=args.seed
    )
    say(
        f"digits made imbalanced (step, ratio {args.ratio:g}, half the classes "
        f"minority): {len(y)} images of {images.shape[1]}x{images.shape[2]} px, "
        f"{len(y_train)} to train, {len(y_test)} to test\n"
    )
    grid = strategies(args.seed, y_train)
    pipeline = Pipeline(
        [
            ("sampler", "passthrough"),
            ("features", PixelFeatures()),
            ("clf", LogisticRegression(max_iter=2000)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        list(grid.values()),
        scoring="balanced_accuracy",
        cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=args.seed),
        n_jobs=args.jobs,
    )
    search.fit(X_train, y_train)

    say("class counts in the training set, before and after resampling:")
    samplers = {k: v for k, v in grid.items() if "Sampler" in k and "HOG" not in k}
    say(_counts_table(X_train, y_train, samplers))
    say()

    header = ["strategy", "cv bal.acc", "test bal.acc", "macro F1", "G-mean", "chosen"]
    rows = []
    cv_scores = search.cv_results_["mean_test_score"]
    failures = []
    for i, (name, params) in enumerate(grid.items()):
        model = clone(pipeline).set_params(**{k: v[0] for k, v in params.items()})
        try:
            model.fit(X_train, y_train)
        except ValueError as error:  # say, too few images of a class for SMOTE
            rows.append([name, f"{cv_scores[i]:.3f}", "n/a", "n/a", "n/a", ""])
            failures.append(f"{name}: {error}")
            continue
        y_pred = model.predict(X_test)
        rows.append(
            [
                name,
                f"{cv_scores[i]:.3f}",
                f"{balanced_accuracy_score(y_test, y_pred):.3f}",
                f"{f1_score(y_test, y_pred, average='macro'):.3f}",
                f"{geometric_mean_score(y_test, y_pred, average='multiclass'):.3f}",
                "<- CV" if i == search.best_index_ else "",
            ]
        )
    say("held-out scores (pixels, or HOG where named, -> LogisticRegression):")
    say(_format_table(header, rows))
    for failure in failures:
        say(f"n/a: {failure}")
    say(f"\ndone in {time.perf_counter() - start:.1f} s")
    return 0
