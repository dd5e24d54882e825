"""Many variants of the cpu preset at a fixed number of steps, trained side by side in parallel processes and
scored by `stories_eval.py`'s rule: which changes help per step, found in one sitting on a GPU (a dozen runs at
once) or, slowly, on a CPU. It counts steps, not minutes: what each change costs in time on 2 cores is measured by
`cpu_ablation.py`'s timing runs, and only a change that wins at the steps the CPU can afford is worth keeping.

Each run trains `tinygru.train.train` as it is, and this script adds probes from outside (patched into the worker
process, not part of the library until they earn their place):
- weight averages: an exponential moving average of the weights for each decay in `--decays` (warmed up as
  min(d, (1+n)/(10+n)) after n steps), validated with the run at every evaluation; the best average by that
  validation is scored at the end, beside the best raw checkpoint;
- `ar`/`tar`: activation regularisation (Merity et al. 2017): A * mean(o^2) on the head's (dropped) input and
  B * mean((h_t - h_{t-1})^2) on the GRU's outputs, added as gradient hooks (the logged loss stays the cross-entropy);
- `order`: "shuffle" puts the training stories in a new random order every epoch after the first, "shift" rotates
  the token stream by a random offset every epoch (new windows over the same order). (The library has since taken
  up the first, by index rather than by copy: `TrainConfig.shuffle`, on in the `cpu` preset.)

    python benchmarks/step_ablation.py --device cuda --jobs 14 --minutes 7 --results runs/step_ablation.json
    python benchmarks/step_ablation.py --device cpu --jobs 1 --steps 30 --only base,shuffle  # a check of the script

Rows already finished in `--out` are read, not trained again."""
import argparse, json, os, shutil, subprocess, sys, time
from pathlib import Path
import numpy as np
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_eval import first_stories

BASE_STEPS = 2500  # the cpu preset's steps
VARIANTS = [  # (name, TrainConfig fields changed in the cpu preset, probes), most wanted first
    ("base", {}, {}),
    ("shuffle", {}, dict(order="shuffle")),
    ("AR 2, TAR 1", {}, dict(ar=2.0, tar=1.0)),
    ("dropout 0.6, DropConnect 0.6", dict(dropout=0.6, weight_drop=0.6), {}),
    ("two layers", dict(n_layers=2), {}),
    ("vocabulary 2048", dict(vocab_size=2048), {}),
    ("base, seed 1", dict(seed=1), {}),
    ("shift", {}, dict(order="shift")),
    ("4,000 steps", dict(max_steps=4000), {}),
    ("shuffle, AR/TAR, dropout and DropConnect 0.6", dict(dropout=0.6, weight_drop=0.6), dict(order="shuffle", ar=2.0, tar=1.0)),
    ("embedding dropout 0.2", dict(embed_drop=0.2), {}),
    ("DropConnect 0.6", dict(weight_drop=0.6), {}),
    ("sequences of 128, batch 32", dict(seq_len=128, batch_size=32), {}),
    ("width 768, dropout and DropConnect 0.6", dict(n_embd=768, n_hidden=768, dropout=0.6, weight_drop=0.6), {}),
    ("vocabulary 8192", dict(vocab_size=8192), {}),
    ("weight decay 0.5", dict(weight_decay=0.5), {}),
    ("grad clip 0.25", dict(grad_clip=0.25), {}),
    ("AR 1, TAR 0.5", {}, dict(ar=1.0, tar=0.5)),
    ("shuffle, AR/TAR, dropout and DropConnect 0.6, 4,000 steps", dict(dropout=0.6, weight_drop=0.6, max_steps=4000),
     dict(order="shuffle", ar=2.0, tar=1.0)),
    ("dropout 0.7, DropConnect 0.6", dict(dropout=0.7, weight_drop=0.6), {}),
    ("width 640, dropout and DropConnect 0.6", dict(n_embd=640, n_hidden=640, dropout=0.6, weight_drop=0.6), {}),
    ("lr 2e-3", dict(lr=2e-3), {}),
    ("weight decay 1.0", dict(weight_decay=1.0), {}),
    ("weight decay 0.5, shuffle", dict(weight_decay=0.5), dict(order="shuffle")),
    ("weight decay 2.0", dict(weight_decay=2.0), {}),
    ("weight decay 1.0, shuffle", dict(weight_decay=1.0), dict(order="shuffle")),
    ("weight decay 1.0, dropout 0.4, DropConnect 0.4", dict(weight_decay=1.0, dropout=0.4, weight_drop=0.4), {}),
    ("weight decay 0.5, seed 1", dict(weight_decay=0.5, seed=1), {}),
]

def slug(name): return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")

