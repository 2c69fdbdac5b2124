"""
Class weights
=============

The algorithm-level remedy: weigh each class in the loss.
:func:`~imgbalance.class_weight.class_weights` gives scikit-learn's
``"balanced"`` weights (inverse frequency), the effective number of samples
of Cui et al. (2019), whose ``beta`` moves from no re-weighting (0) towards
inverse frequency (1), and the milder inverse square root. Here the weights
of each method on imbalanced digits, and what each does for a logistic
regression.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import train_test_split

from imgbalance.class_weight import class_weights
from imgbalance.datasets import load_digits_images, make_imbalance

images, target = load_digits_images(return_X_y=True)
X, y = make_imbalance(images, target, kind="linear", ratio=20, random_state=0)
X = X.reshape(len(X), -1) / 255
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
methods = {
    "none": {"method": "none"},
    "inverse sqrt": {"method": "inverse_sqrt"},
    "effective number (0.99)": {"method": "effective_number", "beta": 0.99},
    "balanced": {"method": "balanced"},
}
counts = np.bincount(y_train)
print(f"training counts: {counts.tolist()}")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
width = 0.2
for i, (name, options) in enumerate(methods.items()):
    weights = class_weights(y_train, **options)
    left.bar(
        np.arange(10) + (i - 1.5) * width, list(weights.values()), width, label=name
    )
    model = LogisticRegression(max_iter=3000, class_weight=weights)
    model.fit(X_train, y_train)
    score = balanced_accuracy_score(y_test, model.predict(X_test))
    right.barh(name, score, color=f"C{i}")
    print(f"{name:<24} held-out balanced accuracy {score:.3f}")
left.set_xticks(range(10), [f"{c}\n({n})" for c, n in enumerate(counts)])
left.set_xlabel("class (training images)")
left.set_ylabel("weight")
left.legend(fontsize=8)
right.set_xlim(0.5, 1)
right.set_xlabel("held-out balanced accuracy")
fig.tight_layout()
plt.show()
