"""Training-step throughput of tinygru's GRUs against `torch.nn.GRU`, measured side by side in one run.

    python benchmarks/gru_speed.py                    # CPU, float32
    python benchmarks/gru_speed.py --device cuda      # CUDA, bf16 autocast (nn.GRU runs on cuDNN)
    python benchmarks/gru_speed.py --bf16 --skip_naive --batch 64 --seq 64 --vocab 4096   # CPU: float32 and bf16

Two comparisons, each printed as tokens/s (forward + backward, B*T tokens per step) and ratio to nn.GRU:
  layer: the bare recurrent layer (naive cell loop, fast LN-GRU, fast GRU without layer norm, nn.GRU; on CUDA also
         the fast LN-GRU with its CUDA graphs turned off);
  lm:    the whole language model (embedding -> GRU -> head) on tinygru's GRU vs the same model on nn.GRU.
With --bf16 (CPU) the fast GRUs and nn.GRU are also timed under bf16 autocast, beside their float32 rows.
Defaults are the issue's recurrence-bound sizes: batch 32, seq 128, emb/hidden 512, 1 layer, vocab 512.
Repeats are interleaved (A B C A B C ...) so that machine noise hits all candidates alike; ratios are given for
the median and for the best repeat (the least disturbed, as `timeit` reports).
Writes benchmarks/results/gru_speed_<device>[_bf16].json (machine, date, commit, settings, every row)."""
import argparse, statistics, sys, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F
from tinygru.model import GRU, GRULM, ModelConfig
from tinygru.fast import tune_malloc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import record

def sync(dev):
    if dev == "cuda": torch.cuda.synchronize()

def timeit(fns, repeats, dev, warmup=2):
    "Seconds per call of each fn (median and best), repeats interleaved"
    for f in fns.values():
        for _ in range(warmup): f()
    ts = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            sync(dev); t0 = time.perf_counter(); f(); sync(dev); ts[k].append(time.perf_counter() - t0)
    return {k: (statistics.median(v), min(v)) for k, v in ts.items()}

def layer_fns(a, dev):
    B, T, E, H, L = a.batch, a.seq, a.emb, a.hidden, a.layers
    x = torch.randn(B, T, E, device=dev, requires_grad=True)
    mods = {"naive LN-GRU": GRU(E, H, L, impl="naive"), "fast LN-GRU": GRU(E, H, L)}
    if dev == "cuda": mods["fast LN-GRU, no graphs"] = GRU(E, H, L, cuda_graphs=False)
    mods |= {"fast GRU (no LN)": GRU(E, H, L, layer_norm=False), "nn.GRU": nn.GRU(E, H, L, batch_first=True)}
    if a.bf16: mods |= {f"{k}, bf16": m for k, m in mods.items() if "naive" not in k}
    def step(m, amp):
        def f():
            with torch.autocast(dev, dtype=torch.bfloat16, enabled=amp):
                y, _ = m(x)
            y.float().square().mean().backward()
        return f
    return {k: step(m.to(dev), dev == "cuda" or k.endswith("bf16")) for k, m in mods.items()}

def lm_fns(a, dev):
    cfg = dict(vocab_size=a.vocab, n_embd=a.emb, n_hidden=a.hidden, n_layers=a.layers)
    mods = {"LM naive LN-GRU": GRULM(ModelConfig(**cfg, impl="naive")), "LM fast LN-GRU": GRULM(ModelConfig(**cfg))}
    if dev == "cuda": mods["LM fast LN, no graphs"] = GRULM(ModelConfig(**cfg, cuda_graphs=False))
    mods |= {"LM fast GRU (no LN)": GRULM(ModelConfig(**cfg, layer_norm=False)),   # the same model on nn.GRU's kernel:
             "LM nn.GRU": GRULM(ModelConfig(**cfg, layer_norm=False, impl="torch"))}   # cuDNN on CUDA
    if a.bf16: mods |= {f"{k}, bf16": m for k, m in mods.items() if "naive" not in k}
    idx = torch.randint(0, a.vocab, (a.batch, a.seq + 1), device=dev)
    def step(m, amp):
        def f():
            with torch.autocast(dev, dtype=torch.bfloat16, enabled=amp):
                logits, _ = m(idx[:, :-1])
                loss = F.cross_entropy(logits.float().reshape(-1, a.vocab), idx[:, 1:].reshape(-1))
            loss.backward()
            m.zero_grad(set_to_none=True)
        return f
    return {k: step(m.to(dev), dev == "cuda" or k.endswith("bf16")) for k, m in mods.items()}

