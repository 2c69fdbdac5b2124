"""A benchmark's tables as one section of a markdown file, between
``<!-- begin NAME -->`` and ``<!-- end NAME -->``: written again, the
section is replaced and the rest of the file kept."""

import os

__all__ = ["write_section"]


def write_section(path, name, text):
    """Put ``text`` in the section ``name`` of ``path`` (at its end when it
    has no such section; the file is made when missing)."""
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    block = f"{begin}\n\n{text.strip()}\n\n{end}\n"
    old = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as file:
            old = file.read()
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + ("\n" + tail if tail else "")
    else:
        new = old.rstrip("\n") + ("\n\n" if old.strip() else "") + block
    temporary = f"{path}.part"
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(new)
    os.replace(temporary, path)
