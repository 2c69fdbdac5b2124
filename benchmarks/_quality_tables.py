"""quality.py's markdown: the table of every row, the model-selection table
and the text of each section (step-imbalance scenarios, make_defects)."""

import numpy as np
from _defect_scenarios import defect_table

__all__ = ["defects_text", "strategies_text"]

# rows that existed before the learned, Gabor and DAISY features and the
# elastic, erasing, TrivialAugment and symmetry augmentations
EARLIER_FEATURES = {"pixels", "HOG"}
NEW_STRATEGIES = {
    "AugmentingOverSampler (elastic)",
    "AugmentingOverSampler (erasing)",
    "AugmentingOverSampler (TrivialAugment)",
    "AugmentingOverSampler (symmetry)",
}


def mean_std(values):
    values = np.asarray(values, dtype=float)
    return f"{values.mean():.3f} ± {values.std():.3f}"


def table(results):
    lines = [
        (
            "| dataset | ratio | features | classifier | strategy | balanced accuracy "
            "| macro F1 | G-mean |"
        ),
        "|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, ratio), (rows, _) in results.items():
        for (features, clf, name), values in rows.items():
            values = np.array(values)
            cells = [mean_std(values[:, k]) for k in range(values.shape[1])]
            lines.append(
                f"| {dataset} | {ratio:g} | {features} | {clf} | {name} | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(lines)


def earlier(key):
    features, _, strategy = key
    return features in EARLIER_FEATURES and strategy not in NEW_STRATEGIES


def selection_table(results):
    """Best row in hindsight against the CV-selected pipeline, over all rows
    and over the earlier rows."""
    lines = [
        (
            "| dataset | ratio | rows | best row in hindsight | its balanced accuracy "
            "| CV-selected: balanced accuracy | macro F1 | G-mean | chosen |"
        ),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, ratio), (rows, selections) in results.items():
        if not selections:
            continue
        for label, keep in (("all", lambda key: True), ("earlier", earlier)):
            keys = [key for key in rows if keep(key)]
            means = {key: np.mean([v[0] for v in rows[key]]) for key in keys}
            best = max(keys, key=means.get)
            chosen_scores, chosen_names = [], []
            for cv, test in selections:
                finite = [key for key in keys if np.isfinite(cv[key])]
                choice = max(finite, key=cv.get)  # GridSearchCV's rule: first best
                chosen_scores.append(test[choice])
                chosen_names.append(" / ".join(choice))
            chosen_scores = np.array(chosen_scores)
            names = ", ".join(
                f"{n} ({chosen_names.count(n)})"
                for n in sorted(set(chosen_names), key=chosen_names.index)
            )
            lines.append(
                f"| {dataset} | {ratio:g} | {label} ({len(keys)}) | "
                f"{' / '.join(best)} | "
                f"{mean_std([v[0] for v in rows[best]])} | "
                + " | ".join(mean_std(chosen_scores[:, k]) for k in range(3))
                + f" | {names} |"
            )
    return "\n".join(lines)


def strategies_text(results, n_seeds, machine):
    """The step-imbalance scenarios' tables ("" when none ran)."""
    if not results:
        return ""
    header = (
        "Step imbalance, half the classes minority, "
        f"{n_seeds} seeds, stratified 60/40 split; mean ± std over the "
        f"seeds. {machine} Datasets, features and "
        "strategies: the docstring of benchmarks/quality.py. At ratio 50 each "
        "minority class of digits has 1 test image: one mistake on it makes "
        "the G-mean 0."
    )
    selection = (
        "Model selection: the pipeline GridSearchCV picks among the rows "
        "(repeated stratified K-fold on the train part only, balanced "
        "accuracy), scored on the test part, beside the best row in hindsight. "
        "'earlier': among the rows that existed before the learned, Gabor and "
        "DAISY features and the elastic, erasing, TrivialAugment and symmetry "
        "augmentations. 'chosen': the picks over the seeds."
    )
    return (
        header
        + "\n\n"
        + selection
        + "\n\n"
        + selection_table(results)
        + "\n\nEvery row:\n\n"
        + table(results)
        + "\n"
    )


def defects_text(results, n_seeds, machine):
    """The make_defects scenarios' tables ("" when none ran)."""
    if not results:
        return ""
    header = (
        f"make_defects, {n_seeds} seeds, stratified 60/40 split; mean ± std "
        f"over the seeds. {machine} Scenarios and rows: the docstring of "
        "benchmarks/_defect_scenarios.py."
    )
    return (
        header
        + defect_table(results, mean_std)
        + "\n\nEvery row:\n\n"
        + table(results)
        + "\n"
    )
