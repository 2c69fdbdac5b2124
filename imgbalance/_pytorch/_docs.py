"""The parameter and note texts the two samplers share, written once.

A docstring holds a marker line (``    <y>``, ``    <epoch parameters>``,
``    <epoch notes>``); :func:`shared_docs` puts the text in its place.
"""

from .._docstrings import fill_docs

__all__ = ["shared_docs"]

_TEXTS = {
    "    <y>\n": """\
    y : array-like, tensor or dataset
        The label of each item of the dataset, or the dataset itself if it
        holds them in ``targets``, ``labels`` or ``y`` (also through
        ``Subset``, as from ``random_split``, and ``ConcatDataset``).
""",
    "    <epoch parameters>\n": """\
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
""",
    "    <epoch notes>\n": """\
    In a distributed run each process keeps positions ``rank, rank +
    num_replicas, ...`` of the epoch (padded by repeating its start to a
    multiple of ``num_replicas``): disjoint shares of one length that
    together are the single-process epoch. Without :meth:`set_epoch` each
    pass over the sampler draws the next epoch; with it, the epoch set
    (call it at the start of each epoch of a distributed run, as for
    ``DistributedSampler``).
""",
}


# class decorator: the shared texts in place of their markers
shared_docs = fill_docs(_TEXTS)
