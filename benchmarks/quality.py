"""Classification quality of every balancing strategy on imbalanced images.

Three public datasets made imbalanced with the step protocol (half the
classes minority): scikit-learn's digits (8x8, 10 classes; imbalance ratio
10 and 50), scikit-image's faces (``lfw_subset``: 25x25, faces and
non-faces; ratio 10) and textures (32x32 tiles of scikit-image's brick,
grass and gravel, 256 of each; ratio 10 and 50); 5 seeds, each split
stratified 60/40 into train and test. Each strategy is a pipeline fitted on the train
part and scored on the test part: balanced accuracy, macro F1 and geometric
mean (mean and standard deviation over the seeds), with pixel features
(scaled to [0, 1]) or HOG features (2x2-cell blocks of 2x2-pixel cells on
digits, as in ``imgbalance demo``, 5x5 on faces, 4x4 on textures), and
LogisticRegression or an RBF SVC. At ratio 50 a minority class of digits
has 3 images (2 to train, 1 to test), so one mistake on it makes its
recall, and the G-mean, 0.

Strategies: no resampling; class_weight="balanced"; imbalanced-learn's
RandomOverSampler and SMOTE on the feature vectors; imgbalance's
RandomImageOverSampler, RandomImageUnderSampler, AugmentingOverSampler and
EmbeddingSMOTE (decode and interpolate), EmbeddingSMOTE followed by
EditedNearestNeighbours in its embedding (SMOTEENN on images),
EmbeddingUnderSampler with ClusterCentroids (the images nearest to k-means
centres), and DuplicateUnderSampler then RandomImageOverSampler, on the
images. The SMOTE variants use k_neighbors = min(5, the smallest training
class - 1), the same for all.

Prints a markdown table (``--output FILE`` also writes it there).

Run: ``python benchmarks/quality.py``.
"""

import argparse
import os
import platform
import time
import warnings

import numpy as np
from imblearn.metrics import geometric_mean_score
import skimage.data
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import ClusterCentroids, EditedNearestNeighbours
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

import imgbalance
from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.features import HOGFeatures, PixelFeatures
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import (
    DuplicateUnderSampler,
    EmbeddingUnderSampler,
    RandomImageUnderSampler,
)


def load_faces():
    """scikit-image's lfw_subset: 100 faces (0), 100 non-faces (1)."""
    images = (skimage.data.lfw_subset() * 255).round().astype(np.uint8)
    return images, np.repeat([0, 1], 100)


