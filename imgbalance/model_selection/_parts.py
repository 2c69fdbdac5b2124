"""A stratified split that keeps groups whole: which part (train, test,
val...) each item goes to, each class's count in each part within one item
of its exact share wherever the groups allow it.

Light on purpose (numpy only): the ``split`` command uses it without
scikit-learn.
"""

import numpy as np

__all__ = [
    "assign_parts",
    "exact_shares",
    "fraction_targets",
    "group_codes",
    "numbered_by_first_item",
    "union_groups",
]


def group_codes(n, pairs):
    """Group numbers ``0..`` (in order of first item) of ``n`` items joined
    by ``pairs`` (``(i, j)`` arrays of positions): connected items share a
    number."""
    parent = np.arange(n)

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in zip(*pairs):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return numbered_by_first_item(np.array([root(k) for k in range(n)]))


def numbered_by_first_item(labels):
    """``labels`` numbered ``0..`` in the order of each label's first item
    (int64): equal labels share a number."""
    _, first, codes = np.unique(labels, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[codes.ravel()].astype(np.int64)


def union_groups(*labelings):
    """One group number per item joining every given labeling: two items
    share a group when any labeling puts them together (None ones are
    skipped)."""
    labelings = [np.asarray(g) for g in labelings if g is not None]
    n = len(labelings[0])
    pairs_a, pairs_b = [], []
    for labels in labelings:
        _, codes = np.unique(labels, return_inverse=True)
        codes = codes.ravel()
        order = np.argsort(codes, kind="stable")
        same = codes[order[1:]] == codes[order[:-1]]
        pairs_a.append(order[:-1][same])
        pairs_b.append(order[1:][same])
    return group_codes(n, (np.concatenate(pairs_a), np.concatenate(pairs_b)))


def exact_shares(counts, shares):
    """The exact (fractional) items of each class for each part."""
    return np.asarray(counts, dtype=np.float64)[:, None] * np.asarray(shares)[None, :]


def fraction_targets(counts, shares):
    """Items of each class for each part: ``counts`` (per class) split by
    ``shares`` (per part, summing to 1), each rounded by largest remainder
    so that a class's parts sum to its count and each is within one item
    of its exact share."""
    counts = np.asarray(counts, dtype=np.int64)
    shares = np.asarray(shares, dtype=np.float64)
    exact = counts[:, None] * shares[None, :]
    targets = np.floor(exact).astype(np.int64)
    short = counts - targets.sum(axis=1)
    for c in range(len(counts)):  # the largest remainders get one more
        order = np.argsort(-(exact[c] - targets[c]), kind="stable")
        targets[c, order[: short[c]]] += 1
    return targets


def assign_parts(labels, groups, targets, random_state, exact=None):
    """The part of each item.

    Parameters
    ----------
    labels : ndarray of int, shape (n,)
        Class codes ``0..k-1``.
    groups : ndarray of int, shape (n,)
        Items of one group go to one part.
    targets : ndarray of int, shape (k, n_parts)
        Items of each class wanted in each part (rows sum to the class
        counts).
    random_state : numpy.random.RandomState
        Draws the order of groups and of items.
    exact : ndarray of float, shape (k, n_parts), default=None
        The exact shares ``targets`` were rounded from: groups are moved
        until each count is within one item of them where they can be.

    Returns
    -------
    parts : ndarray of int, shape (n,)

    Notes
    -----
    Groups of two items or more go first, the largest first, each to the
    part whose needs it fills best (the most of its items a part still
    needs, the fewest beyond); then each class's single items fill what
    every part still needs. Counts miss their targets only where a group
    is too large for any part's need.
    """
    labels = np.asarray(labels, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    n_classes, n_parts = targets.shape
    need = np.array(targets, dtype=np.int64)
    parts = np.full(len(labels), -1, dtype=np.int64)
    _, group_of, sizes = np.unique(groups, return_inverse=True, return_counts=True)
    group_of = group_of.ravel()
    shared = np.flatnonzero(sizes > 1)
    # largest first; among equals, an order drawn by the seed
    shared = shared[random_state.permutation(len(shared))]
    shared = shared[np.argsort(-sizes[shared], kind="stable")]
    members_of = _members(group_of, len(sizes))
    for g in shared:
        members = members_of[g]
        counts = np.bincount(labels[members], minlength=n_classes)
        filled = np.minimum(counts[:, None], np.maximum(need, 0)).sum(axis=0)
        beyond = counts.sum() - filled
        part = int(np.lexsort((-need.sum(axis=0), beyond, -filled))[0])
        parts[members] = part
        need[:, part] -= counts
    for c in range(n_classes):
        single = np.flatnonzero((labels == c) & (sizes[group_of] == 1))
        single = single[random_state.permutation(len(single))]
        start = 0
        while start < len(single):
            part = int(np.argmax(need[c]))  # the part that needs most
            take = max(1, int(need[c, part])) if need[c, part] > 0 else 1
            chosen = single[start : start + take]
            parts[chosen] = part
            need[c, part] -= len(chosen)
            start += len(chosen)
    wanted = targets if exact is None else np.asarray(exact, dtype=np.float64)
    _refine(parts, labels, group_of, members_of, wanted, random_state)
    return parts


def _refine(parts, labels, group_of, members_of, targets, random_state, passes=20):
    """Move whole groups between parts while that brings the counts nearer
    their targets (the sum over classes and parts of the distance): the
    greedy placement can leave a class an image or more off where every
    image of it is in a group (a balanced folder's)."""
    n_classes, n_parts = targets.shape
    got = np.zeros(targets.shape, dtype=np.float64)
    np.add.at(got, (labels, parts), 1)
    for _ in range(passes):
        off = np.flatnonzero(np.abs(got - targets).max(axis=1) >= 1)
        if len(off) == 0:
            return
        candidates = np.unique(group_of[np.isin(labels, off)])
        moved = False
        for g in candidates[random_state.permutation(len(candidates))]:
            members = members_of[g]
            counts = np.bincount(labels[members], minlength=n_classes).astype(float)
            here = parts[members[0]]
            before = np.abs(got - targets).sum()
            best, best_cost = here, before
            for there in range(n_parts):
                if there == here:
                    continue
                got[:, here] -= counts
                got[:, there] += counts
                cost = np.abs(got - targets).sum()
                got[:, there] -= counts
                got[:, here] += counts
                if cost < best_cost:
                    best, best_cost = there, cost
            if best != here:
                got[:, here] -= counts
                got[:, best] += counts
                parts[members] = best
                moved = True
        if not moved:
            return


def _members(group_of, n_groups):
    """The positions of each group's items."""
    order = np.argsort(group_of, kind="stable")
    bounds = np.searchsorted(group_of[order], np.arange(n_groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(n_groups)]
