"""Balancing a folder with Augmentor 0.2.12, as its documentation does it.

Copies every image of SRC to DST, then, for each smaller class, a pipeline
(rotate up to 10 degrees, brightness and contrast within 10 %) samples as
many images as the class lacks (Augmentor's threads, its default).

Run: ``python augmentor_balance.py SRC DST``.
"""

import contextlib
import io
import os
import shutil
import sys

import Augmentor


def main(src, dst):
    classes = {c: sorted(os.listdir(os.path.join(src, c))) for c in os.listdir(src)}
    target = max(len(files) for files in classes.values())
    for name, files in sorted(classes.items()):
        shutil.copytree(os.path.join(src, name), os.path.join(dst, name))
        if len(files) == target:
            continue
        pipeline = Augmentor.Pipeline(
            source_directory=os.path.join(src, name),
            output_directory=os.path.abspath(os.path.join(dst, name)),
        )
        pipeline.rotate(probability=1.0, max_left_rotation=10, max_right_rotation=10)
        pipeline.random_brightness(probability=1.0, min_factor=0.9, max_factor=1.1)
        pipeline.random_contrast(probability=1.0, min_factor=0.9, max_factor=1.1)
        quiet = io.StringIO()  # its messages and progress bars
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            pipeline.sample(target - len(files))


if __name__ == "__main__":
    main(*sys.argv[1:3])
