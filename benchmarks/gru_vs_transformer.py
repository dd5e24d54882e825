"""The GRU against a transformer on the same budget: the same data (the whole stories of the shared TinyStories
slice), the same tokenizer (one byte-level BPE of 4,096 tokens, trained once), the same training loop, optimiser,
schedule and machine, the same time; only the model differs.

    python benchmarks/gru_vs_transformer.py [--data ../shared/data/tinystories/stories] [--out runs/gru-vs-transformer]
                                            [--minutes 10] [--trial_minutes 2.5] [--device cpu]
    python benchmarks/gru_vs_transformer.py --only generation    # the generation timings of the finished runs

1. Tuning, the same trials for each model, each trained for `--trial_minutes`: three learning rates at the size
   matched to the GRU's `cpu` preset (parameters within 10%), then a smaller and a larger size at the best of those.
2. Finals, each trained for `--minutes`: each model at the matched size and, if a trial found a better one, at the
   size that was best for it, both at their best learning rate.
3. Generation: seconds per token after 10, 1,000 and 5,000 tokens, one stream and 64 at once, and the memory of each
   stream's state: the GRU's hidden vector, the transformer's KV cache over its window (the 256 tokens it was
   trained on) and, with the same weights, a KV cache that keeps everything.

Trials are sized to their time by a short timing run of each shape (steps = minutes x tokens/s / tokens per step),
finals by the speed their shape trained at in the trials (a better estimate than a short run's).
Bits per byte are scored as `stories_eval.py` says (the first ~200 kB of whole stories of `stories/validation.txt`,
against the stored bytes), the GRU carrying its state over the whole text, the transformer its window. The curves
are the runs' periodic validation (the first 54,000 tokens of the validation split). Everything lands in
`benchmarks/results/gru_vs_transformer.json`, which the transformer notebook draws. A run that is already trained is
scored, not trained again."""
import argparse, copy, datetime, json, os, platform, shutil, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_eval import first_stories, tinygru_score

import torch
from tinygru.train import PRESETS, TrainConfig, load_run, prepare, train
from tinygru.sample import time_per_token

GRU = {"arch": "gru", **{k: v for k, v in PRESETS["cpu"].items() if k != "max_steps"}}
TF = {k: v for k, v in PRESETS["cpu-transformer"].items() if k != "max_steps"}
MODELS = {  # the tuning grid of each model: its base (matched to the GRU preset's size), learning rates, sizes
    "gru": dict(base=GRU, lrs=[1.5e-3, 3e-3, 6e-3],
                sizes={"small": dict(n_embd=384, n_hidden=384), "large": dict(n_embd=768, n_hidden=768)}),
    "transformer": dict(base={**TF, "n_embd": 256, "n_layers": 3}, lrs=[1e-3, 2e-3, 4e-3],
                        sizes={"small": dict(n_embd=192, n_layers=3), "large": dict(n_embd=320, n_layers=4)}),
}
POSITIONS, BATCHES = (10, 1000, 5000), (1, 64)

def throughput(fields, data, tok, out, steps=25)->float:
    "Training tokens per second of `fields`, from a short run (evaluation and checkpoints off)"
    shutil.rmtree(out, ignore_errors=True)
    cfg = TrainConfig(out_dir=str(out), data=data, tokenizer=tok, progress=False,
                      **{**fields, "max_steps": steps, "eval_every": 10**6, "ckpt_every": 10**6, "warmup_steps": 5})
    res = train(cfg, log=lambda *a: None)
    shutil.rmtree(out, ignore_errors=True)
    return res["tokens_per_s"]

