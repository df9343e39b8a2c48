#!/usr/bin/env python3
"""An independent float64 NumPy implementation of Qwen3 (dense and MoE), the yardstick for Ponder's engine.

It reads the model itself -- a Hugging Face folder (config.json + safetensors) or a GGUF file (float tensors,
or Q8_0/Q4_0/Q5_0/Q4_K/Q6_K blocks decoded by ggml_blocks.py) -- and shares nothing with the C++ side: the
formats are parsed here from their specifications, and the maths follows transformers' modeling_qwen3 /
modeling_qwen3_moe, written out in float64 so that any fp32 engine can be measured against it.

    python3 qwen3_reference.py MODEL --ids 1,2,3 [--greedy N] [--all-logits]

prints {"logits": [[...], ...], "greedy": [...], "greedy_min_gap": g} on stdout: the logits of the last
position (or of every prompt position with --all-logits), N greedily decoded ids (argmax, lowest id on
ties), and the smallest gap between the best and second-best logit over those greedy steps (how close a
greedy choice came to a tie). Needs only NumPy.
"""
import argparse
import json
import math
import mmap
import os
import struct
import sys

import numpy as np

import ggml_blocks  # next to this script

# ---------------------------------------------------------------- Hugging Face folders (safetensors)

SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "bf16", "F64": "<f8"}


