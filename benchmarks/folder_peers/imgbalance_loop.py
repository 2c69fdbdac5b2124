"""The per-image work of ``imgbalance balance`` alone, as a plain loop.

Copies every image of SRC to DST, then makes images of each smaller class
until it has as many as the largest: each from a random image of the class
(decoded once), through imgbalance's default augmenter, saved as JPEG as the
command saves it (OpenCV's encoder, quality 95). No checks, no plan, no
journal, no manifest, one process: what the command would cost if it did
nothing but the images, to set beside the command (its own work) and the
Pillow script (less image work).

Run: ``python imgbalance_loop.py SRC DST``.
"""

import os
import shutil
import sys

import cv2
import numpy as np
from PIL import Image

from imgbalance.augment import default_augmenter


def main(src, dst):
    cv2.setNumThreads(1)  # as the command with one job
    augmenter = default_augmenter()
    classes = {c: sorted(os.listdir(os.path.join(src, c))) for c in os.listdir(src)}
    target = max(len(files) for files in classes.values())
    rng = np.random.default_rng(0)
    for name, files in sorted(classes.items()):
        os.makedirs(os.path.join(dst, name))
        for file in files:
            shutil.copyfile(
                os.path.join(src, name, file), os.path.join(dst, name, file)
            )
        if len(files) == target:
            continue
        images = [np.asarray(Image.open(os.path.join(src, name, f))) for f in files]
        for i in range(target - len(files)):
            image = images[rng.integers(len(images))]
            augmented, _ = augmenter.augment(image, np.random.default_rng(i))
            bgr = cv2.cvtColor(augmented, cv2.COLOR_RGB2BGR)
            _, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])
            with open(os.path.join(dst, name, f"aug{i}.jpg"), "wb") as file:
                file.write(data)


if __name__ == "__main__":
    main(*sys.argv[1:3])
