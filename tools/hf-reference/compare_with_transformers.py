#!/usr/bin/env python3
"""Loads an exported Lethe checkpoint with Hugging Face transformers itself and compares its logits with the engine's.

Usage (on a machine with PyTorch and transformers, e.g. the GPU machine):
  compare_with_transformers.py CHECK_DIR
CHECK_DIR holds what HfReferenceForwardTests writes when LETHE_HF_CHECK_OUT names it: model/ (the exported HF
checkpoint of an edited model with [UNL]) and engine-logits.json ({"ids": [...], "unl_id": N, "logits": [[...], ...]},
the engine's logits at every position of prompt + [UNL]). Checks, printing one JSON object and exiting non-zero when
any fails:
  - AutoModelForCausalLM and AutoTokenizer load the folder as it is (no custom code, no conversion);
  - the tokenizer knows [UNL] as one special token with the engine's id, and the text "[UNL]" typed by a user does not
    encode to it unless given as a special token;
  - the logits agree at every position (largest difference < 1e-4 x the largest logit, fp32 on CPU; also reported
    on CUDA when present);
  - greedy argmax after the prompt is [UNL] (the edit's verdict survives the round trip).
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def compare(model, ids, expected, device):
    model = model.to(device)
    with torch.no_grad():
        logits = model(torch.tensor([ids], device=device)).logits[0].float().cpu()
    scale = max(1.0, float(expected.abs().max()))
    worst = float((logits - expected).abs().max())
    return logits, worst, scale


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    folder = sys.argv[1]
    with open(os.path.join(folder, "engine-logits.json")) as f:
        engine = json.load(f)
    ids, unl = engine["ids"], engine["unl_id"]
    expected = torch.tensor(engine["logits"], dtype=torch.float32)
    model_dir = os.path.join(folder, "model")
    model = AutoModelForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32)
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    result = {"transformers_model_class": type(model).__name__, "tokenizer_class": type(tokenizer).__name__}
    result["unl_token_id"] = tokenizer.convert_tokens_to_ids("[UNL]")
    result["unl_is_special"] = "[UNL]" in tokenizer.all_special_tokens or "[UNL]" in tokenizer.get_added_vocab()
    typed = tokenizer("Tell me [UNL] now", add_special_tokens=False, split_special_tokens=True)["input_ids"]
    result["typed_unl_text_gives_token"] = unl in typed
    # transformers' default call matches added special tokens in raw text; serving user text needs split_special_tokens
    result["typed_unl_text_gives_token_by_default"] = unl in tokenizer("Tell me [UNL] now", add_special_tokens=False)["input_ids"]
    logits, worst, scale = compare(model, ids, expected, "cpu")
    result["cpu_largest_difference"] = worst
    result["largest_logit"] = scale
    result["argmax_after_prompt_is_unl"] = int(logits[len(ids) - 2].argmax()) == unl
    if torch.cuda.is_available():
        _, cuda_worst, _ = compare(model, ids, expected, "cuda")
        result["cuda_largest_difference"] = cuda_worst
    checks = {
        "unl id": result["unl_token_id"] == unl,
        "logits": worst < 1e-4 * scale,
        "[UNL] first": result["argmax_after_prompt_is_unl"],
        "typed text is not the token": not result["typed_unl_text_gives_token"],
    }
    result["failed"] = [name for name, passed in checks.items() if not passed]
    print(json.dumps(result, indent=2))
    sys.exit(1 if result["failed"] else 0)


if __name__ == "__main__":
    main()
