"""Which small-data regularisers help tinygru's 10-minute CPU model: a greedy ablation, one run per row.

Each row trains the model of the row before it plus one change (the AWD-LSTM toolkit: locked dropout,
DropConnect on the recurrent matrix, embedding dropout, weight tying, ...) for the same number of steps on
the whole stories of `stories/train.txt`, and scores its best checkpoint as `stories_eval.py` says (the first
~200 kB of whole stories of `stories/validation.txt`, bits per stored byte). A change is kept only if it lowers
bits per byte; the next row builds on the best so far. All rows share one tokenizer (trained once).

    python benchmarks/cpu_ablation.py [--data ../shared/data/tinystories/stories] [--out runs/ablation] [--steps 1700]
    python benchmarks/cpu_ablation.py --stage 2 [--minutes 9]     # then: steps, width, vocabulary for the budget
    python benchmarks/cpu_ablation.py --stage 3                   # then: one change at a time on the cpu preset
    python benchmarks/cpu_ablation.py --stage 4                   # bf16 autocast on the CPU, at the preset's time
    python benchmarks/cpu_ablation.py --stage 5                   # weight decay 1.0, lower dropout, ten minutes

Stage 1 holds the steps fixed (about ten minutes a row on a 2-core machine; `--steps 100` is a quick check of
the script). Stage 2 starts from the best of stage 1 and changes what costs time (steps, width, vocabulary): each
row is sized by a 40-step timing run to train for `--minutes` (evaluation, tokenizer training and encoding are on
top), so the rows compare at equal time. Stage 4 trains under bf16 autocast (CPUs with native bf16: AVX-512 BF16 or
AMX) and gives each row the steps that take as long as the cpu preset's float32 run, from 40-step timing runs of
the preset in float32 and of each row, side by side at the start (kept in `OUT/timing.json`, so a rerun trains only
the rows it has not trained yet). Stage 5 tries on the CPU what `step_ablation.py` found on a GPU (weight decay
1.0 with lower dropout), each row the stage-4 preset plus its change, at the steps it gives (1,600 steps are about
ten minutes of training at the 2-core machine's speed of 2026-12-04, 10,700-11,000 tokens/s)."""
import argparse, json, os, shutil, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_eval import first_stories, tinygru_score

# the cpu preset before this ablation: plain (per-element) dropout 0.35, untied weights
BASE = dict(vocab_size=2048, n_embd=256, n_hidden=512, n_layers=1, dropout=0.35, weight_decay=0.2, batch_size=64,
            seq_len=64, lr=3e-3, min_lr=1e-4, warmup_steps=100, eval_every=100, ckpt_every=100, eval_tokens=54000)
ROWS = [  # (what the row adds, the fields it changes)
    ("dropout 0.35, untied (the old preset)", {}),
    ("locked (variational) dropout", dict(locked_dropout=True)),
    ("DropConnect 0.3 on W_hh", dict(weight_drop=0.3)),
    ("embedding dropout 0.1", dict(embed_drop=0.1)),
    ("tied weights, embedding 512", dict(tie_weights=True, n_embd=512)),
    ("dropout 0.25", dict(dropout=0.25)),
]
STAGE2 = [  # (what the row adds, the fields it changes): sized, by a short timing run, to train for --minutes
    ("as many steps as fit the time", {}),
    ("hidden and embedding 768 (tied)", dict(n_hidden=768, n_embd=768)),
    ("vocabulary 4096", dict(vocab_size=4096)),
]

# the cpu preset of stages 1 and 2 (row 8, 1,500 steps), on which stages 3 and 4 change one thing at a time
ROW8 = dict(vocab_size=4096, n_embd=512, n_hidden=512, n_layers=1, tie_weights=True, dropout=0.35, locked_dropout=True,
            weight_drop=0.3, embed_drop=0.1, weight_decay=0.2, batch_size=64, seq_len=64, lr=3e-3, min_lr=1e-4,
            warmup_steps=100, eval_every=100, ckpt_every=100, eval_tokens=54000)

STAGE3 = [  # (what the row changes in the cpu preset, the fields): each row is the preset plus one change, its steps
    ("sequences of 128, batch 32 (same tokens per step)", dict(seq_len=128, batch_size=32)),
    ("learning rate 5e-3", dict(lr=5e-3)),
]

