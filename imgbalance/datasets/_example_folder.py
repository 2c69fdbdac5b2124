"""An example folder-per-class dataset on disk, cut from scikit-image's
bundled photographs: what the documentation's folder examples read."""

import io
import os

import numpy as np
from PIL import Image

__all__ = ["make_example_folder"]

# the classes: a photograph of scikit-image each, and the format of its tiles
PHOTOS = {
    "astronaut": "JPEG",
    "chelsea": "JPEG",
    "coffee": "JPEG",
    "rocket": "PNG",
}
COUNTS = {"astronaut": 60, "chelsea": 8, "coffee": 20, "rocket": 12}
# the hidden file that marks a folder this function wrote (a hidden file in
# every class folder is what real folders hold too: .DS_Store, Thumbs.db)
MARK = ".imgbalance-example"


def _photo(name):
    import skimage.data

    return getattr(skimage.data, name)()


def _tile(photo, size, rng):
    """A random ``size`` x ``size`` crop of ``photo``."""
    top = rng.integers(0, photo.shape[0] - size + 1)
    left = rng.integers(0, photo.shape[1] - size + 1)
    return np.ascontiguousarray(photo[top : top + size, left : left + size])


def _messy_files(root, size, rng):
    """What a real folder holds beside its images: a truncated JPEG, a
    16-bit grayscale PNG, RGBA PNGs, a hidden file (each in its class's
    folder, where the class was written)."""
    if os.path.isdir(os.path.join(root, "coffee")):
        buffer = io.BytesIO()
        Image.fromarray(_tile(_photo("coffee"), size, rng)).save(buffer, "JPEG")
        with open(os.path.join(root, "coffee", "broken.jpg"), "wb") as file:
            file.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])  # cut
    if os.path.isdir(os.path.join(root, "chelsea")):
        gray = _tile(_photo("chelsea"), size, rng).mean(axis=2)
        deep = np.round(gray * 257).astype(np.uint16)  # 0..65535
        Image.fromarray(deep).save(os.path.join(root, "chelsea", "deep.png"))
    if os.path.isdir(os.path.join(root, "rocket")):
        ramp = np.linspace(64, 255, size).astype(np.uint8)
        names = sorted(os.listdir(os.path.join(root, "rocket")))
        for name in names[: max(1, len(names) // 3)]:  # a third gain alpha
            path = os.path.join(root, "rocket", name)
            with Image.open(path) as image:
                rgb = np.asarray(image.convert("RGB"))
            alpha = np.broadcast_to(ramp[None, :], rgb.shape[:2])
            Image.fromarray(np.dstack([rgb, alpha])).save(path)
    if os.path.isdir(os.path.join(root, "astronaut")):
        with open(os.path.join(root, "astronaut", ".DS_Store"), "wb") as file:
            file.write(b"\0\0\0\1Bud1")


def make_example_folder(root, *, counts=None, size=64, messy=False, random_state=0):
    """Write an imbalanced folder-per-class dataset of photo tiles.

    Each class is one of scikit-image's bundled photographs (no download),
    its images random ``size`` x ``size`` crops of it: ``astronaut``,
    ``chelsea`` and ``coffee`` as JPEG, ``rocket`` as PNG. With ``messy``,
    the folder also holds what real ones do: a truncated JPEG in
    ``coffee``, a 16-bit grayscale PNG in ``chelsea``, a third of
    ``rocket``'s PNGs with an alpha channel and a hidden ``.DS_Store`` in
    ``astronaut``.

    A folder this function wrote is recognised (by a hidden file in it) and
    returned as it is; any other folder that is not empty is refused, so
    nothing is overwritten.

    Parameters
    ----------
    root : str or os.PathLike
        The folder to write (``root/<class>/<image>``).
    counts : dict or None, default=None
        Class -> number of tiles; None gives ``{"astronaut": 60, "chelsea":
        8, "coffee": 20, "rocket": 12}``. Classes must be among those four.
    size : int, default=64
        The side of each tile, in pixels (16 to 256).
    messy : bool, default=False
        Add the unreadable, 16-bit, RGBA and hidden files.
    random_state : int, default=0
        Seed of the crops.

    Returns
    -------
    root : str
        The folder.

    Raises
    ------
    FileExistsError
        ``root`` exists, is not empty and was not written by this function.
    ValueError
        An unknown class, a count below 1 or a size out of range.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from imgbalance.datasets import load_image_folder, make_example_folder
    >>> root = make_example_folder(os.path.join(tempfile.mkdtemp(), "photos"))
    >>> data = load_image_folder(root)
    >>> data.target_names, np.bincount(data.target).tolist()
    (['astronaut', 'chelsea', 'coffee', 'rocket'], [60, 8, 20, 12])
    >>> messy = make_example_folder(root + "-messy", messy=True)
    >>> [u["path"] for u in load_image_folder(messy, on_error="skip").unreadable]
    ['coffee/broken.jpg']
    >>> make_example_folder(messy) == messy  # written already: as it is
    True
    """
    root = os.fspath(root)
    counts = dict(COUNTS if counts is None else counts)
    unknown = sorted(set(counts) - set(PHOTOS))
    if unknown:
        raise ValueError(
            f"counts names {', '.join(map(repr, unknown))}; the classes are "
            f"{', '.join(map(repr, PHOTOS))}."
        )
    if any(
        not isinstance(n, int) or isinstance(n, bool) or n < 1 for n in counts.values()
    ):
        raise ValueError(f"counts={counts!r}: give 1 or more tiles per class.")
    if not isinstance(size, int) or not 16 <= size <= 256:
        raise ValueError(f"size={size!r}: give a side of 16 to 256 pixels.")
    if os.path.isfile(os.path.join(root, MARK)):
        return root
    if os.path.exists(root) and (not os.path.isdir(root) or os.listdir(root)):
        raise FileExistsError(
            f"{root!r} exists and was not written by make_example_folder; give "
            "a new folder, so that nothing is overwritten."
        )
    rng = np.random.default_rng(random_state)
    for name in sorted(counts):
        os.makedirs(os.path.join(root, name))
        photo = _photo(name)
        extension = ".jpg" if PHOTOS[name] == "JPEG" else ".png"
        for i in range(counts[name]):
            path = os.path.join(root, name, f"{i:03d}{extension}")
            Image.fromarray(_tile(photo, size, rng)).save(path, format=PHOTOS[name])
    if messy:
        _messy_files(root, size, rng)
    with open(os.path.join(root, MARK), "w", encoding="ascii") as file:
        file.write("written by imgbalance.datasets.make_example_folder\n")
    return root
