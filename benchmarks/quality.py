"""Classification quality of every balancing strategy on imbalanced images,
and of the pipeline cross-validation would choose.

Four public datasets made imbalanced with the step protocol (half the
classes minority): scikit-learn's digits (8x8, 10 classes; imbalance ratio
10 and 50), imgbalance's shapes (``make_shapes``: 32x32 RGB, a circle,
rectangle, triangle or ellipse each, 200 per class; ratio 10 and 50),
scikit-image's faces (``lfw_subset``: 25x25, faces and non-faces; ratio 10)
and textures (32x32 tiles of scikit-image's brick, grass and gravel, 256 of
each; ratio 10 and 50); 5 seeds, each split stratified 60/40 into train and
test. Each row is a pipeline fitted on the train part and scored on the
test part: balanced accuracy, macro F1 and geometric mean (mean and
standard deviation over the seeds).

Features: pixels (scaled to [0, 1]); HOG (2x2-cell blocks of 2x2-pixel
cells on digits, as in ``imgbalance demo``, 4x4 on shapes and textures,
5x5 on faces); and, standardised, learned patch features
(``PatchDictionaryFeatures``: 64 atoms of 3x3 patches on digits, 5x5 on
shapes), Gabor energies (``GaborFeatures``: shapes, textures) and DAISY
descriptors (``DaisyFeatures``, radius 8, step 8, 2 rings of 6: shapes).
Classifiers: LogisticRegression and an RBF SVC.

Strategies: no resampling; class_weight="balanced"; imbalanced-learn's
RandomOverSampler and SMOTE on the feature vectors; imgbalance's
RandomImageOverSampler, RandomImageUnderSampler, AugmentingOverSampler
(its default affine jitter; elastic deformation with Simard's alpha 34 and
sigma 4 scaled to the image side over 28; random erasing; TrivialAugment;
and, on the make_defects scenarios only, RandomSymmetry, the eight
symmetries of the square: a surface has no up or left, a digit has)
and EmbeddingSMOTE (decode and interpolate), EmbeddingSMOTE followed by
EditedNearestNeighbours in its embedding (SMOTEENN on images),
EmbeddingUnderSampler with ClusterCentroids (the images nearest to k-means
centres), and DuplicateUnderSampler then RandomImageOverSampler, on the
images. EmbeddingSMOTE uses k_neighbors = 5 (a class with fewer images uses
one fewer than it has); imbalanced-learn's SMOTE, which does not adapt,
min(5, the smallest training class - 1).

Model selection (digits and shapes): for each seed, GridSearchCV over every
row's pipeline of that dataset and ratio, scored by balanced accuracy with
repeated stratified K-fold on the train part only (2 folds, 2 repeats: at
ratio 50 a minority class has 2 or 3 training images; a pipeline that
cannot fit a fold, such as SMOTE on a class left with one image, scores NaN
and is not chosen), refitted on the train part and scored on the test
part. The
second table puts its test score beside the best row in hindsight (the
row with the best mean test score), for every row and for the rows that
existed before the learned, Gabor and DAISY features and the elastic,
erasing, TrivialAugment and symmetry augmentations. Then the make_defects
scenarios (small, local evidence): benchmarks/_defect_scenarios.py.

Prints markdown tables (``--output FILE`` also writes them into FILE's
"strategies" section, and the make_defects ones into its "defects" section,
leaving the rest of FILE as it is: a run of only some scenarios replaces
only their section).

Run: ``python benchmarks/quality.py``.
"""

