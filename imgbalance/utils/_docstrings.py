"""Texts several docstrings share, written once, and the decorator that puts
them in place.

A docstring holds a marker on a line of its own, ``<name>`` indented as the
text should be; :func:`fill_docs` replaces it with ``DOCS[name]`` (or with a
text given to the decorator), indented to the marker. Lines right after a
marker, indented deeper, go on with the entry: a shared parameter text
followed by what is particular to one estimator.

Under ``python -OO`` there are no docstrings and :func:`fill_docs` does
nothing. A marker without a text, a text given but not used, or a decorated
docstring without a marker raise ``ValueError`` when the module is
imported, so a mistake fails the first test that imports it.
"""

import re
import textwrap

__all__ = ["DOCS", "fill_docs"]

# name -> the text of a numpydoc entry (or entries), written at no indent:
# the entry's first line, then its description indented by 4
DOCS = {
    # -- samplers --------------------------------------------------------
    "over_sampling_strategy": """\
sampling_strategy : float, str, dict or callable, default='auto'
    How many images each class should have after resampling, as in
    imbalanced-learn: a float (two classes only) is the wanted ratio of
    minority to majority count; ``'minority'``, ``'not minority'``,
    ``'not majority'``, ``'all'`` or ``'auto'`` (= ``'not majority'``)
    name the classes grown to the majority's count; a dict maps a class
    to the count it should reach; a callable takes ``y`` and returns such
    a dict.
""",
    "under_sampling_strategy": """\
sampling_strategy : float, str, dict or callable, default='auto'
    How many images each class should keep, as in imbalanced-learn: a
    float (two classes only) is the wanted ratio of minority to majority
    count; ``'majority'``, ``'not minority'``, ``'not majority'``,
    ``'all'`` or ``'auto'`` (= ``'not minority'``) name the classes
    shrunk to the minority's count; a dict maps a class to the count it
    should keep; a callable takes ``y`` and returns such a dict.
""",
    "random_state": """\
random_state : int, RandomState instance or None, default=None
    Seed of every random draw: an int gives the same output on every
    run, whatever ``n_jobs`` or joblib backend.
""",
    "sampler_n_jobs": """\
n_jobs : int or None, default=None
    Parallel jobs (joblib): None means 1 unless in a
    :func:`joblib.parallel_config` context, -1 one per core. The output
    does not depend on it.
""",
    "image_shape": """\
image_shape : tuple (h, w) or (h, w, c), default=None
    For a 2-D ``X`` of flattened images: the shape each row was
    flattened from.
""",
    "input_attributes": """\
n_features_in_ : int
    Values per image (``h * w * c``); set for array input only.
feature_names_in_ : ndarray of shape (`n_features_in_`,)
    Column names, set when ``X`` is a DataFrame with string column names.
""",
    # -- samplers working in an embedding ---------------------------------
    "rows": """\
each flattened to a row of pixels scaled to [0, 1] (integer images
divided by their full intensity: 65535 for uint16, 255 for the
others; float images as they are). One with an ``image_shape``
parameter left at None (such as
:class:`~imgbalance.features.HOGFeatures`) is given the images'
shape. None uses ``PCA(n_components=min(50, n_images, n_pixels))``
(randomised SVD seeded by ``random_state``).
""",
    # -- feature extractors -----------------------------------------------
    "size": """\
size : (int, int) or None, default=None
    Resize every image to (h, w) first (bilinear).
""",
    "feature_n_jobs": """\
n_jobs : int or None, default=None
    Threads sharing a batch (joblib): None means 1 unless in a
    :func:`joblib.parallel_config` context, -1 one per core. The
    features do not depend on it.
""",
    "pool_parameters": """\
top_k : int, default=10
    For ``"top_k"`` in ``pool``: how many of the largest values are
    averaged (all of them when there are fewer).
percentile : float in [0, 100], default=99.0
    For ``"percentile"`` in ``pool``: which percentile
    (:func:`numpy.percentile`, linear interpolation).
""",
    "pool_statistics": """\
``"mean"``, ``"std"`` (population), ``"sum"``, ``"max"``, ``"min"``,
``"top_k"`` (the mean of the ``top_k`` largest values) and
``"percentile"`` (the ``percentile``-th percentile). The mean and the
sum dilute a small local response in the whole image; the max, the
top-k mean and a high percentile keep it (see the user guide's section
on small, local evidence).
""",
    "fit_images": """\
X : image collection
    Array ``(n, h, w[, c])``, 2-D array ``(n, features)``, or a
    sequence of paths, PIL images or arrays.
""",
    "y_ignored": """\
y : None
    Ignored.
""",
    # -- perceptual hashes ------------------------------------------------
    "hash_parameters": """\
X : image collection
    An ``(n, h, w[, c])`` array of any numeric dtype, or a sequence of
    paths, PIL images or arrays (sizes may differ). Rows of flattened
    images (a 2-D array) are refused: reshape them first; so are images
    holding NaN or infinity (ValueError). No image gives no hash.
hash_size : int, default=8
    The hash is ``hash_size ** 2`` bits.
n_jobs : int or None, default=None
    Threads decoding and shrinking files, PIL images and arrays of
    differing sizes (None: 1; -1: one per core). An array of images of
    one size is shrunk in a few matrix products, on one thread.
""",
    "hash_returns": """\
hashes : ndarray of shape (n, n_words), uint64
    ``n_words = ceil(hash_size ** 2 / 64)``.
""",
    # -- the PyTorch samplers ---------------------------------------------
    "torch_labels": """\
y : array-like, tensor or dataset
    The label of each item of the dataset, or the dataset itself if it
    holds them in ``targets``, ``labels`` or ``y`` (also through
    ``Subset``, as from ``random_split``, and ``ConcatDataset``), or a
    Hugging Face ``Dataset`` with a ``label`` or ``labels`` column (for
    another column: ``dataset["fine_label"]``, or
    :func:`~imgbalance.datasets.dataset_labels`).
""",
    "epoch_parameters": """\
generator : torch.Generator or None, default=None
    Draws the base seed, once; see ``seed``.
seed : int or None, default=None
    The base seed: epoch ``e`` is drawn from ``(seed, e)``, the same in
    every process. None draws it from ``generator``, or, without one,
    is 0 in a distributed run (as ``DistributedSampler``) and drawn
    from torch's global generator otherwise.
num_replicas : int or None, default=None
    Processes sharing each epoch (distributed training); None takes
    ``torch.distributed.get_world_size()`` when a process group is
    initialised, else 1.
rank : int or None, default=None
    This process's place among them; None takes
    ``torch.distributed.get_rank()`` when initialised, else 0.
drop_last : bool, default=False
    As in ``DistributedSampler``: cut each epoch to a multiple of
    ``num_replicas`` instead of padding it (no effect in one process).
""",
    "epoch_notes": """\
In a distributed run each process keeps positions ``rank, rank +
num_replicas, ...`` of the epoch, padded by repeating its start to a
multiple of ``num_replicas`` (or, with ``drop_last``, cut to one), as
``DistributedSampler`` shares the dataset's indices: disjoint shares of
one length that together are the single-process epoch. Without :meth:`set_epoch` each
pass over the sampler draws the next epoch; with it, the epoch set
(call it at the start of each epoch of a distributed run, as for
``DistributedSampler``).
""",
}

