"""Quickstart: balance imbalanced digits and compare strategies.

Runs offline in a few seconds::

    python examples/quickstart.py
"""

import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from imgbalance import RandomImageOverSampler, RandomImageUnderSampler
from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.features import PixelFeatures

images, target = load_digits_images(return_X_y=True)
X, y = make_imbalance(images, target, kind="step", ratio=20, random_state=0)
print("class counts:", np.bincount(y).tolist())

X_res, y_res = RandomImageOverSampler(random_state=0).fit_resample(X, y)
print("after over-sampling:", X_res.shape, X_res.dtype, np.bincount(y_res).tolist())

pipeline = Pipeline(
    [
        ("sampler", RandomImageOverSampler(random_state=0)),
        ("features", PixelFeatures()),
        ("clf", LogisticRegression(max_iter=2000)),
    ]
)
search = GridSearchCV(
    pipeline,
    [
        {"sampler": ["passthrough"], "clf__class_weight": [None, "balanced"]},
        {
            "sampler": [
                RandomImageOverSampler(random_state=0),
                RandomImageUnderSampler(random_state=0),
            ]
        },
    ],
    scoring="balanced_accuracy",
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
)
search.fit(X, y)
for params, score in zip(
    search.cv_results_["params"], search.cv_results_["mean_test_score"]
):
    print(f"{score:.3f}  {params}")
print("best:", search.best_params_)
