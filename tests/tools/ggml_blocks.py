"""Decoders for the ggml block-quantised tensor types Ponder's synthetic models use (Q8_0, Q4_0, Q5_0, Q4_K,
Q6_K), written in NumPy from the block layouts of ggml-common.h for qwen3_reference.py. Independent of the
C++ engine on purpose: the reference must not share a decoding mistake with the code it checks.

decode(type_id, raw_bytes, count) -> float64 array of `count` values.
"""
import numpy as np


def _half(blocks, offset):
    """The fp16 at `offset` of every block, as a float64 column."""
    return blocks[:, offset:offset + 2].copy().view("<f2").astype(np.float64)


def _q8_0(b):  # d, qs[32] int8
    return _half(b, 0) * b[:, 2:34].view(np.int8)


def _q4_0(b):  # d, qs[16]: low nibbles are elements 0..15, high nibbles 16..31
    qs = b[:, 2:18].astype(np.int16)
    return _half(b, 0) * (np.concatenate([qs & 0xF, qs >> 4], axis=1) - 8)


def _q5_0(b):  # d, qh (32 fifth bits, little-endian u32), qs[16] as Q4_0
    qh = b[:, 2:6].copy().view("<u4").astype(np.int64)
    qs = b[:, 6:22].astype(np.int64)
    j = np.arange(16)
    low = (qs & 0xF) | (((qh >> j) & 1) << 4)
    high = (qs >> 4) | (((qh >> (j + 16)) & 1) << 4)
    return _half(b, 0) * (np.concatenate([low, high], axis=1) - 16)


def _q4_k(b):  # d, dmin, scales[12] (8 six-bit scales and mins), qs[128]
    n = b.shape[0]
    s = b[:, 4:16].astype(np.int64)
    scale = np.empty((n, 8), dtype=np.int64)
    low_bits = np.empty((n, 8), dtype=np.int64)
    for j in range(4):
        scale[:, j] = s[:, j] & 63
        low_bits[:, j] = s[:, j + 4] & 63
    for j in range(4, 8):
        scale[:, j] = (s[:, j + 4] & 0xF) | ((s[:, j - 4] >> 6) << 4)
        low_bits[:, j] = (s[:, j + 4] >> 4) | ((s[:, j] >> 6) << 4)
    q = b[:, 16:144].astype(np.int64).reshape(n, 4, 32)
    # Each 64-element group: sub-block 2t from the low nibbles, 2t+1 from the high nibbles of the same bytes.
    values = np.stack([q & 0xF, q >> 4], axis=2).reshape(n, 8, 32)
    out = _half(b, 0)[:, :, None] * scale[:, :, None] * values - _half(b, 2)[:, :, None] * low_bits[:, :, None]
    return out.reshape(n, 256)


def _q6_k(b):  # ql[128], qh[64], scales[16] int8, d (last)
    n = b.shape[0]
    d = _half(b, 208)
    out = np.empty((n, 256))
    for half in range(2):
        ql = b[:, 64 * half:64 * half + 64].astype(np.int64)
        qh = b[:, 128 + 32 * half:128 + 32 * half + 32].astype(np.int64)
        sc = b[:, 192 + 8 * half:192 + 8 * half + 8].view(np.int8).astype(np.int64)
        quarters = [(ql[:, :32] & 0xF) | ((qh & 3) << 4),
                    (ql[:, 32:] & 0xF) | (((qh >> 2) & 3) << 4),
                    (ql[:, :32] >> 4) | (((qh >> 4) & 3) << 4),
                    (ql[:, 32:] >> 4) | (((qh >> 6) & 3) << 4)]
        for k, q in enumerate(quarters):  # elements l < 16 use scale 2k, l >= 16 scale 2k + 1
            scales = np.repeat(sc[:, 2 * k:2 * k + 2], 16, axis=1)
            out[:, 128 * half + 32 * k:128 * half + 32 * k + 32] = d * scales * (q - 32)
    return out


# ggml type id -> (elements per block, bytes per block, decoder of an [n, bytes] block array)
TYPES = {8: (32, 34, _q8_0), 2: (32, 18, _q4_0), 6: (32, 22, _q5_0), 12: (256, 144, _q4_k), 14: (256, 210, _q6_k)}


def byte_count(type_id, count):
    elements, size, _ = TYPES[type_id]
    return count // elements * size


def decode(type_id, raw, count):
    elements, size, decoder = TYPES[type_id]
    blocks = np.asarray(raw, dtype=np.uint8).reshape(-1, size)
    out = np.empty(count, dtype=np.float64)
    step = 1 << 15  # blocks per pass, to bound the temporaries of a large embedding
    for first in range(0, blocks.shape[0], step):
        chunk = blocks[first:first + step]
        out[first * elements:(first + chunk.shape[0]) * elements] = decoder(chunk).reshape(-1)
    return out