BF16 = "bf16 autocast, steps for the float32 preset's time"
STAGE4 = [  # (what the row changes in the cpu preset, the fields, the timing run whose speed sizes it: None keeps the preset's steps)
    (BF16, dict(precision="bf16"), BF16),
    ("hidden and embedding 768 (tied), bf16", dict(precision="bf16", n_hidden=768, n_embd=768), "768"),
    ("dropout 0.5, DropConnect 0.5 (bf16, row 9's steps)", dict(precision="bf16", dropout=0.5, weight_drop=0.5), BF16),
    ("bf16 autocast, the preset's steps", dict(precision="bf16"), None),
]

# the cpu preset of stage 4 (row 11), on which stage 5 changes the regularisers
ROW11 = {**ROW8, "dropout": 0.5, "weight_drop": 0.5}
STAGE5 = [  # (what the row changes in row 11, the fields, the steps)
    ("weight decay 1.0, dropout and DropConnect 0.4", dict(weight_decay=1.0, dropout=0.4, weight_drop=0.4), 1500),
    ("weight decay 1.0, dropout and DropConnect 0.3", dict(weight_decay=1.0, dropout=0.3, weight_drop=0.3), 1500),
    ("weight decay 1.0, dropout and DropConnect 0.3, 1,700 steps", dict(weight_decay=1.0, dropout=0.3, weight_drop=0.3), 1700),
    ("weight decay 1.0, dropout and DropConnect 0.2, 1,700 steps", dict(weight_decay=1.0, dropout=0.2, weight_drop=0.2), 1700),
    ("weight decay 1.0, dropout and DropConnect 0.3, 1,800 steps", dict(weight_decay=1.0, dropout=0.3, weight_drop=0.3), 1800),
    ("weight decay 1.0, dropout and DropConnect 0.3, 1,600 steps", dict(weight_decay=1.0, dropout=0.3, weight_drop=0.3), 1600),
    ("the same, the stories in a new order every epoch (the cpu preset)",
     dict(weight_decay=1.0, dropout=0.3, weight_drop=0.3, shuffle=True), 1600),
]

def tokens_per_s(fields, data, tok, out, steps=40):
    "Training tokens per second of `fields` in a short run"
    from tinygru.train import TrainConfig, train
    shutil.rmtree(out, ignore_errors=True)
    cfg = TrainConfig(out_dir=str(out), data=data, tokenizer=tok, **{**fields, "max_steps": steps, "eval_every": 1000,
                                                                     "ckpt_every": 1000, "progress": False})
    res = train(cfg, log=lambda *x: None)
    shutil.rmtree(out, ignore_errors=True)
    return res["tokens_per_s"]

