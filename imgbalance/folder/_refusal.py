"""The refusal of a folder request, before anything is written."""

__all__ = ["BalanceRefused"]


class BalanceRefused(ValueError):
    """A request refused before anything is written: a usage or safety
    problem (the ``imgbalance balance`` command exits with status 2).

    Examples
    --------
    >>> import tempfile
    >>> from imgbalance.folder import BalanceRefused, balance_folder
    >>> src = tempfile.mkdtemp()
    >>> try:
    ...     balance_folder(src, src)
    ... except BalanceRefused as refusal:
    ...     print(refusal)
    DST '...' is SRC; give a separate folder.
    """