def read_safetensors(path, out):
    """Adds every tensor of one .safetensors file to `out` (name -> float64 array in the file's shape)."""
    with open(path, "rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    (header_len,) = struct.unpack_from("<Q", data, 0)
    header = json.loads(bytes(data[8:8 + header_len]))
    base = 8 + header_len
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise SystemExit(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        begin, end = info["data_offsets"]
        raw = np.frombuffer(data, dtype=np.uint8, count=end - begin, offset=base + begin)
        if dtype == "bf16":  # the top half of an fp32
            values = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            values = raw.view(dtype)
        out[name] = values.astype(np.float64).reshape(info["shape"])


def load_hf(folder):
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    tensors = {}
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
    else:
        shards = ["model.safetensors"]
    for shard in shards:
        read_safetensors(os.path.join(folder, shard), tensors)

    moe = cfg.get("model_type") == "qwen3_moe" or cfg.get("architectures", [""])[0] == "Qwen3MoeForCausalLM"
    heads = cfg["num_attention_heads"]
    c = {
        "layers": cfg["num_hidden_layers"],
        "heads": heads,
        "kv_heads": cfg.get("num_key_value_heads") or heads,
        "head_dim": cfg.get("head_dim") or (cfg["hidden_size"] // heads if moe else 128),
        "eps": cfg.get("rms_norm_eps", 1e-6),
        "norm_topk_prob": cfg.get("norm_topk_prob", False),
        "experts_per_token": cfg.get("num_experts_per_tok", 8),
    }
    rope = cfg.get("rope_parameters") or {}
    c["theta"] = cfg.get("rope_theta") or rope.get("rope_theta", 10000.0)
    scaling = cfg.get("rope_scaling") or rope
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind == "yarn":
        c["yarn"] = (scaling["factor"],
                     scaling.get("original_max_position_embeddings") or cfg.get("max_position_embeddings", 32768))
    elif kind not in (None, "default"):
        raise SystemExit(f"{folder}: unsupported rope type {kind}")

    def t(name):
        return tensors[name]

    m = {"config": c, "embed": t("model.embed_tokens.weight"), "norm": t("model.norm.weight")}
    m["lm_head"] = tensors.get("lm_head.weight") if not cfg.get("tie_word_embeddings") else None
    if m["lm_head"] is None:
        m["lm_head"] = m["embed"]
    m["blocks"] = []
    for l in range(c["layers"]):
        p = f"model.layers.{l}."
        b = {"attn_norm": t(p + "input_layernorm.weight"), "ffn_norm": t(p + "post_attention_layernorm.weight"),
             "q": t(p + "self_attn.q_proj.weight"), "k": t(p + "self_attn.k_proj.weight"),
             "v": t(p + "self_attn.v_proj.weight"), "o": t(p + "self_attn.o_proj.weight"),
             "q_norm": t(p + "self_attn.q_norm.weight"), "k_norm": t(p + "self_attn.k_norm.weight")}
        step = cfg.get("decoder_sparse_step", 1)
        experts = cfg.get("num_experts", 128)
        sparse = moe and l not in cfg.get("mlp_only_layers", []) and experts > 0 and (l + 1) % step == 0
        if sparse:
            b["router"] = t(p + "mlp.gate.weight")
            b["experts"] = [tuple(t(f"{p}mlp.experts.{e}.{n}_proj.weight") for n in ("gate", "up", "down"))
                            for e in range(experts)]
        else:
            b["mlp"] = tuple(t(f"{p}mlp.{n}_proj.weight") for n in ("gate", "up", "down"))
        m["blocks"].append(b)
    return m

# ---------------------------------------------------------------- GGUF files


class GgufReader:
    """Just enough of GGUF v3: metadata scalars (arrays are skipped), F32/F16/BF16 tensors and the block
    types of ggml_blocks."""

    SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q",
               12: "<d"}
    TENSOR_TYPES = {0: ("<f4", 4), 1: ("<f2", 2), 30: ("bf16", 2)}

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.pos = 4
        if self.data[:4] != b"GGUF" or self.u("<I") != 3:
            raise SystemExit(f"{path}: not a GGUF v3 file")
        tensor_count, kv_count = self.u("<Q"), self.u("<Q")
        self.meta = {}
        for _ in range(kv_count):
            key = self.string()
            self.meta[key] = self.value(self.u("<I"))
        infos = []
        for _ in range(tensor_count):
            name = self.string()
            dims = [self.u("<Q") for _ in range(self.u("<I"))]
            infos.append((name, dims, self.u("<I"), self.u("<Q")))
        alignment = self.meta.get("general.alignment", 32)
        base = (self.pos + alignment - 1) // alignment * alignment
        self.tensors = {name: (dims, kind, base + offset) for name, dims, kind, offset in infos}

    def u(self, fmt):
        (v,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.u("<Q")
        s = bytes(self.data[self.pos:self.pos + n]).decode("utf-8")
        self.pos += n
        return s

    def value(self, kind):
        if kind in self.SCALARS:
            return self.u(self.SCALARS[kind])
        if kind == 8:
            return self.string()
        if kind == 9:
            item, count = self.u("<I"), self.u("<Q")
            if item in self.SCALARS:  # skip without decoding: the tokenizer's arrays are long
                self.pos += count * struct.calcsize(self.SCALARS[item])
            else:
                for _ in range(count):
                    self.value(item)
            return None
        raise SystemExit(f"{self.path}: unknown metadata type {kind}")

    def has(self, name):
        return name in self.tensors

    def tensor(self, name):
        """The tensor as float64, numpy shape = reversed GGUF dims ([out, in] for a matrix)."""
        dims, kind, offset = self.tensors[name]
        count = math.prod(dims)
        if kind in ggml_blocks.TYPES:
            raw = np.frombuffer(self.data, dtype=np.uint8, count=ggml_blocks.byte_count(kind, count), offset=offset)
            return ggml_blocks.decode(kind, raw, count).reshape(list(reversed(dims)))
        if kind not in self.TENSOR_TYPES:
            raise SystemExit(f"{self.path}: tensor {name} has GGML type {kind}, which the reference cannot read")
        dtype, size = self.TENSOR_TYPES[kind]
        raw = np.frombuffer(self.data, dtype=np.uint8, count=count * size, offset=offset)
        values = (raw.view("<u2").astype(np.uint32) << 16).view(np.float32) if dtype == "bf16" else raw.view(dtype)
        return values.astype(np.float64).reshape(list(reversed(dims)))


def load_gguf(path):
    g = GgufReader(path)
    arch = g.meta["general.architecture"]
    if arch not in ("qwen3", "qwen3moe"):
        raise SystemExit(f"{path}: not a Qwen3 model ({arch})")

    def key(name, default=None):
        value = g.meta.get(f"{arch}.{name}", default)
        if value is None:
            raise SystemExit(f"{path}: missing {arch}.{name}")
        return value

    c = {"layers": key("block_count"), "heads": key("attention.head_count"),
         "kv_heads": key("attention.head_count_kv"), "head_dim": key("attention.key_length"),
         "eps": key("attention.layer_norm_rms_epsilon"), "theta": key("rope.freq_base", 10000.0),
         # llama.cpp renormalises the top-k weights of qwen3moe unless a file says otherwise.
         "norm_topk_prob": key("expert_weights_norm", True), "experts_per_token": key("expert_used_count", 0)}
    if g.meta.get(f"{arch}.rope.scaling.type") == "yarn":
        c["yarn"] = (key("rope.scaling.factor"), key("rope.scaling.original_context_length"))

    m = {"config": c, "embed": g.tensor("token_embd.weight"), "norm": g.tensor("output_norm.weight")}
    m["lm_head"] = g.tensor("output.weight") if g.has("output.weight") else m["embed"]
    m["blocks"] = []
    for l in range(c["layers"]):
        def t(name):
            return g.tensor(f"blk.{l}.{name}.weight")
        b = {"attn_norm": t("attn_norm"), "ffn_norm": t("ffn_norm"), "q": t("attn_q"), "k": t("attn_k"),
             "v": t("attn_v"), "o": t("attn_output"), "q_norm": t("attn_q_norm"), "k_norm": t("attn_k_norm")}
        if g.has(f"blk.{l}.ffn_gate_inp.weight"):
            b["router"] = t("ffn_gate_inp")
            stacks = [t("ffn_gate_exps"), t("ffn_up_exps"), t("ffn_down_exps")]  # [experts, out, in]
            b["experts"] = [tuple(s[e] for s in stacks) for e in range(stacks[0].shape[0])]
        else:
            b["mlp"] = (t("ffn_gate"), t("ffn_up"), t("ffn_down"))
        m["blocks"].append(b)
    return m

# ---------------------------------------------------------------- the model, in float64


def rope_tables(c, positions):
    """cos and sin [T, head_dim] for rotate-half RoPE, YaRN applied (static) when configured."""
    d, base = c["head_dim"], c["theta"]
    inv_freq = 1.0 / base ** (np.arange(0, d, 2, dtype=np.float64) / d)
    scale = 1.0
    if "yarn" in c:
        factor, original = c["yarn"]

        def dim_for(rotations):  # the index whose wavelength turns `rotations` times over the original context
            return d * math.log(original / (rotations * 2 * math.pi)) / (2 * math.log(base))

        low = max(math.floor(dim_for(32)), 0)
        high = min(math.ceil(dim_for(1)), d - 1)
        if low == high:
            high += 0.001
        ramp = np.clip((np.arange(d // 2, dtype=np.float64) - low) / (high - low), 0.0, 1.0)
        # ramp 0: keep the original frequency (extrapolate); ramp 1: divide it by the factor (interpolate).
        inv_freq = inv_freq * (1.0 - ramp) + (inv_freq / factor) * ramp
        scale = 0.1 * math.log(factor) + 1.0 if factor > 1 else 1.0
    angles = np.outer(np.asarray(positions, dtype=np.float64), inv_freq)
    angles = np.concatenate([angles, angles], axis=-1)
    return np.cos(angles) * scale, np.sin(angles) * scale


def rms_norm(x, weight, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rotate(x, cos, sin):  # x [T, heads, d]; pairs i and i + d/2
    half = x.shape[-1] // 2
    rotated = np.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos[:, None, :] + rotated * sin[:, None, :]


def silu(x):
    return x / (1.0 + np.exp(-x))


def attention(b, c, x, cos, sin):
    T, d, nh, nkv = x.shape[0], c["head_dim"], c["heads"], c["kv_heads"]
    q = rms_norm((x @ b["q"].T).reshape(T, nh, d), b["q_norm"], c["eps"])
    k = rms_norm((x @ b["k"].T).reshape(T, nkv, d), b["k_norm"], c["eps"])
    v = (x @ b["v"].T).reshape(T, nkv, d)
    q, k = rotate(q, cos, sin), rotate(k, cos, sin)
    group = nh // nkv
    causal = np.triu(np.full((T, T), -np.inf), k=1)
    out = np.empty((T, nh, d))
    for h in range(nh):
        scores = q[:, h, :] @ k[:, h // group, :].T / math.sqrt(d) + causal
        p = np.exp(scores - scores.max(axis=-1, keepdims=True))
        p /= p.sum(axis=-1, keepdims=True)
        out[:, h, :] = p @ v[:, h // group, :]
    return out.reshape(T, nh * d) @ b["o"].T


def swiglu_mlp(x, gate, up, down):
    return (silu(x @ gate.T) * (x @ up.T)) @ down.T


def moe(b, c, x):
    logits = x @ b["router"].T
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    p /= p.sum(axis=-1, keepdims=True)
    out = np.zeros_like(x)
    for t in range(x.shape[0]):
        chosen = np.argsort(-p[t], kind="stable")[:c["experts_per_token"]]  # ties: the lower id first
        weights = p[t, chosen]
        if c["norm_topk_prob"]:
            weights = weights / weights.sum()
        for e, w in zip(chosen, weights):
            out[t] += w * swiglu_mlp(x[t:t + 1], *b["experts"][e])[0]
    return out


def hidden_states(m, ids):
    """Final-normed hidden states [T, hidden] of the whole sequence."""
    c = m["config"]
    cos, sin = rope_tables(c, range(len(ids)))
    x = m["embed"][np.asarray(ids)]
    for b in m["blocks"]:
        x = x + attention(b, c, rms_norm(x, b["attn_norm"], c["eps"]), cos, sin)
        h = rms_norm(x, b["ffn_norm"], c["eps"])
        x = x + (moe(b, c, h) if "router" in b else swiglu_mlp(h, *b["mlp"]))
    return rms_norm(x, m["norm"], c["eps"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a .gguf file or a Hugging Face folder")
    parser.add_argument("--ids", required=True, help="comma-separated prompt token ids")
    parser.add_argument("--greedy", type=int, default=0, help="greedy tokens to decode after the prompt")
    parser.add_argument("--all-logits", action="store_true", help="logits of every prompt position")
    args = parser.parse_args()

    m = load_hf(args.model) if os.path.isdir(args.model) else load_gguf(args.model)
    ids = [int(i) for i in args.ids.split(",")]
    vocab = m["embed"].shape[0]
    if not ids or any(i < 0 or i >= vocab for i in ids):
        raise SystemExit(f"ids must be non-empty and in 0..{vocab - 1}")

    states = hidden_states(m, ids)
    logits = (states if args.all_logits else states[-1:]) @ m["lm_head"].T
    sequence, greedy, min_gap = list(ids), [], math.inf
    step_logits = states[-1] @ m["lm_head"].T
    for step in range(args.greedy):
        best = int(np.argmax(step_logits))
        min_gap = min(min_gap, float(step_logits[best] - np.max(np.delete(step_logits, best))))
        greedy.append(best)
        sequence.append(best)
        if step + 1 < args.greedy:  # no cache: the whole sequence again, cheap at test sizes
            step_logits = hidden_states(m, sequence)[-1] @ m["lm_head"].T

    out = sys.stdout
    out.write('{"logits": [')
    out.write(",".join("[" + ",".join(f"{v:.10g}" for v in row.tolist()) + "]" for row in logits))
    out.write('], "greedy": ' + json.dumps(greedy))
    out.write(', "greedy_min_gap": ' + (json.dumps(min_gap) if math.isfinite(min_gap) else "null") + "}\n")


if __name__ == "__main__":
    main()