_MARKER = re.compile(r"^([ ]*)<([a-z_]+)>[ ]*$", re.MULTILINE)


def _filled(doc, texts, owner):
    """``doc`` with every marker replaced (see the module docstring)."""
    used = set()

    def put(match):
        indent, name = match.groups()
        text = texts.get(name, DOCS.get(name))
        if text is None:
            raise ValueError(
                f"{owner}: the docstring's marker <{name}> names no shared text "
                "(imgbalance.utils._docstrings.DOCS) and none was given."
            )
        used.add(name)
        return textwrap.indent(text.rstrip("\n"), indent)

    filled, n_markers = _MARKER.subn(put, doc)
    if n_markers == 0:
        raise ValueError(f"{owner}: fill_docs found no <marker> line in its docstring.")
    unused = sorted(set(texts) - used)
    if unused:
        raise ValueError(
            f"{owner}: fill_docs was given texts no marker asks for: {unused}."
        )
    return filled


def fill_docs(obj=None, /, **texts):
    """Put the shared texts in place of the markers of a docstring.

    Used bare (``@fill_docs``) for the texts of :data:`DOCS`, or with
    keyword texts of one docstring's own (``@fill_docs(operations=...)``),
    which are looked up first. Works on classes and functions; a no-op
    where docstrings are stripped (``python -OO``).
    """

    def fill(target):
        if target.__doc__ is not None:
            target.__doc__ = _filled(target.__doc__, texts, target.__qualname__)
        return target

    return fill if obj is None else fill(obj)