def run(name, fields, minutes, tps, a, tok, stories, nbytes)->dict:
    "Train `fields` for about `minutes` (steps from the measured `tps`) unless done already; its scores and curve"
    steps = max(20, int(round(minutes * 60 * tps / (fields["batch_size"] * fields["seq_len"]), -1)))
    out = Path(a.out)/name
    cfg = TrainConfig(out_dir=str(out), data=a.data, tokenizer=tok, device=a.device, progress=False,
                      **{**fields, "max_steps": steps, "warmup_steps": min(100, steps // 10),
                         "eval_every": max(10, steps // 10), "ckpt_every": max(10, steps // 10)})
    t0 = time.time()
    res = json.loads((out/"results.json").read_text()) if (out/"results.json").exists() else train(
        cfg, log=lambda *a: None)
    wall = time.time() - t0
    sc = tinygru_score(out, stories, nbytes)
    curve = [(m["time"], m["val_bpb"]) for m in map(json.loads, open(out/"metrics.jsonl")) if "val_bpb" in m]
    r = dict(name=name, arch=fields["arch"], lr=fields["lr"], n_embd=fields["n_embd"], n_layers=fields["n_layers"],
             n_hidden=fields.get("n_hidden"), params=sc["num_params"], steps=steps, tokens=res["tokens"],
             epochs=round(res["epochs"], 2), tokens_per_s=round(res["tokens_per_s"]),
             train_minutes=round(res["train_seconds"] / 60, 2), wall_minutes=round(wall / 60, 2),
             bpb=round(sc["bpb"], 4), best_step=sc["checkpoint"], curve=curve)
    print(f"{name:24} {r['params']:>10,} params  lr {r['lr']:.1e}  {steps:5} steps  {r['tokens_per_s']:>6,} tok/s  "
          f"{r['train_minutes']:5.2f} min  {r['bpb']:.4f} bits/byte", flush=True)
    return r

def generation(a, finals)->list:
    "Seconds per token and state bytes per stream after POSITIONS tokens, at each of BATCHES, for the final models"
    rows = []
    gru = next(f for f in finals if f["arch"] == "gru" and f["name"].endswith("matched"))
    tf = next(f for f in finals if f["arch"] == "transformer" and f["name"].endswith("matched"))
    m_gru, tok, _ = load_run(Path(a.out)/gru["name"])
    m_tf, _, _ = load_run(Path(a.out)/tf["name"])
    m_all = copy.deepcopy(m_tf)
    m_all.cfg.context = None  # the same weights, attending to everything generated
    models = [("GRU", m_gru), (f"transformer, window {m_tf.cfg.context}", m_tf), ("transformer, full cache", m_all)]
    for label, m in models:
        for B in BATCHES:
            for pos in POSITIONS:
                s, nb = time_per_token(m, tok, pos, n=256, batch_size=B)  # two re-reads of a 256-token window
                rows.append(dict(model=label, batch=B, pos=pos, ms_per_token=round(s * 1e3, 3),
                                 tokens_per_s=round(B / s), state_bytes=nb))
                print(f"{label:28} batch {B:3}  after {pos:5} tokens: {s*1e3:8.2f} ms/token "
                      f"({B/s:8,.0f} tokens/s)  {nb:>12,} bytes of state per stream", flush=True)
    return rows

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get(
        "TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories/stories")))
    ap.add_argument("--out", default="runs/gru-vs-transformer")
    ap.add_argument("--minutes", type=float, default=10.0, help="training time of each final run")
    ap.add_argument("--trial_minutes", type=float, default=2.5, help="training time of each tuning trial")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--timing_steps", type=int, default=25, help="steps of the timing run of each shape")
    ap.add_argument("--only", choices=["generation"], help="only redo the generation timings of the finished runs")
    ap.add_argument("--results", default=str(Path(__file__).resolve().parent/"results"/"gru_vs_transformer.json"))
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    if a.only == "generation":
        res = json.loads(Path(a.results).read_text())
        res["generation"] = generation(a, res["finals"])
        return Path(a.results).write_text(json.dumps(res, indent=1))
    stories, nbytes = first_stories(Path(a.data, "validation.txt"))
    t_start = time.time()
    tok = str(Path(a.out)/"tokenizer")
    if not Path(tok, "tokenizer.json").exists():  # one tokenizer for every run
        prepare(TrainConfig(out_dir=str(Path(a.out)/"prep"), data=a.data, vocab_size=GRU["vocab_size"],
                            progress=False), log=lambda *x: None)
        shutil.copytree(Path(a.out)/"prep"/"tokenizer", tok)
    shapes = {(arch, s): {**m["base"], **m["sizes"].get(s, {})} for arch, m in MODELS.items()
              for s in ("matched", "small", "large")}
    fn = Path(a.out)/"tokens_per_s.json"  # measured once: a rerun goes on from the runs already trained
    if fn.exists(): tps = {tuple(k.split()): v for k, v in json.loads(fn.read_text()).items()}
    else:
        tps = {k: throughput(f, a.data, tok, Path(a.out)/"timing", a.timing_steps) for k, f in shapes.items()}
        fn.write_text(json.dumps({" ".join(k): v for k, v in tps.items()}))
    print("training tokens/s:", {f"{k[0]} {k[1]}": round(v) for k, v in tps.items()}, flush=True)
    trials, best = [], {}
    for i in range(3):  # the learning rates at the matched size, the two models' trials interleaved
        for arch, m in MODELS.items():
            f = {**shapes[arch, "matched"], "lr": m["lrs"][i]}
            trials.append(run(f"trial-{arch}-matched-lr{m['lrs'][i]:g}", f, a.trial_minutes, tps[arch, "matched"],
                              a, tok, stories, nbytes) | dict(size="matched"))
    for arch in MODELS:
        best[arch] = min((t for t in trials if t["arch"] == arch), key=lambda t: t["bpb"])["lr"]
    for s in ("small", "large"):
        for arch in MODELS:
            f = {**shapes[arch, s], "lr": best[arch]}
            trials.append(run(f"trial-{arch}-{s}-lr{best[arch]:g}", f, a.trial_minutes, tps[arch, s], a, tok,
                              stories, nbytes) | dict(size=s))
    best_size = {arch: min((t for t in trials if t["arch"] == arch and t["lr"] == best[arch]),
                           key=lambda t: t["bpb"])["size"] for arch in MODELS}
    finals = []
    for s in ("matched", "best"):
        for arch in MODELS:
            size = "matched" if s == "matched" else best_size[arch]
            if s == "best" and size == "matched": continue  # the matched size was the best one
            f = {**shapes[arch, size], "lr": best[arch]}
            speed = [t["tokens_per_s"] for t in trials if t["arch"] == arch and t["size"] == size]
            finals.append(run(f"final-{arch}-{size if s == 'best' else 'matched'}", f, a.minutes,
                              sum(speed) / len(speed), a, tok, stories, nbytes) | dict(size=size))
    res = dict(date=datetime.date.today().isoformat(), machine=f"{os.cpu_count()} cores, {platform.machine()}",
               torch=torch.__version__, device=a.device, minutes=a.minutes, trial_minutes=a.trial_minutes,
               scored_bytes=nbytes, scored_stories=len(stories), tokens_per_s={f"{k[0]} {k[1]}": round(v)
                                                                               for k, v in tps.items()},
               best_lr=best, best_size=best_size, trials=trials, finals=finals)
    res["generation"] = generation(a, finals)
    res["wall_minutes"] = round((time.time() - t_start) / 60, 1)
    Path(a.results).write_text(json.dumps(res, indent=1))
    print(f"written {a.results} ({res['wall_minutes']} min)")

if __name__ == "__main__": main()
