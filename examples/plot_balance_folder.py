"""
Balancing a folder of images
============================

``imgbalance balance SRC DST`` (or :func:`~imgbalance.folder.balance_folder`)
writes a balanced copy of a folder-per-class dataset: the originals, the
generated images named after their source, and a manifest. Here a small
dataset of digits is written to a temporary folder, inspected, balanced
with augmentation, and a few generated files are shown beside their
sources.
"""

import csv
import os
import shutil
import tempfile

import matplotlib.pyplot as plt
from PIL import Image

from imgbalance.datasets import load_digits_images
from imgbalance.folder import balance_folder, inspect_folder

work = tempfile.mkdtemp()
src, dst = os.path.join(work, "digits"), os.path.join(work, "digits-balanced")
images, target = load_digits_images(return_X_y=True)
for digit, count in [(0, 40), (1, 6), (2, 3)]:
    os.makedirs(os.path.join(src, f"digit {digit}"))
    for i, image in enumerate(images[target == digit][:count]):
        # 8x8 digits scaled up, so the augmentation has pixels to work with
        big = Image.fromarray(image).resize((32, 32), Image.Resampling.NEAREST)
        big.save(os.path.join(src, f"digit {digit}", f"{i:02d}.png"))

report = inspect_folder(src)
print(f"imbalance ratio {report['imbalance_ratio']:.1f}")
summary = balance_folder(src, dst, method="augment", seed=0)
for c in summary["classes"]:
    print(f"{c['name']}: {c['before']} -> {c['after']}")
with open(os.path.join(dst, "manifest.csv"), newline="") as file:
    rows = [row for row in csv.DictReader(file) if row["method"] == "augment"]
first = rows[0]
print(f"{summary['written']} files written; the manifest says {first['output']!r}")
print(f"  came from {first['source']!r} with seed {first['seed']}:")
print(f"  {first['parameters'][:110]}...")

fig, axes = plt.subplots(2, 4, figsize=(8, 4.4))
for col, row in enumerate(rows[:4]):
    axes[0, col].imshow(Image.open(os.path.join(src, row["source"])), cmap="gray_r")
    axes[0, col].set_title(row["source"], fontsize=8)
    axes[1, col].imshow(Image.open(os.path.join(dst, row["output"])), cmap="gray_r")
    axes[1, col].set_title(row["output"], fontsize=8)
for ax in axes.ravel():
    ax.axis("off")
fig.tight_layout()
plt.show()
shutil.rmtree(work)
