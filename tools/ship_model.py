"""Ship a trained run as the model that comes with the package: `tinygru/pretrained/`, in the Hugging Face layout
that `tinygru.runs.export_run` writes (config.json, float16 model.safetensors, tokenizer.json, tinygru.json with
the checkpoint's metadata, README.md as the model card), plus the run's metrics.jsonl for the training curve.

    python tools/ship_model.py RUN_DIR --command "tinygru train --preset cpu ..." --metrics "- ..." --note "hardware, time"

Ship a model once, not on every change: the weights are a binary file in git."""
import argparse, json, shutil
from pathlib import Path
from tinygru.runs import best_checkpoint, export_run

root = Path(__file__).resolve().parent.parent

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run"); ap.add_argument("--command", required=True)
    ap.add_argument("--metrics", default="", help="the model card's metrics section (markdown)")
    ap.add_argument("--note", default="", help="hardware, date, wall time")
    a = ap.parse_args()
    run, dest = Path(a.run), root/"tinygru"/"pretrained"
    ck = best_checkpoint(run)
    if ck is None: raise SystemExit(f"{run} has no checkpoint")
    res = json.loads((run/"results.json").read_text())
    training = (f"Trained by tinygru itself, once, with\n\n    {a.command}\n\non the whole stories of the TinyStories slice that "
                f"the project tests on (`stories/train.txt`: the first ~1,100 stories of the hub's train split, 0.96 MB, about "
                f"1/2000 of the full split). {res['steps']:,} steps, {res['tokens']:,} tokens ({res['epochs']:.1f} epochs), "
                f"{res['tokens_per_s']:,.0f} tokens/s, {res['train_seconds']/60:.1f} min of training (evaluation excluded); "
                f"checkpoint {ck.name} (the best on validation). {a.note}")
    export_run(ck, dest, half=True, model_name="tinygru: the shipped story model", repo_id="tinygru/pretrained",
               data="the whole stories of a 0.96 MB slice of TinyStories' train split", metrics=a.metrics, training=training)
    shutil.copy(run/"metrics.jsonl", dest/"metrics.jsonl")
    m = json.loads((dest/"tinygru.json").read_text()); m["config"]["out_dir"] = "runs/cpu-preset"
    (dest/"tinygru.json").write_text(json.dumps(m, indent=1))
    print(f"shipped {ck} -> {dest} ({sum(f.stat().st_size for f in dest.rglob('*') if f.is_file())/1e6:.1f} MB)")

if __name__ == "__main__": main()
