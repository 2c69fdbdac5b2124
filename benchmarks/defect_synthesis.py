"""Copy-paste synthesis and evidence-protecting augmentation on make_defects:
do they help the rare defect classes?

The scenario of quality.py's "defects" rows: ``make_defects(1350,
ratio=50, random_state=seed)``, a stratified 60/40 split (16 training
images per defect class), seeds 0..4. One pipeline,
LocalOutlierFeatures(reference_class=0) + StandardScaler +
LogisticRegression, trained on the training part grown to the clean
class's count in each defect class by:

- "class weights": nothing grown, class_weight="balanced" (the baseline);
- "copies": the defect images repeated;
- "symmetry": a random symmetry of the square of each (RandomSymmetry);
- "erasing": a random rectangle blanked (RandomErasing's default ranges:
  p 0.5, 2-33 % of the area, aspect 0.3-3.3), which may erase the defect;
- "erasing, kept off the outliers": the same, its rectangle drawn again
  (up to 10 times) while it covers one of the 16 pixels scoring highest in
  LocalOutlierFeatures.score_maps (learnt on the clean training images);
- "erasing, kept off the class difference": the same, kept off the 16
  pixels where the image differs most from its class's median image (the
  class's typical image);
- "CutPaste": imgbalance.augment.CutPaste, a rectangle of 2-15 % of the
  image copied to another place of it (Li et al., CVPR 2021);
- "paste on clean, box": the defect located (the box around the 16
  highest-scoring pixels, 2 pixels wider each way) cut from a defect image
  and pasted at a random place of a random clean training image;
- "paste on clean, pixels": only the pixels of that box scoring above the
  image's 98th percentile pasted;
- "paste on clean, true mask": the defect's true pixels (make_defects'
  masks: what perfect locating would give).

Also: how often the highest-scoring pixel of each defect image (the score
maps), and the pixel where it differs most from its class's median image,
lie on the defect.

Prints a markdown table: balanced accuracy (mean ± std over the seeds), its
difference with "class weights" seed by seed (mean ± std), and the seeds
where it is higher.

Run: ``python benchmarks/defect_synthesis.py``.
"""

import argparse
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from imgbalance.augment import CutPaste, RandomSymmetry
from imgbalance.datasets import make_defects
from imgbalance.features import LocalOutlierFeatures

N_TOP = 16  # pixels that say where a defect is


def top_pixels(score_map, k=N_TOP):
    """The (rows, cols) of the k highest values of a map."""
    flat = np.argsort(-score_map.ravel(), kind="stable")[:k]
    return np.unravel_index(flat, score_map.shape)


def rectangle(rng, side, scale, aspect=(0.3, 3.3)):
    """(top, left, h, w) of a random rectangle of a fraction ``scale`` of
    the image, or None when 10 draws do not fit."""
    for _ in range(10):
        area = side * side * rng.uniform(*scale)
        ratio = np.exp(rng.uniform(np.log(aspect[0]), np.log(aspect[1])))
        h, w = round(np.sqrt(area * ratio)), round(np.sqrt(area / ratio))
        if 0 < h < side and 0 < w < side:
            return (
                int(rng.integers(side - h + 1)),
                int(rng.integers(side - w + 1)),
                h,
                w,
            )
    return None


def erase(image, rng, keep=None):
    """RandomErasing's draw; with ``keep`` (rows, cols), rectangles that
    cover one of those pixels are drawn again (10 tries in all)."""
    if rng.random() >= 0.5:
        return image
    for _ in range(10):
        found = rectangle(rng, image.shape[0], (0.02, 0.33))
        if found is None:
            return image
        top, left, h, w = found
        if keep is not None:
            rows, cols = keep
            inside = (
                (rows >= top) & (rows < top + h) & (cols >= left) & (cols < left + w)
            )
            if inside.any():
                continue
        out = image.copy()
        out[top : top + h, left : left + w] = 0
        return out
    return image


def paste(source, pixels, background, rng):
    """The ``pixels`` (a bool mask) of ``source``, within their box, pasted
    at a random place of ``background``."""
    rows, cols = np.nonzero(pixels)
    top, left = rows.min(), cols.min()
    h, w = rows.max() + 1 - top, cols.max() + 1 - left
    side = background.shape[0]
    to_top, to_left = rng.integers(2, side - 1 - h), rng.integers(2, side - 1 - w)
    out = background.copy()
    region = out[to_top : to_top + h, to_left : to_left + w]
    patch = pixels[top : top + h, left : left + w]
    region[patch] = source[top : top + h, left : left + w][patch]
    return out


def located(score_map, how):
    """The pixels to paste: the box around the top pixels (``"box"``) or
    the box's pixels above the map's 98th percentile (``"pixels"``)."""
    rows, cols = top_pixels(score_map)
    side = score_map.shape[0]
    top, left = max(rows.min() - 2, 2), max(cols.min() - 2, 2)
    bottom, right = min(rows.max() + 3, side - 2), min(cols.max() + 3, side - 2)
    mask = np.zeros(score_map.shape, dtype=bool)
    mask[top:bottom, left:right] = True
    if how == "pixels":
        mask &= score_map > np.percentile(score_map, 98)
    return mask


