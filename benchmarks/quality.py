"""Quality in equal time, measured side by side in one run: tinygru's `cpu` preset (the layer-normalised GRU) against
three baselines, each given the same treatment, and against itself given that treatment:

- `gru-tuned`: the preset's model and tokenizer, tuned by the same trials as the baselines (the preset's settings
  were chosen for its own ten-minute runs: does tuning them for this budget help?);
- `nngru-bpe`: a language model on `torch.nn.GRU`'s kernel with the preset's BPE tokenizer (no layer norm, an untied
  head, plain dropout), so the table separates the layer from the tokenizer;
- `nngru-byte`: an `nn.GRU` language model on bytes (vocabulary of the 256 byte values and `<|endoftext|>`);
- `transformer`: the transformer notebook's model (`cpu-transformer` preset).

All five train with tinygru's loop (`tinygru train`: the same batches, bf16 autocast where the CPU has it, AdamW,
warmup and cosine decay, checkpoints, the best checkpoint chosen on validation) on the same whole stories. Each
baseline is tuned on the validation split with a budget of short trials (the same for each): a learning-rate grid
around its start value, extended while the best value is at the grid's edge, then dropout x weight decay at the best
rate. `gru` keeps the preset's settings. Short trials warm up for at least `WARMUP_FLOOR` steps.

Equal time: a run of `--minutes` gets the steps that time buys at its configuration's speed, measured side by side
(interleaved rounds; the fastest round counts, since other work on the machine can only slow a round down). The
trials' steps come from a short timing of each start configuration (steps 10 to 40, three rounds), so the trials of
one family get equal steps, and a trial whose settings run faster trains for fewer minutes. The settings change the
speed (the transformer's dropout moves attention off its fastest kernel), so the finals' steps come from each final
configuration's own timing after tuning, over steps 40 to 160 (two rounds). Fixed steps make the results
independent of what else the machine does during the run; each run's own training time is recorded beside them.

Each final configuration trains with every seed in `--seeds`; its best checkpoint is scored by `tinygru.score.score`
(whole stories, each from a fresh state, every token and the story's end predicted, bits per byte of the cleaned
stories) on the whole validation split and on the held-out test split, which no choice above has seen.

    python benchmarks/quality.py [--data DIR] [--out runs/quality] [--minutes 10] [--trial_minutes 2.5] [--seeds 0 1 2]

Writes benchmarks/results/quality.json (machine, date, commit, configurations, seeds, every run); a run that is
already recorded there is not run again, so an interrupted benchmark continues where it stopped."""
import argparse, datetime, hashlib, json, os, statistics, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import record

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT/"benchmarks"/"results"/"quality.json"
WARMUP_FLOOR = 50  # short trials warm up for at least this many steps
BPE, BYTE = "tok-bpe", "tok-byte"

FAMILIES = {  # name: (tokenizer, start configuration, tuned?)
    "gru": (BPE, dict(preset="cpu"), False),
    "gru-tuned": (BPE, dict(preset="cpu"), True),
    "nngru-bpe": (BPE, dict(preset="cpu", layer_norm=False, impl="torch", tie_weights=False, locked_dropout=False,
                            weight_drop=0.0, embed_drop=0.0, dropout=0.2, weight_decay=0.1, lr=3e-3), True),
    "nngru-byte": (BYTE, dict(preset="cpu", n_embd=128, layer_norm=False, impl="torch", tie_weights=False,
                              locked_dropout=False, weight_drop=0.0, embed_drop=0.0, dropout=0.0, weight_decay=0.1,
                              lr=3e-3, batch_size=32, seq_len=256, eval_tokens=210_000), True),
    "transformer": (BPE, dict(preset="cpu-transformer"), True),
}
LR_STEPS = (0.5, 1.0, 2.0)            # the learning-rate grid, as multiples of the start value
DROPOUT, WEIGHT_DECAY = (0.0, 0.2, 0.4), (0.1, 1.0)

def machine()->dict:
    "The machine, the date and the commit (`record.machine`), and whether this CPU multiplies bf16 natively"
    from tinygru.config import cpu_has_bf16
    return dict(record.machine(), bf16=cpu_has_bf16())

def load()->dict:
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}

def save(res:dict):
    "Write the results file whole or not at all (a temporary file, renamed)"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".tmp")
    tmp.write_text(json.dumps(res, indent=1))
    os.replace(tmp, RESULTS)

def args_of(cfg:dict)->list:
    "`tinygru train` options for a configuration"
    out = []
    for k, v in cfg.items():
        out += [f"--{k}", str(v).lower() if isinstance(v, bool) else str(v)]
    return out

