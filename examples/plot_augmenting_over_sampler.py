"""
Augmented minority images beside their source
==============================================

:class:`~imgbalance.over_sampling.AugmentingOverSampler` keeps every image
and adds augmented variants of the images of the classes to grow. Each
variant is rendered from its own seed, and ``sample_indices_`` tells which
image it came from, ``augmentations_`` what was applied.
"""

import matplotlib.pyplot as plt
import numpy as np
from skimage import data
from skimage.transform import resize

from imgbalance.augment import ColorJitter, Compose, RandomFlip, RandomRotation
from imgbalance.over_sampling import AugmentingOverSampler


def small(image):
    return (resize(image, (96, 96), anti_aliasing=True) * 255).astype(np.uint8)


# a toy dataset: 12 "majority" images and 3 minority photographs
rng = np.random.default_rng(0)
majority = [rng.integers(0, 256, (96, 96, 3), dtype=np.uint8) for _ in range(12)]
minority = [small(data.chelsea()), small(data.coffee()), small(data.astronaut())]
X = np.stack(majority + minority)
y = np.array([0] * 12 + [1] * 3)

sampler = AugmentingOverSampler(
    augmenter=Compose(
        [RandomRotation(25), RandomFlip(), ColorJitter(brightness=0.3, contrast=0.3)]
    ),
    random_state=0,
)
X_res, y_res = sampler.fit_resample(X, y)
print(f"{X.shape} -> {X_res.shape}; class counts {np.bincount(y_res).tolist()}")

synthetic = np.arange(len(X), len(X_res))
sources = sampler.sample_indices_[synthetic]
fig, axes = plt.subplots(3, 4, figsize=(8, 6.2))
for row, source in enumerate(range(12, 15)):
    axes[row, 0].imshow(X[source])
    axes[row, 0].set_title("source")
    variants = synthetic[sources == source][:3]
    for col, k in enumerate(variants, start=1):
        axes[row, col].imshow(X_res[k])
        degrees = sampler.augmentations_[k - len(X)][0]["angle"]
        axes[row, col].set_title(f"rotated {degrees:+.0f} deg")
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()
plt.show()
