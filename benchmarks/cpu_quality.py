"""The CPU quality comparison, side by side on one machine: tinygru's `cpu` preset against the plain
`torch.nn.GRU` byte-level baseline (benchmarks/baseline_nngru.py), both trained for about ten minutes on the
whole stories of the shared TinyStories slice (`stories/train.txt`) and scored by the same rule
(`stories_eval.py`): the first ~200 kB of whole stories of `stories/validation.txt`, bits per byte of the
stories as stored, each `<|endoftext|>` one byte, the state carried over the whole text.

    python benchmarks/cpu_quality.py [--data ../shared/data/tinystories/stories] [--out runs/cpu-preset] [--minutes 10]

The baseline trains for `--minutes` of wall-clock time; the preset trains for its fixed number of steps, which
was sized to take about ten minutes on a 2-core machine (the script prints how long it took, tokenizer
training and encoding included). A run directory that is already trained is scored, not trained again."""
import argparse, json, os, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_eval import first_stories, tinygru_score

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories/stories")))
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
    if not Path(a.out, "results.json").exists():
        subprocess.run([sys.executable, "-m", "tinygru.cli", "train", "--preset", "cpu", "--data", a.data, "--out", a.out, "--progress", "false"], check=True)
    else: print(f"{a.out} is already trained: scoring it")
    minutes = (time.time() - t0) / 60
    res = json.loads(Path(a.out, "results.json").read_text())
    stories, nbytes = first_stories(Path(a.data, "validation.txt"))
    sc = tinygru_score(a.out, stories, nbytes)
    print(f"tinygru cpu preset: params {sc['num_params']:,}  steps {res['steps']}  tokens {res['tokens']:,}  epochs {res['epochs']:.2f}  "
          f"{res['tokens_per_s']:,.0f} tok/s  train {res['train_seconds']/60:.1f} min (wall {minutes:.1f} min here)  "
          f"val {sc['bpb']:.3f} bits/byte on {nbytes:,} bytes ({len(stories)} whole stories)")
    if not a.skip_baseline: print(f"baseline: {base}")

if __name__ == "__main__": main()
