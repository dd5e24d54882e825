"""Copy a trained run's best checkpoint into tinygru/pretrained/ (the model that ships with the package):
weights in float16 safetensors (half the size; they load into the float32 model unchanged), the tokenizer,
the checkpoint's metadata, the run's metrics, and TRAINING.md saying how it was made.

    python tools/ship_model.py RUN_DIR --command "tinygru train --preset cpu ..." --note "hardware, time"

Ship a model once, not on every change: the weights are a binary file in git."""
import argparse, json, shutil
from pathlib import Path
import torch
from safetensors.torch import load_file, save_file
from tinygru.train import best_checkpoint

root = Path(__file__).resolve().parent.parent

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run"); ap.add_argument("--command", required=True); ap.add_argument("--note", default="")
    a = ap.parse_args()
    run, dest = Path(a.run), root/"tinygru"/"pretrained"
    ck = best_checkpoint(run)
    if ck is None: raise SystemExit(f"{run} has no checkpoint")
    if dest.exists(): shutil.rmtree(dest)
    (dest/"tokenizer").mkdir(parents=True)
    w = load_file(ck/"model.safetensors")
    save_file({k: v.to(torch.float16) for k, v in w.items()}, dest/"model.safetensors")
    shutil.copy(run/"tokenizer"/"tokenizer.json", dest/"tokenizer"/"tokenizer.json")
    meta = json.loads((ck/"meta.json").read_text())
    meta["config"]["out_dir"] = "runs/cpu-preset"
    (dest/"meta.json").write_text(json.dumps(meta, indent=1))
    shutil.copy(run/"metrics.jsonl", dest/"metrics.jsonl")
    res = json.loads((run/"results.json").read_text())
    (dest/"TRAINING.md").write_text(f"""# The shipped model

Trained by tinygru itself, once, with

    {a.command}

on the TinyStories slice in `shared/data/tinystories/` (train.txt: the first ~1,000 stories of the hub's train
split, about 0.94 MB, about 1/2000 of the full training split; validation.txt for evaluation). It saw only that
slice, so it writes like TinyStories but knows less than a model trained on the full data would.

- parameters: {meta['num_params']:,} (stored as float16: {(dest/'model.safetensors').stat().st_size/1e6:.1f} MB)
- steps: {res['steps']:,}; tokens seen: {res['tokens']:,} ({res['epochs']:.1f} epochs over the slice)
- throughput: {res['tokens_per_s']:,.0f} tokens/s; training time {res['train_seconds']/60:.1f} min (evaluation excluded)
- validation (first {meta.get('val_tokens', 0):,} tokens of the validation slice): {meta['val_loss']:.4f} nats/token, {meta['val_bpb']:.4f} bits/byte
- checkpoint: {ck.name}; {a.note}
""")
    print(f"shipped {ck} -> {dest} ({sum(f.stat().st_size for f in dest.rglob('*') if f.is_file())/1e6:.1f} MB)")

if __name__ == "__main__": main()