def steps_for(fields, minutes, data, tok, out):
    "Optimizer steps that train `fields` for about `minutes` (from a 40-step timing run), in hundreds"
    from tinygru.train import TrainConfig
    c = TrainConfig(**fields)
    return max(100, int(round(minutes * 60 * tokens_per_s(fields, data, tok, out) / (c.batch_size * c.seq_len * c.grad_accum), -2)))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories/stories")))
    ap.add_argument("--out", default="runs/ablation")
    ap.add_argument("--steps", type=int, default=1700)
    ap.add_argument("--rows", type=int, default=None, help="run only the first ROWS rows")
    ap.add_argument("--stage", type=int, default=1, help="2: the size rows, from the best of stage 1, each sized to --minutes; "
                    "3: changes to the cpu preset; 4: bf16 rows at the float32 preset's time; 5: weight decay and dropout on row 11")
    ap.add_argument("--minutes", type=float, default=9.0, help="stage 2: training time of each row (evaluation excluded)")
    a = ap.parse_args()
    from tinygru.train import TrainConfig, train
    stories, nbytes = first_stories(Path(a.data, "validation.txt"))
    out, best, best_bpb, table, first = Path(a.out), {}, float("inf"), [], 0
    rows, tok, base = ROWS, None, BASE
    if a.stage == 2:
        prev = json.loads((out/"ablation.json").read_text())
        best, best_bpb, table, first, rows = prev["best"], prev["best_bpb"], [
            tuple(r) if len(r) == 7 else (*r[:2], prev["steps"], *r[2:]) for r in prev["rows"]], len(prev["rows"]), STAGE2
        tok = str(out/"row0"/"tokenizer")
    if a.stage in (3, 4):  # one change at a time on the cpu preset (the recorded table's best row), at its steps
        prev = json.loads((Path(__file__).resolve().parent/"results"/"cpu_ablation.json").read_text())
        best_bpb, table, first, rows = prev["best_bpb"], [tuple(r) for r in prev["rows"]], len(prev["rows"]), STAGE3
        base, a.steps = ROW8, 1500
    if a.stage == 4:   # timing runs side by side (the float32 preset before and after the rows), kept for reruns
        rows, tf = [r[:2] for r in STAGE4], out/"timing.json"
        t = json.loads(tf.read_text()) if tf.exists() else {}
        if not all(k in t for *_, k in STAGE4 if k):
            fp32 = [tokens_per_s({**base, "precision": "fp32"}, a.data, None, out/"timing-fp32")]
            for name, change, k in STAGE4:
                if k and k not in t: t[k] = tokens_per_s({**base, **change}, a.data, None, out/"timing")
            fp32.append(tokens_per_s({**base, "precision": "fp32"}, a.data, None, out/"timing-fp32"))
            t["float32 preset"] = sum(fp32) / 2
            out.mkdir(parents=True, exist_ok=True); tf.write_text(json.dumps(t, indent=1))
        ref = t["float32 preset"]
        print(f"float32 preset: {ref:,.0f} tokens/s; " + "; ".join(f"{n}: {v:,.0f} ({v/ref:.2f}x)" for n, v in t.items() if n != "float32 preset"), flush=True)
        sized = {n: int(round(a.steps * t[k] / ref, -2)) if k else a.steps for n, _, k in STAGE4}
    if a.stage == 5:   # rows numbered after stage 4's, each row 11 plus its change, at its own steps
        rows, base, first, sized = [r[:2] for r in STAGE5], ROW11, 13, {n: k for n, _, k in STAGE5}
        best_bpb = min(r[5] for r in json.loads((Path(__file__).resolve().parent/"results"/"cpu_ablation_bf16.json").read_text())["rows"])
    for i, (name, change) in enumerate(rows[:a.rows], first):
        fields = {**base, **(best if a.stage < 3 else {}), **change}   # stages 3, 4: the preset plus this row's change
        run = out/f"row{i}"
        row_tok = tok if fields["vocab_size"] == base["vocab_size"] else None
        t0 = time.time()
        steps = sized[name] if a.stage in (4, 5) else a.steps if a.stage != 2 else steps_for(fields, a.minutes, a.data, row_tok, out/f"timing{i}")
        cfg = TrainConfig(out_dir=str(run), data=a.data, tokenizer=row_tok, max_steps=steps, progress=False, **fields)
        done = (run/"results.json").exists()   # a row trained before: its results, and its training minutes
        res = json.loads((run/"results.json").read_text()) if done else train(cfg, log=lambda *x: None)
        wall = res["train_seconds"] / 60 if done else (time.time() - t0) / 60
        tok = tok or str(run/"tokenizer")
        sc = tinygru_score(run, stories, nbytes)
        kept = sc["bpb"] < best_bpb
        if kept: best, best_bpb = {**best, **change}, sc["bpb"]
        table.append((name, sc["num_params"], steps, res["tokens_per_s"], wall, sc["bpb"], "kept" if kept else "dropped"))
        print(f"row {i}: {name}: {sc['bpb']:.4f} bits/byte  ({'kept' if kept else 'dropped'})  {res['tokens_per_s']:,.0f} tok/s  "
              f"{wall:.1f} min  best ckpt step {sc['checkpoint']}", flush=True)
    print(f"\nscored on the first {len(stories)} whole stories of validation.txt, {nbytes:,} bytes as stored\n")
    print("| row | change | parameters | steps | tokens/s | minutes | bits/byte | |")
    print("|---|---|--:|--:|--:|--:|--:|---|")
    for i, (name, p, steps, tps, wall, bpb, k) in enumerate(table, first if a.stage == 5 else 0):
        print(f"| {i} | {name} | {p:,} | {steps:,} | {tps:,.0f} | {wall:.1f} | {bpb:.4f} | {k} |")
    print(f"\nbest: {json.dumps(best)}  {best_bpb:.4f} bits/byte")
    if a.stage == 4: (out/"stage4.json").write_text(json.dumps(dict(rows=table[first:], timing=t, bytes=nbytes), indent=1))
    if a.stage == 5: (out/"stage5.json").write_text(json.dumps(dict(rows=table, bytes=nbytes), indent=1))
    if a.stage in (3, 4, 5): return
    best_steps = next(r[2] for r in table if r[5] == best_bpb)
    (out/"ablation.json").write_text(json.dumps(dict(rows=table, best=best, best_bpb=best_bpb, best_steps=best_steps, bytes=nbytes), indent=1))

if __name__ == "__main__": main()
