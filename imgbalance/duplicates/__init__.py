"""Near-duplicate images: perceptual hashes, the pairs of hashes within a
Hamming distance, and the groups of near-duplicates they make."""

from ._finding import find_duplicates, find_leaks
from ._hashing import (
    average_hash,
    difference_hash,
    hash_to_hex,
    perceptual_hash,
)
from ._search import hamming_pairs

__all__ = [
    "average_hash",
    "difference_hash",
    "find_duplicates",
    "find_leaks",
    "hamming_pairs",
    "hash_to_hex",
    "perceptual_hash",
]