def load_textures(size=32):
    """Tiles of scikit-image's brick (0), grass (1) and gravel (2)."""
    images, target = [], []
    for label, name in enumerate(["brick", "grass", "gravel"]):
        image = getattr(skimage.data, name)()
        tiles = image.reshape(512 // size, size, 512 // size, size).swapaxes(1, 2)
        images.append(tiles.reshape(-1, size, size))
        target += [label] * len(images[-1])
    return np.concatenate(images), np.array(target)


# name -> (loader, imbalance ratios, HOG cell size)
DATASETS = {
    "digits": (lambda: load_digits_images(return_X_y=True), (10, 50), 2),
    "faces": (load_faces, (10,), 5),
    "textures": (load_textures, (10, 50), 4),
}


def features(cell):
    return {
        "pixels": lambda: PixelFeatures(),
        "HOG": lambda: HOGFeatures(
            pixels_per_cell=(cell, cell), cells_per_block=(2, 2)
        ),
    }


CLASSIFIERS = {
    "LogisticRegression": lambda weight: LogisticRegression(
        max_iter=3000, class_weight=weight
    ),
    "SVC": lambda weight: SVC(class_weight=weight),
}


def strategies(seed, k):
    """name -> (image sampler or None, feature sampler or None, class_weight)."""
    return {
        "none": (None, None, None),
        "class_weight='balanced'": (None, None, "balanced"),
        "imblearn RandomOverSampler": (
            None,
            RandomOverSampler(random_state=seed),
            None,
        ),
        "imblearn SMOTE": (None, SMOTE(k_neighbors=k, random_state=seed), None),
        "RandomImageOverSampler": (
            RandomImageOverSampler(random_state=seed),
            None,
            None,
        ),
        "RandomImageUnderSampler": (
            RandomImageUnderSampler(random_state=seed),
            None,
            None,
        ),
        "AugmentingOverSampler": (AugmentingOverSampler(random_state=seed), None, None),
        "EmbeddingSMOTE (decode)": (
            EmbeddingSMOTE(k_neighbors=k, random_state=seed),
            None,
            None,
        ),
        "EmbeddingSMOTE (interpolate)": (
            EmbeddingSMOTE(generation="interpolate", k_neighbors=k, random_state=seed),
            None,
            None,
        ),
        "EmbeddingSMOTE + ENN (SMOTEENN)": (
            EmbeddingSMOTE(
                k_neighbors=k,
                cleaner=EditedNearestNeighbours(sampling_strategy="all"),
                random_state=seed,
            ),
            None,
            None,
        ),
        "EmbeddingUnderSampler (ClusterCentroids)": (
            EmbeddingUnderSampler(ClusterCentroids(voting="hard"), random_state=seed),
            None,
            None,
        ),
        "DuplicateUnderSampler + RandomImageOverSampler": (
            [DuplicateUnderSampler(), RandomImageOverSampler(random_state=seed)],
            None,
            None,
        ),
    }


def evaluate(dataset, ratio, seeds):
    """scores[(features, classifier, strategy)] -> list of (bacc, f1, gmean)."""
    load, _, cell = DATASETS[dataset]
    images, target = load()
    scores = {}
    for seed in seeds:
        X, y = make_imbalance(
            images, target, kind="step", ratio=ratio, random_state=seed
        )
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.4, stratify=y, random_state=seed
        )
        k = int(min(5, np.bincount(y_train).min() - 1))
        for feature_name, make_features in features(cell).items():
            for clf_name, make_clf in CLASSIFIERS.items():
                for name, (image_sampler, feature_sampler, weight) in strategies(
                    seed, k
                ).items():
                    samplers = (
                        image_sampler
                        if isinstance(image_sampler, list)
                        else [image_sampler]
                    )
                    steps = [*samplers, make_features(), feature_sampler]
                    steps = [step for step in steps if step is not None]
                    model = make_pipeline(*steps, make_clf(weight))
                    model.fit(X_train, y_train)
                    y_pred = model.predict(X_test)
                    scores.setdefault((feature_name, clf_name, name), []).append(
                        (
                            balanced_accuracy_score(y_test, y_pred),
                            f1_score(y_test, y_pred, average="macro"),
                            geometric_mean_score(y_test, y_pred),
                        )
                    )
    return scores


def table(results, n_seeds):
    lines = [
        "| dataset | ratio | features | classifier | strategy | balanced accuracy "
        "| macro F1 | G-mean |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, ratio), scores in results.items():
        for (features, clf, name), values in scores.items():
            values = np.array(values)
            cells = [
                f"{m:.3f} ± {s:.3f}"
                for m, s in zip(values.mean(axis=0), values.std(axis=0))
            ]
            lines.append(
                f"| {dataset} | {ratio:g} | {features} | {clf} | {name} | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", nargs="+", choices=list(DATASETS), default=list(DATASETS)
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--output", help="also write the markdown table here")
    args = parser.parse_args()
    start = time.perf_counter()
    seeds = range(args.seeds)
    with warnings.catch_warnings():
        # tiny classes: k shrinks (said in the header), metrics warn on
        # classes never predicted
        warnings.simplefilter("ignore", UserWarning)
        results = {
            (dataset, ratio): evaluate(dataset, ratio, seeds)
            for dataset in args.datasets
            for ratio in DATASETS[dataset][1]
        }
    header = (
        "Digits (ratios 10, 50), faces (10) and textures (10, 50), step "
        f"imbalance, half the classes minority, {args.seeds} seeds, "
        "stratified 60/40 split; mean ± std over the seeds. imgbalance "
        f"{imgbalance.__version__}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {time.perf_counter() - start:.0f} s. "
        "HOG: 2x2-cell blocks of 2x2 (digits), 5x5 (faces), 4x4 (textures) "
        "pixel cells. SMOTE variants: k_neighbors = min(5, smallest training "
        "class - 1). At ratio 50 each minority class of digits has 1 test "
        "image: one mistake on it makes the G-mean 0."
    )
    text = header + "\n\n" + table(results, args.seeds) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as file:
            file.write(text)


if __name__ == "__main__":
    main()
