"""
Choosing a strategy with a grid search
======================================

Samplers are steps of an imbalanced-learn :class:`~imblearn.pipeline.Pipeline`,
so :class:`~sklearn.model_selection.GridSearchCV` can compare them, and the
classifier's ``class_weight``, under cross-validation with a balanced
metric. The sampler runs on the training folds only: the scores come from
untouched images.
"""

import matplotlib.pyplot as plt
import numpy as np
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.features import PixelFeatures
from imgbalance.over_sampling import (
    AugmentingOverSampler,
    EmbeddingSMOTE,
    RandomImageOverSampler,
)
from imgbalance.under_sampling import RandomImageUnderSampler

images, target = load_digits_images(return_X_y=True)
X, y = make_imbalance(images, target, kind="step", ratio=10, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)

strategies = {
    "none": ("passthrough", None),
    "class_weight": ("passthrough", "balanced"),
    "random over": (RandomImageOverSampler(random_state=0), None),
    "random under": (RandomImageUnderSampler(random_state=0), None),
    "augmenting": (AugmentingOverSampler(random_state=0), None),
    "EmbeddingSMOTE": (EmbeddingSMOTE(random_state=0), None),
}
pipeline = Pipeline(
    [
        ("sampler", "passthrough"),
        ("features", PixelFeatures()),
        ("clf", LogisticRegression(max_iter=2000)),
    ]
)
search = GridSearchCV(
    pipeline,
    [
        {"sampler": [sampler], "clf__class_weight": [weight]}
        for sampler, weight in strategies.values()
    ],
    scoring="balanced_accuracy",
    cv=StratifiedKFold(n_splits=3, shuffle=True, random_state=0),
)
search.fit(X_train, y_train)

cv_scores = search.cv_results_["mean_test_score"]
test_scores = []
for sampler, weight in strategies.values():
    model = pipeline.set_params(sampler=sampler, clf__class_weight=weight)
    model.fit(X_train, y_train)
    test_scores.append(balanced_accuracy_score(y_test, model.predict(X_test)))
for name, cv, test in zip(strategies, cv_scores, test_scores):
    print(f"{name:<15} cv {cv:.3f}   held out {test:.3f}")
print(f"chosen by cross-validation: {list(strategies)[search.best_index_]}")

positions = np.arange(len(strategies))
fig, ax = plt.subplots(figsize=(8, 3.5))
ax.bar(positions - 0.2, cv_scores, width=0.4, label="cross-validation")
ax.bar(positions + 0.2, test_scores, width=0.4, label="held-out test")
ax.set_xticks(positions, list(strategies), rotation=20)
ax.set_ylim(0.5, 1)
ax.set_ylabel("balanced accuracy")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()