def report(title, secs, ref, tokens)->list:
    "Print the table; its rows as dicts"
    print(f"\n{title}")
    print(f"| {'model':<22} | {'tokens/s (median)':>17} | {'× ' + ref + ' (median)':>21} | {'× ' + ref + ' (best)':>19} |")
    print(f"|{'-'*24}|{'-'*18}:|{'-'*22}:|{'-'*20}:|")
    for k, (med, best) in secs.items():
        print(f"| {k:<22} | {tokens/med:>17,.0f} | {secs[ref][0]/med:>21.2f} | {secs[ref][1]/best:>19.2f} |")
    return [dict(model=k, tokens_per_s=tokens / med, ratio_median=secs[ref][0] / med, ratio_best=secs[ref][1] / best,
                 seconds_median=med, seconds_best=best) for k, (med, best) in secs.items()]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    ap.add_argument("--batch", type=int, default=32); ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--emb", type=int, default=512); ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=1); ap.add_argument("--vocab", type=int, default=512)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--only", choices=["layer", "lm"], default=None, help="run one comparison only")
    ap.add_argument("--bf16", action="store_true", help="CPU: also time the fast GRUs and nn.GRU under bf16 autocast")
    ap.add_argument("--skip_naive", action="store_true", help="leave out the (slow) naive loop")
    ap.add_argument("--tune_malloc", action="store_true", help="call tinygru.fast.tune_malloc() first (CPU, glibc)")
    ap.add_argument("--out", default=None, help="results file (default: benchmarks/results/gru_speed_<device>[_bf16].json)")
    a = ap.parse_args(argv)
    if a.device == "cuda" and not torch.cuda.is_available(): sys.exit("--device cuda: no CUDA device available.")
    if a.bf16 and a.device == "cuda": sys.exit("--bf16 is for the CPU: on CUDA every row runs under bf16 autocast.")
    torch.manual_seed(0)
    dev = a.device
    tuned = tune_malloc() if a.tune_malloc else False
    name = torch.cuda.get_device_name() if dev == "cuda" else f"CPU, {torch.get_num_threads()} threads"
    print(f"torch {torch.__version__}, {name}; batch {a.batch}, seq {a.seq}, emb {a.emb}, hidden {a.hidden}, "
          f"layers {a.layers}, vocab {a.vocab}; {'bf16 autocast' if dev == 'cuda' else 'float32 and bf16' if a.bf16 else 'float32'}; "
          f"{a.repeats} interleaved repeats; malloc {'tuned' if tuned else 'default'}")
    tokens = a.batch * a.seq
    res = dict(settings={k: v for k, v in vars(a).items() if k != "out"}, malloc_tuned=tuned, seed=0, tables={})
    for kind, mk, ref in (("layer", layer_fns, "nn.GRU"), ("lm", lm_fns, "LM nn.GRU")):
        if a.only not in (None, kind): continue
        fns = mk(a, dev)
        if a.skip_naive: fns = {k: f for k, f in fns.items() if "naive" not in k}
        res["tables"][kind] = report(f"{'GRU layer' if kind == 'layer' else 'language model'}: training step "
                                     "(forward + backward)", timeit(fns, a.repeats, dev), ref, tokens)
    record.write(f"gru_speed_{dev}{'_bf16' if a.bf16 else ''}", res, a.out)
    return res

if __name__ == "__main__": main()
