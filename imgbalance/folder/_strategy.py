"""What each class should grow to: the ``strategy`` option, checked
against the classes found, as the number of images to add to each."""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ._refusal import BalanceRefused, option

__all__ = ["Growth", "amounts_to_add", "check_strategy", "growth_of", "parse_strategy"]

_WORDS = ("auto", "minority", "not majority", "not minority", "all")


def check_strategy(strategy):
    """The ``strategy`` option as a ``sampling_strategy``: a str read by
    :func:`parse_strategy`, a float in (0, 1], or a dict of class sizes
    (whole numbers, 0 or more); anything else refused."""
    if isinstance(strategy, str):
        return parse_strategy(strategy)
    if isinstance(strategy, float) and 0 < strategy <= 1:  # NaN fails
        return strategy
    if isinstance(strategy, dict) and all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0
        for n in strategy.values()
    ):
        return {str(name): int(n) for name, n in strategy.items()}
    raise BalanceRefused(
        f"{option('strategy', strategy)} is not one of "
        f"{', '.join(map(repr, _WORDS))}, a float in (0, 1] (the smaller "
        "class's size as a fraction of the larger's) or a dict of class "
        "sizes (whole numbers, 0 or more)."
    )


def parse_strategy(text):
    """A ``strategy`` text (``--strategy``) as an imbalanced-learn
    ``sampling_strategy``.

    Parameters
    ----------
    text : str
        ``auto``, ``minority``, ``not-majority``, ``not-minority``, ``all``,
        a float in (0, 1] (the minority-to-majority ratio wanted, two
        classes only) or ``CLASS=N,CLASS=N,...`` (the number of images each
        named class should have).

    Returns
    -------
    sampling_strategy : str, float or dict

    Examples
    --------
    >>> from imgbalance.folder import parse_strategy
    >>> parse_strategy("not-majority"), parse_strategy("0.5")
    ('not majority', 0.5)
    >>> parse_strategy("cat=100,sea lion=80")
    {'cat': 100, 'sea lion': 80}
    """
    words = {
        "auto": "auto",
        "minority": "minority",
        "not-majority": "not majority",
        "not-minority": "not minority",
        "all": "all",
    }
    text = text.strip()
    if text in words:
        return words[text]
    if "=" in text:
        targets = {}
        for part in text.split(","):
            name, _, count = part.rpartition("=")
            name = name.strip()
            if name in targets:
                raise BalanceRefused(
                    f"{option('strategy')} names {name!r} twice; give each class once."
                )
            try:
                targets[name] = int(count)
            except ValueError:
                targets[name] = -1
            if targets[name] < 0:
                raise BalanceRefused(
                    f"{option('strategy')}: {part!r} is not CLASS=N with N a whole "
                    "number of images (0 or more)."
                )
        return targets
    try:
        ratio = float(text)
    except ValueError:
        raise BalanceRefused(
            f"{option('strategy')}: {text!r} is not one of {', '.join(words)}, a "
            "float or CLASS=N,CLASS=N."
        ) from None
    if not 0 < ratio <= 1:  # NaN too
        raise BalanceRefused(
            f"{option('strategy', text)}: a float is the size the smaller class should "
            "reach, as a fraction of the larger one: a number in (0, 1]."
        )
    return ratio


def _targets_of(strategy, sampling_strategy, names, sizes):
    """The class sizes a float or dict ``strategy`` asks for, as a dict;
    refused where a class would have to shrink."""
    if isinstance(sampling_strategy, dict):
        have = dict(zip(names.tolist(), sizes.tolist()))
        for name, target in sampling_strategy.items():
            if target < have[name]:
                raise BalanceRefused(
                    f"{option('strategy', {name: target})}: {name!r} has {have[name]} "
                    f"images already, and a strategy only adds images; give "
                    f"at least {have[name]}, or cap the class with "
                    f"{option('max_per_class', target)}."
                )
        return sampling_strategy
    small, large = np.argmin(sizes), np.argmax(sizes)
    if sampling_strategy * sizes[large] < sizes[small]:
        # rounded up, so that the ratio said is one that passes
        least = math.ceil(sizes[small] / sizes[large] * 1000) / 1000
        raise BalanceRefused(
            f"{option('strategy', strategy)}: the smaller class {str(names[small])!r} "
            f"already has {sizes[small]} images, {sizes[small] / sizes[large]:.3g} "
            f"times the {sizes[large]} of {str(names[large])!r}; give a ratio of "
            f"at least {least:g} (1 to balance them)."
        )
    # as imbalanced-learn counts it; 0 new images is a copy here, not an error
    return {str(names[small]): max(int(sizes[large] * sampling_strategy), sizes[small])}


