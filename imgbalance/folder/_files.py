"""Files written whole or not at all: under a temporary hidden name, renamed
when complete; the temporary files a stopped run left, removed."""

import contextlib
import os

__all__ = ["TEMPORARY", "remove_temporaries", "write_atomically", "write_text"]

TEMPORARY = ".imgbalance-tmp-"


def write_atomically(path, write):
    """``write(temporary_path)``, then rename: no partial file at ``path``."""
    folder, name = os.path.split(path)
    temporary = os.path.join(folder, f"{TEMPORARY}{os.getpid()}-{name}")
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise


def remove_temporaries(dst):
    """Remove the files that writes cut short left under temporary names."""
    for folder, _, files in os.walk(dst):
        for name in files:
            if name.startswith(TEMPORARY):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, name))


def write_text(path, text):
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
