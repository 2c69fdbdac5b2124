"""
Elastic, erasing and TrivialAugment variants of the same images
===============================================================

Three augmentations for classes with a handful of images:
:class:`~imgbalance.augment.ElasticDeformation` (the smooth random
displacement of Simard et al., 2003, here with its digits settings scaled to
the image), :class:`~imgbalance.augment.RandomErasing` (a rectangle blanked
out) and :class:`~imgbalance.augment.TrivialAugment` (one operation per
image at a random strength, nothing to tune). Each row is one image, each
column a seed.
"""

import matplotlib.pyplot as plt
import numpy as np
from skimage import data
from skimage.transform import resize

from imgbalance.augment import ElasticDeformation, RandomErasing, TrivialAugment


def small(image):
    return (resize(image, (96, 96), anti_aliasing=True) * 255).astype(np.uint8)


images = [small(data.chelsea()), small(data.coffee()), small(data.astronaut())]
augmenters = {
    # alpha and sigma are in pixels: 34 and 4 on 28-pixel digits, scaled here
    "elastic": ElasticDeformation(alpha=34 * 96 / 28, sigma=4 * 96 / 28),
    "erasing": RandomErasing(p=1.0, value="random"),
    "TrivialAugment": TrivialAugment(),
}

fig, axes = plt.subplots(len(images), 1 + 3 * len(augmenters), figsize=(13, 3.4))
for row, image in enumerate(images):
    axes[row, 0].imshow(image)
    axes[row, 0].set_title("source", fontsize=8)
    col = 1
    for name, augmenter in augmenters.items():
        for seed in range(3):
            out, records = augmenter.augment(image, rng=seed)
            axes[row, col].imshow(out)
            title = name
            if name == "TrivialAugment":
                title = f"{records[0]['operation']} {records[0]['magnitude']:.2f}"
            axes[row, col].set_title(title, fontsize=8)
            col += 1
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()
plt.show()
