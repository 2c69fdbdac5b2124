"""The recipe ``imgbalance balance`` replaces, as people write it.

Copies every image of SRC to DST, then saves rotated copies of random
images of each smaller class until it has as many as the largest. Checks
nothing, keeps no record, and overwrites what is there.

Run: ``python pillow_balance.py SRC DST``.
"""

import os
import random
import shutil
import sys

from PIL import Image


def main(src, dst):
    classes = {c: sorted(os.listdir(os.path.join(src, c))) for c in os.listdir(src)}
    target = max(len(files) for files in classes.values())
    rng = random.Random(0)
    for name, files in sorted(classes.items()):
        os.makedirs(os.path.join(dst, name))
        for file in files:
            shutil.copyfile(
                os.path.join(src, name, file), os.path.join(dst, name, file)
            )
        for i in range(target - len(files)):
            file = rng.choice(files)
            with Image.open(os.path.join(src, name, file)) as image:
                rotated = image.rotate(rng.uniform(-10, 10))
            stem, ext = os.path.splitext(file)
            rotated.save(os.path.join(dst, name, f"{stem}_aug{i}{ext}"), quality=95)


if __name__ == "__main__":
    main(*sys.argv[1:3])
