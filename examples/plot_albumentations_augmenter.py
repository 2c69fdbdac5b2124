"""
Your own augmentation pipeline (albumentations) as the augmenter
================================================================

Users who already have an augmentation pipeline keep it:
:class:`~imgbalance.augment.FunctionAugmenter` makes any callable
image -> image a seeded augmenter for
:class:`~imgbalance.over_sampling.AugmentingOverSampler`. Each variant is
made under its own seed from the sampler's plan, so the same
``random_state`` gives the same images with one job or several. Here an
albumentations pipeline (``pip install albumentations``) grows the
minority classes of imbalanced digits.
"""

import albumentations as A
import matplotlib.pyplot as plt
import numpy as np

from imgbalance.augment import FunctionAugmenter
from imgbalance.datasets import load_digits_images, make_imbalance
from imgbalance.over_sampling import AugmentingOverSampler

X, y = make_imbalance(*load_digits_images(return_X_y=True), ratio=10, random_state=0)
pipeline = A.Compose(
    [
        A.Affine(rotate=(-15, 15), scale=(0.9, 1.1), p=1.0),
        A.GaussNoise(std_range=(0.02, 0.06), p=0.5),
    ]
)
sampler = AugmentingOverSampler(
    augmenter=FunctionAugmenter(pipeline), random_state=0, n_jobs=2
)
X_res, y_res = sampler.fit_resample(X, y)
print(f"{X.shape} -> {X_res.shape}; class counts {np.bincount(y_res).tolist()}")

# the same pixels with one job
X_one, _ = AugmentingOverSampler(
    augmenter=FunctionAugmenter(pipeline), random_state=0, n_jobs=1
).fit_resample(X, y)
print("n_jobs=1 and n_jobs=2 give the same images:", np.array_equal(X_res, X_one))

n = len(X)
sources = sampler.sample_indices_[n:]
fig, axes = plt.subplots(3, 5, figsize=(7, 4.4))
for row, source in enumerate(np.unique(sources)[:3]):
    axes[row, 0].imshow(X[source], cmap="gray")
    axes[row, 0].set_title(f"source ({y[source]})")
    variants = n + np.flatnonzero(sources == source)[:4]
    for col, k in enumerate(variants, start=1):
        axes[row, col].imshow(X_res[k], cmap="gray")
        axes[row, col].set_title(
            f"seed {sampler.augmentations_[k - n][0]['seed'] % 1000}"
        )
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()
plt.show()