import argparse
import os
import platform
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import skimage.data
from _defect_scenarios import DEFECTS
from _quality_tables import defects_text, strategies_text
from _sections import write_section
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import ClusterCentroids, EditedNearestNeighbours
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import (
    GridSearchCV,
    RepeatedStratifiedKFold,
    train_test_split,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import imgbalance
from imgbalance.augment import (
    ElasticDeformation,
    RandomErasing,
    RandomSymmetry,
    TrivialAugment,
)
from imgbalance.datasets import load_digits_images, make_imbalance, make_shapes
from imgbalance.features import (
    DaisyFeatures,
    GaborFeatures,
    HOGFeatures,
    PatchDictionaryFeatures,
    PixelFeatures,
)
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


def hog(cell):
    return lambda seed: [
        HOGFeatures(pixels_per_cell=(cell, cell), cells_per_block=(2, 2))
    ]


def patches(size, stride):
    return lambda seed: [
        PatchDictionaryFeatures(
            n_atoms=64, patch_size=(size, size), stride=stride, random_state=seed
        ),
        StandardScaler(),
    ]


PIXELS = {"pixels": lambda seed: [PixelFeatures()]}
GABOR = {
    "Gabor": lambda seed: [
        GaborFeatures(frequencies=(0.2, 0.3, 0.4)),
        StandardScaler(),
    ]
}
DAISY = {
    "DAISY": lambda seed: [
        DaisyFeatures(radius=8, step=8, rings=2, histograms=6),
        StandardScaler(),
    ]
}


@dataclass
class Dataset:
    load: object
    ratios: tuple
    side: int  # image side, for the elastic deformation's scale
    features: dict = field(default_factory=dict)  # name -> seed -> steps
    select: bool = False  # the model-selection table

    def draw(self, ratio, seed):
        """The step protocol's imbalanced dataset of this seed."""
        images, target = self.load()
        return make_imbalance(
            images, target, kind="step", ratio=ratio, random_state=seed
        )

    def keep(self, features, strategy):
        # every row but the symmetries: a digit turned a quarter is another
        # digit or none; these tables predate RandomSymmetry
        return strategy != "AugmentingOverSampler (symmetry)"


DATASETS = {
    "digits": Dataset(
        lambda: load_digits_images(return_X_y=True),
        (10, 50),
        8,
        {**PIXELS, "HOG": hog(2), "patches": patches(3, 1)},
        select=True,
    ),
    "shapes": Dataset(
        lambda: make_shapes(200, random_state=0, return_X_y=True),
        (10, 50),
        32,
        {"HOG": hog(4), "patches": patches(5, 2), **GABOR, **DAISY},
        select=True,
    ),
    "faces": Dataset(load_faces, (10,), 25, {**PIXELS, "HOG": hog(5)}),
    "textures": Dataset(
        load_textures, (10, 50), 32, {**PIXELS, "HOG": hog(4), **GABOR}
    ),
}

CLASSIFIERS = {
    "LogisticRegression": lambda weight: LogisticRegression(
        max_iter=3000, class_weight=weight
    ),
    "SVC": lambda weight: SVC(class_weight=weight),
}


def strategies(seed, side, k):
    """name -> (image samplers, feature sampler or None, class_weight);
    ``k``: imbalanced-learn's SMOTE's neighbours (it does not adapt)."""
    scale = side / 28  # Simard's alpha 34 and sigma 4 were for 28x28 digits

    def augmenting(augmenter=None):
        return [AugmentingOverSampler(augmenter=augmenter, random_state=seed)]

    return {
        "none": ([], None, None),
        "class_weight='balanced'": ([], None, "balanced"),
        "imblearn RandomOverSampler": (
            [],
            RandomOverSampler(random_state=seed),
            None,
        ),
        "imblearn SMOTE": ([], SMOTE(k_neighbors=k, random_state=seed), None),
        "RandomImageOverSampler": (
            [RandomImageOverSampler(random_state=seed)],
            None,
            None,
        ),
        "RandomImageUnderSampler": (
            [RandomImageUnderSampler(random_state=seed)],
            None,
            None,
        ),
        "AugmentingOverSampler": (augmenting(), None, None),
        "AugmentingOverSampler (elastic)": (
            augmenting(ElasticDeformation(alpha=34 * scale, sigma=4 * scale)),
            None,
            None,
        ),
        "AugmentingOverSampler (erasing)": (augmenting(RandomErasing()), None, None),
        "AugmentingOverSampler (TrivialAugment)": (
            augmenting(TrivialAugment()),
            None,
            None,
        ),
        "AugmentingOverSampler (symmetry)": (
            augmenting(RandomSymmetry()),
            None,
            None,
        ),
        "EmbeddingSMOTE (decode)": (
            [EmbeddingSMOTE(random_state=seed)],
            None,
            None,
        ),
        "EmbeddingSMOTE (interpolate)": (
            [EmbeddingSMOTE(generation="interpolate", random_state=seed)],
            None,
            None,
        ),
        "EmbeddingSMOTE + ENN (SMOTEENN)": (
            [
                EmbeddingSMOTE(
                    cleaner=EditedNearestNeighbours(sampling_strategy="all"),
                    random_state=seed,
                )
            ],
            None,
            None,
        ),
        "EmbeddingUnderSampler (ClusterCentroids)": (
            [EmbeddingUnderSampler(ClusterCentroids(voting="hard"), random_state=seed)],
            None,
            None,
        ),
        "DuplicateUnderSampler + RandomImageOverSampler": (
            [DuplicateUnderSampler(), RandomImageOverSampler(random_state=seed)],
            None,
            None,
        ),
    }


def scenario(name):
    return DATASETS[name] if name in DATASETS else DEFECTS[name]


def pipelines(dataset, seed, y_train):
    """(features, classifier, strategy) -> an unfitted pipeline."""
    spec = scenario(dataset)
    k = int(min(5, np.bincount(y_train).min() - 1))
    out = {}
    for feature_name, make_features in spec.features.items():
        for clf_name, make_clf in CLASSIFIERS.items():
            for name, (samplers, feature_sampler, weight) in strategies(
                seed, spec.side, k
            ).items():
                if not spec.keep(feature_name, name):
                    continue
                steps = [*samplers, *make_features(seed), feature_sampler]
                steps = [step for step in steps if step is not None]
                out[(feature_name, clf_name, name)] = make_pipeline(
                    *steps, make_clf(weight)
                )
    return out


def scores_of(y_test, y_pred):
    return (
        balanced_accuracy_score(y_test, y_pred),
        f1_score(y_test, y_pred, average="macro"),
        geometric_mean_score(y_test, y_pred),
    )


def select(models, X_train, y_train, X_test, y_test, seed, n_jobs):
    """GridSearchCV over the rows' pipelines: mean CV balanced accuracy of
    each row (NaN where a fold cannot be fitted), and the test scores of the
    refitted choice."""
    keys = list(models)
    search = GridSearchCV(
        Pipeline([("model", models[keys[0]])]),
        {"model": [models[key] for key in keys]},
        scoring="balanced_accuracy",
        cv=RepeatedStratifiedKFold(n_splits=2, n_repeats=2, random_state=seed),
        error_score=np.nan,
        n_jobs=n_jobs,
    )
    search.fit(X_train, y_train)
    cv = dict(zip(keys, search.cv_results_["mean_test_score"]))
    chosen = keys[search.best_index_]
    return cv, chosen, scores_of(y_test, search.predict(X_test))


def evaluate(dataset, ratio, seeds, n_jobs):
    """Per row the test scores over the seeds; per seed the CV scores."""
    spec = scenario(dataset)
    rows, selections = {}, []
    for seed in seeds:
        X, y = spec.draw(ratio, seed)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.4, stratify=y, random_state=seed
        )
        models = pipelines(dataset, seed, y_train)
        test = {}
        for key, model in models.items():
            model.fit(X_train, y_train)
            test[key] = scores_of(y_test, model.predict(X_test))
            rows.setdefault(key, []).append(test[key])
        if spec.select:
            cv, chosen, scores = select(
                models, X_train, y_train, X_test, y_test, seed, n_jobs
            )
            # the refitted choice is the row's own pipeline, fitted alike
            assert np.allclose(scores, test[chosen]), (dataset, ratio, seed, chosen)
            selections.append((cv, test))
    return rows, selections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--datasets", nargs="*", choices=list(DATASETS), default=list(DATASETS)
    )
    parser.add_argument(
        "--defects",
        nargs="*",
        choices=list(DEFECTS),
        default=list(DEFECTS),
        help="the make_defects scenarios (none: --defects alone)",
    )
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--jobs", type=int, default=2, help="processes of the grid searches"
    )
    parser.add_argument("--output", help="also write the markdown tables here")
    args = parser.parse_args()
    start = time.perf_counter()
    seeds = range(args.seeds)
    with warnings.catch_warnings():
        # tiny classes: k shrinks (said in the header), metrics warn on
        # classes never predicted, folds too small for a sampler
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", FitFailedWarning)  # NaN, said above
        results = {}
        for dataset in args.datasets + args.defects:
            for ratio in scenario(dataset).ratios:
                results[(dataset, ratio)] = evaluate(dataset, ratio, seeds, args.jobs)
                print(
                    f"{dataset} {ratio}: {time.perf_counter() - start:.0f} s",
                    flush=True,
                )
    elapsed = time.perf_counter() - start
    machine = (
        f"imgbalance {imgbalance.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{elapsed:.0f} s."
    )
    steps = {name: value for name, value in results.items() if name[0] in DATASETS}
    defects = {name: value for name, value in results.items() if name[0] in DEFECTS}
    # each its own section of --output: a run of some scenarios keeps the rest
    for section, text in (
        ("strategies", strategies_text(steps, args.seeds, machine)),
        ("defects", defects_text(defects, args.seeds, machine)),
    ):
        if not text:
            continue
        print(text)
        if args.output:  # compare_quality.py writes other sections
            write_section(args.output, section, text)


if __name__ == "__main__":
    main()
