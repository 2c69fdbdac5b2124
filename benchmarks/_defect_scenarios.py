"""The make_defects scenarios of quality.py: a rare class whose evidence is
small and local (a scratch, a spot, a crack, a missing patch on a textured
surface), its variants and the variants kept aside.

Every scenario draws ``make_defects(1350, ratio=50, random_state=seed)``
with its own parameters: 1350 clean images and 27 of each defect class, 16
of them in the 60/40 split's training part. The rows: the imbalanced-learn
/ scikit-learn anchors (pixels or HOG, equal to scikit-image's; LR or SVC;
no resampling, class_weight="balanced", RandomOverSampler or SMOTE) and the
same strategies on imgbalance's local features; on some of those, image
samplers as well (``IMAGE_ROWS``).

"defects" and its variants "low contrast" and "small" were looked at while
the features and the dataset were made; "held-out surfaces" (photographs
the others never use) and "held-out sizes" (48 px images, other grain,
extents and contrasts, three defect kinds) were fixed before any of them
was run, and run only for the final table.
"""

from dataclasses import dataclass, field

import numpy as np
from sklearn.preprocessing import StandardScaler

from imgbalance.datasets import make_defects
from imgbalance.features import (
    GaborFeatures,
    HOGFeatures,
    LBPFeatures,
    LocalContrastFeatures,
    LocalOutlierFeatures,
    PatchDictionaryFeatures,
    PixelFeatures,
)

__all__ = ["DEFECTS", "defect_table"]

N_CLEAN = 1350
ANCHOR_FEATURES = {"pixels", "HOG"}
ANCHOR_STRATEGIES = {
    "none",
    "class_weight='balanced'",
    "imblearn RandomOverSampler",
    "imblearn SMOTE",
}


def _scaled(make):
    return lambda seed: [make(seed), StandardScaler()]


FEATURES = {
    "pixels": lambda seed: [PixelFeatures()],
    "HOG": lambda seed: [HOGFeatures(pixels_per_cell=(4, 4), cells_per_block=(2, 2))],
    # the texture learnt from the clean class (label 0)
    "local outliers": _scaled(lambda seed: LocalOutlierFeatures(reference_class=0)),
    "local contrast": _scaled(lambda seed: LocalContrastFeatures()),
    "Gabor (max)": _scaled(
        lambda seed: GaborFeatures(
            frequencies=(0.2, 0.3, 0.4), pool=("mean", "std", "max", "top_k")
        )
    ),
    "LBP (max)": _scaled(
        lambda seed: LBPFeatures(grid=(8, 8), pool=("mean", "max", "top_k"), top_k=4)
    ),
    "patches (max)": _scaled(
        lambda seed: PatchDictionaryFeatures(
            n_atoms=64,
            patch_size=(5, 5),
            pooling=(1, 1),
            pool=("mean", "max", "top_k"),
            random_state=seed,
        )
    ),
}
VARIANT_FEATURES = ["pixels", "HOG", "local outliers", "Gabor (max)"]
SYMMETRY = "AugmentingOverSampler (symmetry)"


@dataclass
class DefectScenario:
    kwargs: dict
    feature_names: list
    image_rows: dict = field(default_factory=dict)  # feature -> image samplers
    held_out: bool = False
    ratios: tuple = (50,)
    select: bool = False

    @property
    def side(self):
        return self.kwargs.get("image_size", 32)

    @property
    def features(self):  # name -> seed -> steps, as quality.py's datasets
        return {name: FEATURES[name] for name in self.feature_names}

    def draw(self, ratio, seed):
        return make_defects(
            N_CLEAN, ratio=ratio, random_state=seed, return_X_y=True, **self.kwargs
        )

    def keep(self, features, strategy):
        return strategy in ANCHOR_STRATEGIES or strategy in self.image_rows.get(
            features, ()
        )


DEFECTS = {
    "defects": DefectScenario(
        {},
        list(FEATURES),
        {
            "local outliers": {
                "RandomImageOverSampler",
                "AugmentingOverSampler",
                SYMMETRY,
                "AugmentingOverSampler (erasing)",
            },
            "Gabor (max)": {SYMMETRY},
            "patches (max)": {SYMMETRY},
        },
    ),
    "defects, low contrast": DefectScenario(
        {"contrast": (1.0, 2.0)}, VARIANT_FEATURES, {"local outliers": {SYMMETRY}}
    ),
    "defects, small": DefectScenario(
        {"defect_size": (3, 6)}, VARIANT_FEATURES, {"local outliers": {SYMMETRY}}
    ),
    "defects, held-out surfaces": DefectScenario(
        {"surfaces": ("camera", "coins", "coffee", "chelsea", "astronaut", "rocket")},
        VARIANT_FEATURES,
        {"local outliers": {SYMMETRY}},
        held_out=True,
    ),
    "defects, held-out sizes": DefectScenario(
        {
            "image_size": 48,
            "scale": (0.4, 0.8),
            "defect_size": (5, 18),
            "contrast": (1.5, 3.5),
            "defects": ("crack", "spot", "missing"),
        },
        VARIANT_FEATURES,
        {"local outliers": {SYMMETRY}},
        held_out=True,
    ),
}


def is_anchor(key):
    features, _, strategy = key
    return features in ANCHOR_FEATURES and strategy in ANCHOR_STRATEGIES


NOTE = (
    "Small, local evidence: make_defects (1350 clean 32x32 crops of brick, "
    "grass, gravel and moon, 27 of each defect class: scratch, spot, crack, "
    "missing patch; 16 of each in training), its variants and the variants "
    "kept aside while the features were made (benchmarks/_defect_scenarios.py"
    "). Per scenario, the best imgbalance pipeline and the best "
    "imbalanced-learn / scikit-learn anchor (pixels or HOG; LogisticRegression "
    "or SVC; none, class_weight='balanced', RandomOverSampler or SMOTE), by "
    "mean balanced accuracy over the seeds; every row is in the table below."
)


def defect_table(results, mean_std):
    """Per defect scenario: the best imgbalance row and the best anchor row
    (by mean balanced accuracy over the seeds), with their scores; "" when
    no defect scenario ran."""
    if not any(name in DEFECTS for name, _ in results):
        return ""
    lines = [
        "| scenario | kept aside | best imgbalance pipeline | balanced accuracy "
        "| macro F1 | best anchor (imbalanced-learn / scikit-learn) "
        "| balanced accuracy | macro F1 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (name, ratio), (rows, _) in results.items():
        if name not in DEFECTS:
            continue
        cells = []
        for anchor in (False, True):
            keys = [key for key in rows if is_anchor(key) == anchor]
            best = max(keys, key=lambda key: np.mean([v[0] for v in rows[key]]))
            values = np.array(rows[best])
            cells += [" / ".join(best), mean_std(values[:, 0]), mean_std(values[:, 1])]
        held_out = "yes" if DEFECTS[name].held_out else "no"
        lines.append(
            f"| {name} (ratio {ratio:g}) | {held_out} | " + " | ".join(cells) + " |"
        )
    return "\n\n" + NOTE + "\n\n" + "\n".join(lines)