def grow(strategy, X, y, masks, maps, rng):
    """The training part grown to the clean class's count in every defect
    class by ``strategy``."""
    clean = np.flatnonzero(y == 0)
    medians = {c: np.median(X[y == c], axis=0) for c in np.unique(y)}
    out_X, out_y = [X], [y]
    for c in np.unique(y)[1:]:
        sources = np.flatnonzero(y == c)
        for i in rng.choice(sources, len(clean) - len(sources)):
            image = X[i]
            if strategy == "copies":
                new = image
            elif strategy == "symmetry":
                new = RandomSymmetry()(image, rng)
            elif strategy == "erasing":
                new = erase(image, rng)
            elif strategy == "erasing, kept off the outliers":
                new = erase(image, rng, top_pixels(maps[i]))
            elif strategy == "erasing, kept off the class difference":
                difference = np.abs(image.astype(float) - medians[c])
                new = erase(image, rng, top_pixels(difference))
            elif strategy == "CutPaste":
                new = CutPaste()(image, rng)
            else:
                pixels = (
                    masks[i]
                    if strategy.endswith("true mask")
                    else located(maps[i], strategy.split(", ")[-1])
                )
                new = paste(image, pixels, X[rng.choice(clean)], rng)
            out_X.append(new[None])
            out_y.append([c])
    return np.concatenate(out_X), np.concatenate(out_y)


STRATEGIES = [
    "class weights",
    "copies",
    "symmetry",
    "erasing",
    "erasing, kept off the outliers",
    "erasing, kept off the class difference",
    "CutPaste",
    "paste on clean, box",
    "paste on clean, pixels",
    "paste on clean, true mask",
]


def locating(X, y, masks, maps):
    """Share of defect images whose top score map pixel, and whose pixel
    most unlike its class's median image, are on the defect."""
    hits = {"score map": [], "class difference": []}
    for c in np.unique(y)[1:]:
        median = np.median(X[y == c], axis=0)
        for i in np.flatnonzero(y == c):
            for name, values in (
                ("score map", maps[i]),
                ("class difference", np.abs(X[i] - median)),
            ):
                r, c_ = np.unravel_index(np.argmax(values), values.shape)
                hits[name].append(masks[i][r, c_])
    return {name: np.mean(v) for name, v in hits.items()}


def run_seed(seed, strategies=STRATEGIES):
    data = make_defects(1350, ratio=50, random_state=seed)
    train, test = train_test_split(
        np.arange(len(data.target)),
        test_size=0.4,
        stratify=data.target,
        random_state=seed,
    )
    X, y, masks = data.images[train], data.target[train], data.masks[train]
    locator = LocalOutlierFeatures(reference_class=0).fit(X, y)
    maps = locator.score_maps(X)
    scores = {}
    for strategy in strategies:
        rng = np.random.default_rng(seed)
        weight = "balanced" if strategy == "class weights" else None
        X_fit, y_fit = (X, y) if weight else grow(strategy, X, y, masks, maps, rng)
        model = make_pipeline(
            LocalOutlierFeatures(reference_class=0),
            StandardScaler(),
            LogisticRegression(max_iter=3000, class_weight=weight),
        ).fit(X_fit, y_fit)
        predicted = model.predict(data.images[test])
        scores[strategy] = balanced_accuracy_score(data.target[test], predicted)
    return scores, locating(X.astype(float), y, masks, maps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument(
        "--strategies",
        nargs="+",
        choices=STRATEGIES,
        default=STRATEGIES,
        help="class weights, the baseline, is always run",
    )
    args = parser.parse_args()
    strategies = ["class weights"] + [
        s for s in args.strategies if s != "class weights"
    ]
    start = time.perf_counter()
    results, hits = [], []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        scores, hit = run_seed(seed, strategies)
        results.append(scores)
        hits.append(hit)
        print(f"seed {seed}: {time.perf_counter() - start:.0f} s", flush=True)
    print(
        "\n| training images grown by | balanced accuracy | minus class weights "
        "| seeds higher | per seed |\n|---|---|---|---|---|"
    )
    baseline = np.array([r["class weights"] for r in results])
    for strategy in strategies:
        values = np.array([r[strategy] for r in results])
        gain = values - baseline
        print(
            f"| {strategy} | {values.mean():.3f} ± {values.std():.3f} | "
            f"{gain.mean():+.3f} ± {gain.std():.3f} | "
            f"{int((gain > 0).sum())} of {len(gain)} | "
            + ", ".join(f"{v:.3f}" for v in values)
            + " |"
        )
    print("\n| where a defect image's top pixel is | on the defect |\n|---|---|")
    for name in hits[0]:
        values = np.array([h[name] for h in hits])
        print(f"| {name} | {values.mean():.3f} ± {values.std():.3f} |")


if __name__ == "__main__":
    main()
