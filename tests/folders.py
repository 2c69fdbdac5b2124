"""Helpers for the tests of folder datasets: write one, hash one."""

import hashlib
import os

import numpy as np
from PIL import Image


def write_pngs(root, counts, *, side=8, seed=0, digits=0):
    """``root/<class>/<i>.png``: ``counts`` (class -> number) random RGB
    images of ``side`` x ``side`` pixels, numbered with ``digits`` digits."""
    rng = np.random.default_rng(seed)
    for name, n in counts.items():
        (root / name).mkdir(parents=True)
        for i in range(n):
            pixels = rng.integers(0, 256, (side, side, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(root / name / f"{i:0{digits}d}.png")
    return root


def tree_hashes(folder):
    """Relative path -> sha256 of every file under ``folder`` (a symbolic
    link: ``-> target``)."""
    out = {}
    for parent, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(parent, name)
            if os.path.islink(path):
                out[os.path.relpath(path, folder)] = "-> " + os.readlink(path)
                continue
            with open(path, "rb") as file:
                out[os.path.relpath(path, folder)] = hashlib.sha256(
                    file.read()
                ).hexdigest()
    return out


def disk_full_after(monkeypatch, n):
    """Make the folder writer's saves fail as a full disk does after the
    first ``n``; returns the function that undoes it."""
    from imgbalance.folder import _writing

    save, calls = _writing.save, []

    def save_until_full(array, path, image_format):
        calls.append(path)
        if len(calls) > n:
            raise OSError(28, "No space left on device")
        save(array, path, image_format)

    monkeypatch.setattr(_writing, "save", save_until_full)
    return lambda: monkeypatch.setattr(_writing, "save", save)
