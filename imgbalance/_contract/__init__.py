"""The image input contract: the one place that decides what an *image
collection* is, how it is checked, how its items are decoded and on which
scale their values are read, and how a selection of it is returned in the
container it came in. Every sampler and transformer of imgbalance goes
through it.

- ``_collection``: the forms of ``X`` and their checks (``ImageCollection``);
- ``_labels``: the labels ``y``;
- ``_stacking``: a collection as one array;
- ``_decoding``: one item to an array (numpy and Pillow only);
- ``_intensity``: the scale each dtype is read on;
- ``_files``: image files opened and checked with Pillow;
- ``_jpeg``: the quick check of plain JPEG files, Pillow's answer or none;
- ``_out_of_core``: arrays on disk read, and outputs written, a part at a
  time.
"""
