#!/usr/bin/env python3
"""Independent forward pass of a Hugging Face Llama checkpoint, in plain Python (no torch, no numpy).

Reads config.json + model.safetensors the way transformers' LlamaForCausalLM does (parameter names, shapes, tied
embeddings, dtypes F32/F16/BF16) and computes the logits with the formulas of transformers' modeling_llama.py:
  RMSNorm:   y = w * x / sqrt(mean(x^2) + eps)
  RoPE:      inv_freq_j = theta^(-2j/head_dim); q' = q cos + rotate_half(q) sin, rotate_half(x) = [-x2, x1]
  attention: softmax(q k^T / sqrt(head_dim) + causal mask) v, key/value heads shared by n_heads / n_kv_heads queries
  MLP:       down(silu(gate(x)) * up(x)); residual stream h += attn(norm(h)); h += mlp(norm(h))
  logits:    lm_head(norm(h)), lm_head = embed_tokens when tie_word_embeddings.
It exists to check, where PyTorch and transformers are not installed, that an exported checkpoint means to any Llama
implementation what it means to the engine. Usage: llama_forward.py MODEL_DIR IDS_JSON  ->  {"logits": [[...], ...]}
(one row per input position). Unsupported configurations (rope scaling, biases, other activations) are refused.
"""
import json
import math
import struct
import sys


def load_safetensors(path):
    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        dtype = info["dtype"]
        if dtype == "F32":
            values = list(struct.unpack("<%df" % (len(raw) // 4), raw))
        elif dtype == "F16":
            values = list(struct.unpack("<%de" % (len(raw) // 2), raw))
        elif dtype == "BF16":
            values = [struct.unpack("<f", b"\x00\x00" + raw[i:i + 2])[0] for i in range(0, len(raw), 2)]
        else:
            raise SystemExit("unsupported tensor dtype %s for %s" % (dtype, name))
        shape = info["shape"]
        if len(shape) == 2:
            rows, cols = shape
            values = [values[r * cols:(r + 1) * cols] for r in range(rows)]
        tensors[name] = values
    return tensors


def linear(weight_rows, x):
    return [sum(w * v for w, v in zip(row, x)) for row in weight_rows]


def rms_norm(weight, x, eps):
    scale = 1.0 / math.sqrt(sum(v * v for v in x) / len(x) + eps)
    return [w * v * scale for w, v in zip(weight, x)]


def silu(v):
    return v / (1.0 + math.exp(-v)) if v > -60 else 0.0


def rope(vector, position, head_dim, theta):
    half = head_dim // 2
    out = list(vector)
    for j in range(half):
        angle = position * theta ** (-2.0 * j / head_dim)
        c, s = math.cos(angle), math.sin(angle)
        x1, x2 = vector[j], vector[j + half]
        out[j] = x1 * c - x2 * s
        out[j + half] = x2 * c + x1 * s
    return out


def forward(config, weights, ids):
    for key, allowed in (("rope_scaling", (None,)), ("attention_bias", (False, None)), ("mlp_bias", (False, None)),
                         ("hidden_act", ("silu",))):
        if config.get(key) not in allowed:
            raise SystemExit("unsupported %s: %r" % (key, config.get(key)))
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    eps = config["rms_norm_eps"]
    theta = config.get("rope_theta", 10000.0)
    embed = weights["model.embed_tokens.weight"]
    head = embed if config.get("tie_word_embeddings") else weights["lm_head.weight"]
    hidden = [list(embed[i]) for i in ids]
    for layer in range(config["num_hidden_layers"]):
        p = "model.layers.%d." % layer
        keys, values, queries = [], [], []
        for t, h in enumerate(hidden):
            x = rms_norm(weights[p + "input_layernorm.weight"], h, eps)
            q = linear(weights[p + "self_attn.q_proj.weight"], x)
            k = linear(weights[p + "self_attn.k_proj.weight"], x)
            queries.append([rope(q[i * head_dim:(i + 1) * head_dim], t, head_dim, theta) for i in range(heads)])
            keys.append([rope(k[i * head_dim:(i + 1) * head_dim], t, head_dim, theta) for i in range(kv_heads)])
            v = linear(weights[p + "self_attn.v_proj.weight"], x)
            values.append([v[i * head_dim:(i + 1) * head_dim] for i in range(kv_heads)])
        group = heads // kv_heads
        for t in range(len(hidden)):
            attended = []
            for i in range(heads):
                kv = i // group
                scores = [sum(a * b for a, b in zip(queries[t][i], keys[s][kv])) / math.sqrt(head_dim) for s in range(t + 1)]
                top = max(scores)
                exps = [math.exp(s - top) for s in scores]
                total = sum(exps)
                attended += [sum(exps[s] / total * values[s][kv][d] for s in range(t + 1)) for d in range(head_dim)]
            out = linear(weights[p + "self_attn.o_proj.weight"], attended)
            hidden[t] = [a + b for a, b in zip(hidden[t], out)]
        for t, h in enumerate(hidden):
            x = rms_norm(weights[p + "post_attention_layernorm.weight"], h, eps)
            gate = linear(weights[p + "mlp.gate_proj.weight"], x)
            up = linear(weights[p + "mlp.up_proj.weight"], x)
            down = linear(weights[p + "mlp.down_proj.weight"], [silu(g) * u for g, u in zip(gate, up)])
            hidden[t] = [a + b for a, b in zip(h, down)]
    return [linear(head, rms_norm(weights["model.norm.weight"], h, eps)) for h in hidden]


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: llama_forward.py MODEL_DIR IDS_JSON")
    folder, ids = sys.argv[1], json.loads(sys.argv[2])
    with open(folder + "/config.json") as f:
        config = json.load(f)
    if not all(isinstance(i, int) and 0 <= i < config["vocab_size"] for i in ids):
        raise SystemExit("token ids must be integers in [0, %d)" % config["vocab_size"])
    weights = load_safetensors(folder + "/model.safetensors")
    json.dump({"logits": forward(config, weights, ids)}, sys.stdout)


if __name__ == "__main__":
    main()
