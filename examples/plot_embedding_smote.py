"""
Synthetic images from SMOTE in an embedding
===========================================

:class:`~imgbalance.over_sampling.EmbeddingSMOTE` finds each minority image's
neighbours in an embedding (PCA by default), makes SMOTE's synthetic points
there, and returns images: ``generation="decode"`` maps the synthetic points
back to pixels with the embedder's ``inverse_transform``,
``generation="interpolate"`` blends the two parents' pixels with the same
gap. ``sample_indices_``, ``neighbor_indices_`` and ``gaps_`` name the
parents of every synthetic image.
"""

import matplotlib.pyplot as plt
import numpy as np

from imgbalance.datasets import load_digits_images
from imgbalance.over_sampling import EmbeddingSMOTE

images, target = load_digits_images(return_X_y=True)
# class 0 as the minority: 15 images against 150 of class 1
X = np.concatenate([images[target == 0][:15], images[target == 1][:150]])
y = np.array([0] * 15 + [1] * 150)

rows = []
for generation in ("decode", "interpolate"):
    sampler = EmbeddingSMOTE(generation=generation, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    for k in range(3):
        source = sampler.sample_indices_[n + k]
        neighbor = sampler.neighbor_indices_[k]
        gap = sampler.gaps_[k]
        rows.append((generation, X[source], X_res[n + k], X[neighbor], gap))
print(f"class counts after EmbeddingSMOTE: {np.bincount(y_res).tolist()}")
print(f"embedding: {sampler.embedder_}")

fig, axes = plt.subplots(len(rows), 3, figsize=(5, 10))
for (generation, source, synthetic, neighbor, gap), ax_row in zip(rows, axes):
    for ax, image, title in zip(
        ax_row,
        (source, synthetic, neighbor),
        ("source", f"{generation}\ngap {gap:.2f}", "neighbour"),
    ):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(title, fontsize=9)
        ax.axis("off")
fig.tight_layout()
plt.show()
