"""Texts several docstrings share, written once: a docstring holds a marker
line (``    <name>``), and :func:`fill_docs` puts the text in its place."""

__all__ = ["fill_docs"]


def fill_docs(texts):
    """Class decorator putting ``texts`` (marker line -> text) in place of
    their markers in the class's docstring."""

    def fill(cls):
        doc = cls.__doc__
        for marker, text in texts.items():
            doc = doc.replace(marker, text)
        cls.__doc__ = doc
        return cls

    return fill
