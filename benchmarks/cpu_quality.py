"""Issue 6's quality comparison, side by side on one machine: tinygru's `cpu` preset against the plain
`torch.nn.GRU` byte-level baseline (benchmarks/baseline_nngru.py), both trained for about ten minutes on the
shared TinyStories slice (train.txt) and evaluated on the first 200 kB of validation.txt.

    python benchmarks/cpu_quality.py [--data ../shared/data/tinystories] [--out runs/cpu-preset] [--minutes 10]

The baseline trains for `--minutes` of wall-clock time; the preset trains for its fixed number of steps, which
was sized to take about ten minutes on a 2-core machine (the script prints how long it took). tinygru's
loader cleans the text (mojibake repaired, typography straightened), so its 200 kB hold slightly fewer bytes
than the raw ones the baseline reads (about 0.2% of the bytes are mojibake); each side is scored in bits per
byte of the text it was given."""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
import numpy as np

def tinygru_bpb(run, data, nbytes=200_000):
    "Bits per byte of the run's best checkpoint on the first `nbytes` of validation.txt, paragraphs as stories"
    from tinygru.data import clean_story
    from tinygru.tokenizer import eot_id
    from tinygru.train import evaluate, load_run
    model, tok, meta = load_run(run)
    text = Path(data, "validation.txt").read_bytes()[:nbytes].decode("utf-8", errors="ignore")
    paras = [p for p in (clean_story(t) for t in text.split("\n\n")) if p]
    eot, ids = eot_id(tok), []
    for e in tok.encode_batch(paras): ids += [eot] + e.ids
    return evaluate(model, np.array(ids + [eot], dtype=np.int64), tok), meta

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories")))
    ap.add_argument("--out", default="runs/cpu-preset")
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--skip_baseline", action="store_true")
    a = ap.parse_args()
    here = Path(__file__).resolve().parent
    if not a.skip_baseline:
        print("== nn.GRU byte-level baseline", flush=True)
        r = subprocess.run([sys.executable, str(here/"baseline_nngru.py"), "--data", a.data, "--minutes", str(a.minutes)],
                           capture_output=True, text=True, check=True)
        base = r.stdout.strip().splitlines()[-1]; print(base, flush=True)
    print("== tinygru train --preset cpu", flush=True)
    t0 = time.time()
    subprocess.run([sys.executable, "-m", "tinygru.cli", "train", "--preset", "cpu", "--data", a.data, "--out", a.out], check=True)
    minutes = (time.time() - t0) / 60
    res = json.loads(Path(a.out, "results.json").read_text())
    ev, meta = tinygru_bpb(a.out, a.data)
    print(f"tinygru cpu preset: params {meta['num_params']:,}  steps {res['steps']}  tokens {res['tokens']:,}  epochs {res['epochs']:.2f}  "
          f"{res['tokens_per_s']:,.0f} tok/s  wall {minutes:.1f} min (tokenizer and encoding included)  "
          f"val {ev['bpb']:.3f} bits/byte on {ev['bytes']:,} bytes")
    if not a.skip_baseline: print(f"baseline: {base}")

if __name__ == "__main__": main()
