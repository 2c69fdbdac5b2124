"""
Looking at the class distribution
=================================

The first step with any dataset: count the images of each class. Here
scikit-learn's digits (balanced, about 180 images a class) are made
imbalanced with the two protocols of Buda, Maki & Mazurowski (2018) that
:func:`~imgbalance.datasets.make_imbalance` implements: *step* (half the
classes cut to a tenth) and *linear* (counts falling evenly from the largest
class to a tenth of it). The imbalance ratio is the largest class over the
smallest.
"""

import matplotlib.pyplot as plt
import numpy as np

from imgbalance.datasets import load_digits_images, make_imbalance

images, target = load_digits_images(return_X_y=True)
datasets = {"original": target}
for kind in ("step", "linear"):
    _, y = make_imbalance(images, target, kind=kind, ratio=10, random_state=0)
    datasets[f"{kind}, ratio 10"] = y

fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), sharey=True)
for ax, (name, y) in zip(axes, datasets.items()):
    counts = np.bincount(y, minlength=10)
    ax.bar(range(10), counts, color="tab:blue")
    ax.set_xticks(range(10))
    ax.set_xlabel("class")
    ax.set_title(f"{name}\nimbalance ratio {counts.max() / counts.min():.1f}")
    print(f"{name:<18} counts {counts.tolist()}")
axes[0].set_ylabel("images")
fig.tight_layout()
plt.show()