def train(out:Path, cfg:dict, tok:Path, data:str, steps:int, evals:int)->dict:
    "Train `cfg` for `steps` steps into `out` (from nothing, or resumed if it stopped), return its results.json"
    every = max(1, steps // evals)
    run = dict(cfg, max_steps=steps, eval_every=every, ckpt_every=every, log_every=10, progress=False)
    cmd = [sys.executable, "-m", "tinygru.cli", "train", "--out", str(out), "--data", data, "--tokenizer", str(tok),
           *args_of(run), *(["--resume"] if (out/"config.json").exists() else [])]
    with open(f"{out}.log", "a") as f: subprocess.run(cmd, check=True, stdout=f, stderr=subprocess.STDOUT)
    return json.loads((out/"results.json").read_text())

def seconds_per_step(out:Path, cfg:dict, tok:Path, data:str, start:int, steps:int)->float:
    "Seconds per training step of `cfg`, from a run's metrics between steps `start` and `steps` (multiples of 10)"
    import shutil
    shutil.rmtree(out, ignore_errors=True)
    train(out, dict(cfg, warmup_steps=10), tok, data, steps, evals=1)
    ms = {m["step"]: m["time"] for m in map(json.loads, open(out/"metrics.jsonl")) if "loss" in m}
    return (ms[steps] - ms[start]) / (steps - start)

def speeds(configs:dict, out:Path, data:str, start:int, steps:int, rounds:int, label:str)->dict:
    "Seconds per step of each `{name: (tokenizer dir, config)}`, timed in interleaved rounds; the fastest counts"
    times = {n: [] for n in configs}
    for r in range(rounds):
        for n, (tok, cfg) in configs.items():
            times[n].append(seconds_per_step(out/f"{label}-{n}", cfg, tok, data, start, steps))
            print(f"{label} round {r}: {n} {times[n][-1]:.3f} s/step", flush=True)
    return {n: dict(seconds_per_step=min(v), rounds=v, from_step=start, to_step=steps) for n, v in times.items()}

def scored(run:Path, data:str)->dict:
    "Bits per byte of the best checkpoint of `run` on the whole validation and test splits, with story intervals"
    from tinygru.runs import load_run
    from tinygru.score import bpb_interval, encode_split, score
    model, tok, meta = load_run(run)
    res = dict(checkpoint=meta["step"], num_params=meta["num_params"])
    for split in ("validation", "test"):
        r = score(model, encode_split(tok, data, split), tok)
        res[split] = dict(bpb=r["bpb"], interval=list(bpb_interval(r)), stories=r["stories"], tokens=r["tokens"],
                          bytes=r["bytes"])
    return res

def key(cfg:dict)->str: return json.dumps(cfg, sort_keys=True)

def run_once(res, name, out, cfg, tok, data, steps, seed, kind)->dict:
    "One training run, recorded under `res['runs']` (skipped if it is there already)"
    k = f"{kind}|{name}|{key(cfg)}|{steps}|{seed}"
    if k in res["runs"]: return res["runs"][k]
    d = out/f"{kind}-{name}-{hashlib.sha1(k.encode()).hexdigest()[:10]}"  # a run resumes only its own directory
    t0 = time.time()
    tr = train(d, dict(cfg, seed=seed), tok, data, steps, evals=10 if kind == "final" else 5)
    rec = dict(kind=kind, family=name, config=cfg, steps=steps, seed=seed, run=str(d), wall_seconds=time.time() - t0,
               train_seconds=tr["train_seconds"], tokens_per_s=tr["tokens_per_s"], epochs=tr["epochs"],
               **(scored(d, data) if kind == "final" else dict(validation=dict(bpb=scored_val(d, data)))),
               date=datetime.datetime.now().isoformat(timespec="seconds"))
    res["runs"][k] = rec
    save(res)
    print(f"{kind:5} {name:12} seed {seed} steps {steps:5}: validation {rec['validation']['bpb']:.4f}"
          + (f", test {rec['test']['bpb']:.4f}" if kind == "final" else "") + f"  ({rec['wall_seconds']/60:.1f} min)  "
          + " ".join(f"{k}={v}" for k, v in cfg.items() if k != "preset"), flush=True)
    return rec

def scored_val(run:Path, data:str)->float:
    "Bits per byte of the best checkpoint of `run` on the whole validation split (what a trial is chosen by)"
    from tinygru.runs import load_run
    from tinygru.score import encode_split, score
    model, tok, _ = load_run(run)
    return score(model, encode_split(tok, data, "validation"), tok)["bpb"]

def tune(res, name, start, tok, data, steps, out)->dict:
    "The best configuration of family `name` on validation: a learning-rate grid, then dropout x weight decay"
    warm = dict(warmup_steps=max(WARMUP_FLOOR, steps // 10))
    trial = lambda cfg: run_once(res, name, out, dict(cfg, **warm), tok, data, steps, 0, "trial")["validation"]["bpb"]
    from tinygru.config import PRESETS
    base_lr = start.get("lr") or PRESETS[start["preset"]]["lr"]
    lrs = sorted(base_lr * m for m in LR_STEPS)
    scores = {lr: trial(dict(start, lr=lr)) for lr in lrs}
    for _ in range(2):  # extend the grid while its best value is at an edge
        best = min(scores, key=scores.get)
        if best == min(scores): new = best / 2
        elif best == max(scores): new = best * 2
        else: break
        scores[new] = trial(dict(start, lr=new))
    lr = min(scores, key=scores.get)
    cands = {key(dict(start, lr=lr)): (dict(start, lr=lr), scores[lr])}
    for p in DROPOUT:
        for wd in WEIGHT_DECAY:
            cfg = dict(start, lr=lr, dropout=p, weight_decay=wd)
            if key(cfg) not in cands: cands[key(cfg)] = (cfg, trial(cfg))
    return min(cands.values(), key=lambda cs: cs[1])[0]

def main():
    global RESULTS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(ROOT.parent/"shared/data/tinystories/stories")),
                    help="the stories: a directory with train, validation and test files (default: $TINYGRU_DATA)")
    ap.add_argument("--out", default="runs/quality", help="where the runs are written")
    ap.add_argument("--minutes", type=float, default=10.0, help="training time of each final run")
    ap.add_argument("--trial_minutes", type=float, default=2.5, help="training time of each tuning trial")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="seeds of the final runs")
    ap.add_argument("--families", nargs="+", default=list(FAMILIES), help="which models to run")
    ap.add_argument("--results", default=str(RESULTS), help="the results file (read to continue, then written)")
    a = ap.parse_args()
    RESULTS = Path(a.results)
    out = Path(a.out).absolute(); out.mkdir(parents=True, exist_ok=True)
    res = load() or dict(machine=machine(), started=datetime.datetime.now().isoformat(timespec="seconds"),
                         data=a.data, minutes=a.minutes, trial_minutes=a.trial_minutes, seeds=a.seeds,
                         families={n: dict(tokenizer=t, start=c, tuned=tu) for n, (t, c, tu) in FAMILIES.items()},
                         grid=dict(lr_multiples=LR_STEPS, dropout=DROPOUT, weight_decay=WEIGHT_DECAY,
                                   warmup_floor=WARMUP_FLOOR), runs={}, speed={}, final={})
    toks = {BPE: ["--vocab_size", "4096"], BYTE: ["--vocab_size", "257"]}
    for t, opt in toks.items():
        if not (out/t/"tokenizer.json").exists():
            subprocess.run([sys.executable, "-m", "tinygru.cli", "tokenizer", "--data", a.data, "--out", str(out/t), *opt],
                           check=True)
    res["families"].update({n: dict(zip(("tokenizer", "start", "tuned"), FAMILIES[n])) for n in a.families})
    if new := [n for n in a.families if n not in res["speed"]]:  # the start configurations' speed: the trials' steps
        res["speed"].update(speeds({n: (out/FAMILIES[n][0], FAMILIES[n][1]) for n in new}, out, a.data, 10, 40, 3,
                                   "speed"))
        save(res)
    steps = lambda speed, minutes: int(round(minutes * 60 / speed["seconds_per_step"] / 10)) * 10
    for n in a.families:
        tok, start, tuned = FAMILIES[n]
        trial_steps = steps(res["speed"][n], a.trial_minutes)
        best = tune(res, n, start, out/tok, a.data, trial_steps, out) if tuned else start
        res["final"].setdefault(n, {}).update(config=best, trial_steps=trial_steps if tuned else None)
        save(res)
    fs, cfg = res.setdefault("final_speed", {}), lambda n: res["final"][n]["config"]
    if new := [n for n in a.families if n not in fs or fs[n].get("config", cfg(n)) != cfg(n)]:  # the finals' timing
        now = machine()
        m = res.setdefault("finals_machine", now)  # the finals may run in a later session than the trials
        sp = speeds({n: (out/FAMILIES[n][0], cfg(n)) for n in new}, out, a.data, 40, 160, 2, "final-speed")
        for n, v in sp.items():
            v["config"] = cfg(n)
            if m["commit"] != now["commit"]: v.update(date=now["date"], commit=now["commit"])
        fs.update(sp)
        save(res)
    final_steps = {n: steps(fs[n], a.minutes) for n in a.families}
    for seed in a.seeds:  # seed by seed, so that an interrupted run has whole comparisons
        for n in a.families:
            tok = FAMILIES[n][0]
            run_once(res, n, out, res["final"][n]["config"], out/tok, a.data, final_steps[n], seed, "final")
    for n in a.families:
        f = res["final"][n]
        rs = [r for r in res["runs"].values() if r["kind"] == "final" and r["family"] == n
              and r["steps"] == final_steps[n] and r["config"] == f["config"]]
        for split in ("validation", "test"):
            v = [r[split]["bpb"] for r in rs]
            f[split] = dict(mean=statistics.mean(v), sd=statistics.stdev(v) if len(v) > 1 else None, runs=v)
        f.update(seeds=[r["seed"] for r in rs], steps=rs[0]["steps"], num_params=rs[0]["num_params"],
                 train_minutes=statistics.mean(r["train_seconds"] for r in rs) / 60,
                 tokens_per_s=statistics.mean(r["tokens_per_s"] for r in rs))
        print(f"{n:12} test {f['test']['mean']:.4f} +- {f['test']['sd'] or 0:.4f}, validation "
              f"{f['validation']['mean']:.4f} +- {f['validation']['sd'] or 0:.4f} ({len(rs)} seeds)", flush=True)
    res["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
    save(res)

if __name__ == "__main__": main()