# ---------------------------------------------------------------- the worker: one run, probes patched in
def worker(spec):
    import torch
    import tinygru.train as T
    from tinygru.data import clean_story
    from tinygru.tokenizer import eot_id, load_tokenizer
    probes, decays, out = spec["probes"], spec["decays"], Path(spec["out"])
    st = dict(n=0, best={})  # model, parameters, averages, steps taken, best average by validation
    T.fsync_path = lambda p: None  # a sweep's checkpoints need not survive a power cut

    def add_grad(t, g_extra):
        v = t.detach().float()
        t.register_hook(lambda g: g + g_extra(v).to(g.dtype))

    def tar_grad(y):
        d, g = y[:, 1:] - y[:, :-1], torch.zeros_like(y)
        g[:, 1:] += d
        g[:, :-1] -= d
        return g * (2 * probes["tar"] / d.numel())

    make = T.make_optimizer
    def make_optimizer(model, cfg):
        opt, ps = make(model, cfg), list(model.parameters())
        st.update(model=model, ps=ps, avgs={d: [p.detach().clone() for p in ps] for d in decays})
        step = opt.step
        def step_and_average(*a, **k):
            r = step(*a, **k)
            st["n"] += 1
            with torch.no_grad():
                for d, avg in st["avgs"].items():
                    torch._foreach_lerp_(avg, [p.detach() for p in ps], 1 - min(d, (1 + st["n"]) / (10 + st["n"])))
            return r
        opt.step = step_and_average
        if probes.get("ar"):
            model.head.register_forward_pre_hook(lambda m, a: add_grad(a[0], lambda v: 2 * probes["ar"] * v / v.numel())
                                                 if m.training and a[0].requires_grad else None)
        if probes.get("tar"):
            model.gru.register_forward_hook(lambda m, a, o: add_grad(o[0], tar_grad)
                                            if m.training and o[0].requires_grad else None)
        return opt
    T.make_optimizer = make_optimizer

    def swapped(ws, fn):
        with torch.no_grad():
            old = [p.detach().clone() for p in st["ps"]]
            for p, w in zip(st["ps"], ws): p.copy_(w)
            try: return fn()
            finally:
                for p, w in zip(st["ps"], old): p.copy_(w)

    evaluate = T.evaluate
    def evaluate_too(model, tokens, tok, **kw):
        r = evaluate(model, tokens, tok, **kw)
        if kw.get("max_tokens") and st.get("model") is model:  # the run's periodic validation: the averages too
            rec = dict(step=st["n"], raw=r["bpb"])
            for d, avg in st["avgs"].items():
                rec[str(d)] = b = swapped(avg, lambda: evaluate(model, tokens, tok, **kw))["bpb"]
                if b < st["best"].get(d, (9e9,))[0]: st["best"][d] = (b, st["n"], [a.clone() for a in avg])
            with open(out/"ema.jsonl", "a") as f: f.write(json.dumps(rec) + "\n")
        return r
    T.evaluate = evaluate_too

    if probes.get("order"):
        class Reordered(T.StreamBatches):
            "The library's stateful batches, the stream re-ordered at every new epoch"
            def __init__(self, tokens, B, Tn, rank=0, world=1):
                super().__init__(tokens, B, Tn, rank, world)
                self.base, self.rng = np.asarray(tokens), np.random.default_rng(spec["fields"].get("seed", 0))
                eot = eot_id(load_tokenizer(out/"tokenizer"))
                self.cuts = np.flatnonzero(self.base == eot)
            def next(self):
                if self.pos >= self.steps_per_epoch:
                    if probes["order"] == "shift": self.tokens = np.roll(self.base, -int(self.rng.integers(len(self.base))))
                    else:  # the stories, each with the separator after it, in a new order
                        stories = np.split(self.base, self.cuts[:-1] + 1)
                        self.tokens = np.concatenate([stories[i] for i in self.rng.permutation(len(stories))])
                return super().next()
        T.StreamBatches = Reordered

    cfg = T.preset("cpu", out_dir=str(out), data=spec["data"], tokenizer=spec["tokenizer"], device=spec["device"],
                   progress=False, **{"max_steps": spec["steps"], **spec["fields"]})
    t0 = time.time()
    res = T.train(cfg, log=lambda *a: None)
    stories, nbytes = first_stories(Path(spec["data"], "validation.txt"))
    tok = load_tokenizer(out/"tokenizer")
    ids = [eot_id(tok)]
    for e in tok.encode_batch([clean_story(s) for s in stories]): ids += e.ids + [eot_id(tok)]
    ids = np.array(ids, dtype=np.int64)
    score = lambda: T.bits_per_byte(*(lambda r: (r["loss"] * r["tokens"], nbytes))(evaluate(st["model"], ids, tok, batch_size=1, seq_len=512)))
    final = dict(raw_final=score())
    for d, avg in st["avgs"].items(): final[f"ema{d}_final"] = swapped(avg, score)
    for d, (b, n, ws) in st["best"].items(): final[f"ema{d}_best"], final[f"ema{d}_best_step"] = swapped(ws, score), n
    model, _, meta = T.load_run(out, spec["device"])  # the best raw checkpoint, as tinygru_score reads it
    st["model"] = model
    final.update(best=score(), best_step=meta["step"])
    final.update(steps=res["steps"], train_seconds=res["train_seconds"], wall=time.time() - t0, num_params=res["num_params"])
    (out/"sweep.json").write_text(json.dumps(final, indent=1))

