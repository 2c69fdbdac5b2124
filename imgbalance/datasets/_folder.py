"""List the images of a folder-per-class dataset."""

from ._scanning import IMAGE_EXTENSIONS, scan_image_folder

__all__ = ["load_image_folder"]


def load_image_folder(root, *, extensions=IMAGE_EXTENSIONS):
    """List the images of a folder-per-class dataset, without decoding them.

    ``root/<class>/**/<image>``: each visible sub-folder of ``root`` is a
    class, named after the folder, and holds that class's images at any
    depth, as scikit-learn's :func:`~sklearn.datasets.load_files` and
    torchvision's ``ImageFolder`` expect. Classes are sorted by name; paths
    are sorted within a class. Hidden files and folders (name starting with
    ``.``), files of other extensions and files directly in ``root`` are
    ignored (and counted). Symbolic links leading out of ``root`` are not
    followed (and listed); linked sub-folders are not entered. Class folders
    without any image are left out of the classes and reported in a warning
    and in ``empty_classes``.

    Parameters
    ----------
    root : str or os.PathLike
        The dataset folder.

    extensions : tuple of str, default=IMAGE_EXTENSIONS
        File extensions taken as images, compared case-insensitively.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``paths`` (list of str, ``root`` joined with each file's relative
        path), ``target`` (ndarray of int, index into ``target_names``),
        ``target_names`` (list of str), ``empty_classes`` (list of str),
        ``root`` (str), ``n_hidden`` (hidden files and folders seen),
        ``n_other`` (files of other extensions, and files directly in
        ``root``) and ``links_not_followed`` (list of str).

    Raises
    ------
    FileNotFoundError
        ``root`` does not exist.
    NotADirectoryError
        ``root`` is not a folder.
    ValueError
        No class folder of ``root`` holds an image.

    Examples
    --------
    >>> import os, tempfile
    >>> from PIL import Image
    >>> from imgbalance.datasets import load_image_folder
    >>> root = tempfile.mkdtemp()
    >>> for cls, n in [("cat", 2), ("dog", 1)]:
    ...     os.mkdir(os.path.join(root, cls))
    ...     for i in range(n):
    ...         Image.new("L", (4, 4)).save(os.path.join(root, cls, f"{i}.png"))
    >>> data = load_image_folder(root)
    >>> data.target_names, data.target.tolist()
    (['cat', 'dog'], [0, 0, 1])
    >>> [os.path.relpath(p, root) for p in data.paths] == [
    ...     os.path.join("cat", "0.png"), os.path.join("cat", "1.png"),
    ...     os.path.join("dog", "0.png")]
    True
    >>> import shutil; shutil.rmtree(root)
    """
    from sklearn.utils import Bunch  # here: scanning needs no scikit-learn

    return Bunch(**vars(scan_image_folder(root, extensions=extensions)))
