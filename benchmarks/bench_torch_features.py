"""TorchFeatures against a hand-written DataLoader loop doing the same.

10 000 RGB images of 64x64 pixels (uint8, the package's ``(n, h, w, c)``
layout: ``(10 000, 3, 64, 64)`` once channels first) go through a small CNN
(three convolutions, pooled to 64 features) on the CPU, in batches of 256:

- ``TorchFeatures(net, batch_size=256, device="cpu").fit_transform(X)``;
- the loop a user writes: ``DataLoader(TensorDataset(torch.from_numpy(X)),
  batch_size=256)``, each batch made channels first and divided by 255,
  the network under ``torch.inference_mode()``, the outputs concatenated.

Both give the same features (checked). Time: the best of ``--repeats``
runs each, alternated, in one process; the ratio TorchFeatures / loop is
printed (the target: at most 1.2x). Memory: each way in a fresh process
for two numbers of images, the peak resident memory beyond what the
process held with the images and the network in memory (VmHWM reset
through /proc/self/clear_refs where Linux allows it): bounded by the batch,
it stays the same when the number of images doubles.

Run: ``python benchmarks/bench_torch_features.py`` (about a minute on two
cores; needs torch).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

BATCH = 256


def make_net():
    import torch

    torch.manual_seed(0)
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
    ).eval()


def make_images(n):
    return np.random.default_rng(0).integers(0, 256, (n, 64, 64, 3), dtype=np.uint8)


def with_torch_features(net, X):
    from imgbalance.features import TorchFeatures

    return TorchFeatures(net, batch_size=BATCH, device="cpu").fit_transform(X)


def with_loop(net, X):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(torch.from_numpy(X)), batch_size=BATCH)
    outputs = []
    with torch.inference_mode():
        for (batch,) in loader:
            x = batch.permute(0, 3, 1, 2).float().div(255)
            outputs.append(net(x))
    return torch.cat(outputs).numpy()


WAYS = {"TorchFeatures": with_torch_features, "DataLoader loop": with_loop}


def _status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(way, n):
    """In a fresh process: the peak memory of one way beyond the images."""
    net = make_net()
    X = make_images(n)
    WAYS[way](net, X[:BATCH])  # warm: torch's first call allocates its pools
    try:  # reset the high-water mark to the memory held now
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        reset = True
    except OSError:
        reset = False
    before = _status("VmRSS")
    features = WAYS[way](net, X)
    peak = _status("VmHWM")
    print(
        "RESULT "
        + json.dumps(
            {
                "extra_mb": peak - before,
                "images_mb": X.nbytes / 2**20,
                "output_mb": features.nbytes / 2**20,
                "reset": reset,
            }
        )
    )


def timing(n, repeats):
    net = make_net()
    X = make_images(n)
    ours, theirs = with_torch_features(net, X), with_loop(net, X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    best = {way: float("inf") for way in WAYS}
    for _ in range(repeats):
        for way, run in WAYS.items():
            start = time.perf_counter()
            run(net, X)
            best[way] = min(best[way], time.perf_counter() - start)
    return best


def memory(way, n):
    out = subprocess.run(
        [sys.executable, __file__, "--child", way, str(n)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.rsplit("RESULT ", 1)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-sizes", type=int, nargs=2, default=[10000, 20000])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    try:
        import torch
    except ImportError:
        print("torch is not installed: pip install torch to run this benchmark")
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, torch {torch.__version__} "
        f"({torch.get_num_threads()} threads)"
    )
    best = timing(args.n, args.repeats)
    loop = best["DataLoader loop"]
    print(f"{args.n} images 64x64x3 uint8, small CNN, batches of {BATCH}, CPU:")
    for way, seconds in best.items():
        print(
            f"  {way:<16} {seconds:6.2f} s  {args.n / seconds:7.0f} images/s  "
            f"{seconds / loop:.2f}x the loop's time"
        )
    print(f"  TorchFeatures / DataLoader loop: {best['TorchFeatures'] / loop:.2f}x")
    small, large = args.memory_sizes
    for way in WAYS:
        a, b = memory(way, small), memory(way, large)
        note = "" if a["reset"] else " (peak not reset: includes the images)"
        print(
            f"  {way:<16} peak RSS beyond the images: {a['extra_mb']:6.1f} MB at "
            f"{small} images, {b['extra_mb']:6.1f} MB at {large} "
            f"({b['extra_mb'] / max(a['extra_mb'], 1e-9):.2f}x for "
            f"{large / small:.0f}x the images; the images {a['images_mb']:.0f} / "
            f"{b['images_mb']:.0f} MB, the output {a['output_mb']:.1f} / "
            f"{b['output_mb']:.1f} MB){note}"
        )


if __name__ == "__main__":
    main()
