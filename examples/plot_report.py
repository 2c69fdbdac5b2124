"""
An HTML report of a folder and of its balanced copy
===================================================

Looking at the images is how one judges a dataset and what balancing did
to it. :func:`~imgbalance.report.inspect_report` (``imgbalance inspect DIR
--report FILE.html``) writes one self-contained page: class counts as bars
with the imbalance ratio, thumbnails of a seeded sample of every class,
sizes and modes, the unreadable files with the reason.
:func:`~imgbalance.report.balance_report` (``imgbalance balance SRC DST
--report FILE.html``) shows the counts before and after and each generated
image beside its source, captioned with what the manifest says was applied.

Both pages hold their images inline and no script: they open offline and
can be attached to a ticket. Here the balance report is rendered by headless
Chromium (:func:`~imgbalance.report.screenshot`), when it is installed.
"""

import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from skimage import data

from imgbalance.folder import balance_folder
from imgbalance.report import balance_report, inspect_report, screenshot

home, work = os.getcwd(), tempfile.mkdtemp()
os.chdir(work)  # relative paths: the pages name "photos" and "balanced"
src = "photos"
photos = {"coffee": data.coffee(), "cat": data.chelsea(), "rocket": data.rocket()}
for (name, photo), n in zip(photos.items(), (10, 4, 2)):
    os.makedirs(os.path.join(src, name))
    for i in range(n):
        tile = photo[25 * i : 25 * i + 96, 35 * i : 35 * i + 128]
        Image.fromarray(tile).save(os.path.join(src, name, f"{i}.jpg"), quality=90)

report = inspect_report(src, "inspect.html")
print(f"imbalance ratio {report['imbalance_ratio']:.1f}")
summary = balance_folder(src, "balanced", seed=0)
shown = balance_report(summary, "balance.html", thumbnails=4)
page = os.path.join(work, "balance.html")
os.chdir(home)
print({name: len(rows) for name, rows in shown.items()}, "generated images shown")
print(f"balance.html: {os.path.getsize(page) / 1000:.0f} kB, nothing else to ship")

# %%
# The top of the balance report, as a browser shows it.
fig, ax = plt.subplots(figsize=(9, 9))
ax.set_axis_off()
png = os.path.join(work, "balance.png")
try:
    console = screenshot(page, png, width=1000, height=1000)
    print("console messages:", console)
    ax.imshow(np.asarray(Image.open(png)))
except FileNotFoundError:  # no Chromium here: open balance.html in a browser
    ax.text(0.5, 0.5, "Chromium is not installed here", ha="center", va="center")
plt.show()