# ---------------------------------------------------------------- the driver
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories/stories")))
    ap.add_argument("--out", default="runs/step_ablation", help="one run directory per variant")
    ap.add_argument("--results", default=None, help="JSON of all rows (default: OUT/step_ablation.json)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--jobs", type=int, default=1, help="runs at a time")
    ap.add_argument("--steps", type=int, default=BASE_STEPS, help="steps of each run (a variant may set its own, scaled alike)")
    ap.add_argument("--minutes", type=float, default=1e9, help="start no run after this many minutes")
    ap.add_argument("--stop_minutes", type=float, default=1e9, help="stop the runs still going after this many minutes")
    ap.add_argument("--only", default=None, help="comma-separated variants, as slugs: " + ", ".join(slug(v[0]) for v in VARIANTS))
    ap.add_argument("--decays", default="0.99,0.995,0.998,0.999")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker: return worker(json.loads(a.worker))
    from tinygru.train import TrainConfig, prepare
    out, t0 = Path(a.out), time.time()
    results = Path(a.results or out/"step_ablation.json")
    decays = [float(d) for d in a.decays.split(",")]
    rows = [v for v in VARIANTS if a.only is None or slug(v[0]) in a.only.split(",")]
    tok = out/"_tokenizer"
    if not (tok/"tokenizer"/"tokenizer.json").exists():
        prepare(TrainConfig(out_dir=str(tok), data=a.data, vocab_size=4096, progress=False), log=lambda *x: None)
    print(f"tokenizer ready at {time.time()-t0:.0f} s; {len(rows)} runs, {a.jobs} at a time, on {a.device}", flush=True)
    todo, running, done = list(rows), {}, {}
    def record():
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps(dict(steps=a.steps, device=a.device, decays=decays, rows=done), indent=1))
    while todo or running:
        for name, (p, f) in list(running.items()):
            if p.poll() is None: continue
            f.close(); del running[name]
            d = out/slug(name)
            r = json.loads((d/"sweep.json").read_text()) if (d/"sweep.json").exists() else dict(error=(d/"log.txt").read_text()[-1500:])
            done[name] = r; record()
            print(f"[{(time.time()-t0)/60:5.1f} min] {name}: " + (f"best {r['best']:.4f} (step {r['best_step']}), "
                  + ", ".join(f"{k} {v:.4f}" for k, v in r.items() if k.startswith("ema") and k.endswith("best"))
                  + f"; {r['train_seconds']:.0f} s" if "best" in r else "FAILED " + r["error"]), flush=True)
        minutes = (time.time() - t0) / 60
        if minutes > a.stop_minutes:
            for name, (p, f) in running.items():
                p.kill(); f.close()
                ema = [json.loads(l) for l in open(out/slug(name)/"ema.jsonl")] if (out/slug(name)/"ema.jsonl").exists() else []
                done[name] = dict(stopped=True, validations=ema)
            record(); print("stopped:", list(running), "not started:", [n for n, *_ in todo]); return
        while todo and len(running) < a.jobs and minutes < a.minutes:
            name, fields, probes = todo.pop(0)
            d = out/slug(name)
            if (d/"sweep.json").exists():
                done[name] = json.loads((d/"sweep.json").read_text()); continue
            shutil.rmtree(d, ignore_errors=True); d.mkdir(parents=True)
            steps = round(fields.get("max_steps", BASE_STEPS) * a.steps / BASE_STEPS)
            spec = dict(fields={k: v for k, v in fields.items() if k != "max_steps"}, probes=probes, decays=decays,
                        out=str(d), data=a.data, device=a.device, steps=steps,
                        tokenizer=str(tok/"tokenizer") if fields.get("vocab_size", 4096) == 4096 else None)
            f = open(d/"log.txt", "w")
            running[name] = (subprocess.Popen([sys.executable, __file__, "--worker", json.dumps(spec)], stdout=f,
                                              stderr=subprocess.STDOUT), f)
        if not running and todo: print("not started (time):", [n for n, *_ in todo]); break
        time.sleep(2)
    record()
    print(f"\n| variant | best checkpoint | " + " | ".join(f"EMA {d}" for d in decays) + " | steps |")
    for name, r in sorted(done.items(), key=lambda kv: kv[1].get("best", 9)):
        if "best" in r: print(f"| {name} | {r['best']:.4f} | " + " | ".join(f"{r.get(f'ema{d}_best', float('nan')):.4f}" for d in decays) + f" | {r['steps']} |")

if __name__ == "__main__": main()