@dataclass(frozen=True)
class Growth:
    """What a run adds: ``sampling_strategy`` (a word, or the class sizes a
    float or dict asks for) and ``adding`` (class -> number of images to
    add, in the order of the classes)."""

    sampling_strategy: object
    adding: dict


def growth_of(options, sources):
    """The :class:`Growth` the ``strategy`` option asks for, as
    imbalanced-learn's ``check_sampling_strategy`` counts it for
    over-sampling, checked against the classes of ``sources``."""
    strategy, sampling_strategy = options.strategy, options.sampling_strategy
    names, sizes = sources.classes()
    if isinstance(sampling_strategy, dict):
        _check_named_classes(sampling_strategy, names, sources.label_names)
    if len(names) < 2:
        raise BalanceRefused(
            f"SRC has one class that can be read ({str(names[0])!r}); "
            "balancing needs two or more."
        )
    if isinstance(sampling_strategy, float) and len(names) > 2:
        example = {str(name): int(sizes.max()) for name in names[:2]}
        raise BalanceRefused(
            f"{option('strategy', strategy)}: a float sets the smaller of two "
            f"classes, and SRC has {len(names)}; give the size each class should "
            f"reach (such as {option('strategy', example)}), or auto, minority, "
            "not-majority, not-minority or all."
        )
    if isinstance(sampling_strategy, (dict, float)):
        sampling_strategy = _targets_of(strategy, sampling_strategy, names, sizes)
    return Growth(sampling_strategy, amounts_to_add(sampling_strategy, names, sizes))


def amounts_to_add(sampling_strategy, names, sizes):
    """Class -> images to add (``names`` in order, of ``sizes`` images),
    for a ``sampling_strategy`` word or a dict of class sizes: what
    imbalanced-learn's ``check_sampling_strategy`` gives for over-sampling
    (tested equal), without importing it and scikit-learn."""
    have = dict(zip(names.tolist(), sizes.tolist()))
    if isinstance(sampling_strategy, dict):
        return {
            name: int(sampling_strategy[name]) - have[name]
            for name in sorted(sampling_strategy)
        }
    largest = int(sizes.max())
    majority = names[int(np.argmax(sizes))]  # the first of the largest
    minority = names[int(np.argmin(sizes))]  # the first of the smallest
    grown = {
        "auto": lambda name: name != majority,
        "not majority": lambda name: name != majority,
        "not minority": lambda name: name != minority,
        "minority": lambda name: name == minority,
        "all": lambda name: True,
    }[sampling_strategy]
    return {name: largest - have[name] for name in have if grown(name)}


def _check_named_classes(sampling_strategy, names, target_names):
    """Refuse classes a dict names that are not among the readable ones
    (``names``)."""
    unknown = sorted(set(sampling_strategy) - set(names.tolist()))
    unread = [name for name in unknown if name in target_names]
    if unread:
        raise BalanceRefused(
            f"{option('strategy')} names {', '.join(map(repr, unread))}, whose "
            "images all cannot be read (left out by "
            f"{option('on_error', 'skip')}); leave it out of {option('strategy')}."
        )
    if unknown:
        readable = sorted(set(names.tolist()))
        raise BalanceRefused(
            f"{option('strategy')} names {', '.join(map(repr, unknown))}, not "
            f"classes of SRC (they are {', '.join(repr(str(c)) for c in readable)})."
        )
