"""Fresh memory on CPU, measured: one training step of a fast LN-GRU layer (forward and backward) with its big
buffers taken from tinygru's workspace (`tinygru.fast._pooled`) or allocated fresh on every call, in a process with
glibc's default `malloc` and in one after `tinygru.fast.tune_malloc()` (which keeps freed memory in the process).

`tune_malloc` acts on the whole process and cannot be undone, so each setting runs in its own child process; the
children alternate (default, tuned, default, tuned, ...), and inside each the two buffer sources alternate call by
call. Each child keeps the best time of each cell (the least disturbed, as `timeit` reports); the report gives the
median over the children and their range, since one process can run faster than the next by chance of its memory.

    python benchmarks/cpu_memory.py [--rounds 5] [--calls 9]

Writes benchmarks/results/cpu_memory.json (machine, date, commit, settings, every time)."""
import argparse, json, math, statistics, subprocess, sys, time
from pathlib import Path

SHAPES = [(256, 256, 32, 64), (512, 512, 64, 64), (512, 512, 32, 128)]  # (emb, hidden, batch, steps)
SHAPE_NAMES = [f"{E}x{H}, batch {B}, {T} steps" for E, H, B, T in SHAPES]

def child(malloc:str, calls:int)->dict:
    "Best seconds per step of each shape, with the workspace and with fresh buffers, in this process"
    import torch
    from unittest import mock
    import tinygru.fast as fast
    from tinygru.model import LayerNormGRUCell
    if malloc == "tuned": fast.tune_malloc()
    torch.manual_seed(0)
    fresh = lambda like, *shape: like.new_empty(shape)
    out = {}
    for E, H, B, T in SHAPES:
        cell = LayerNormGRUCell(E, H)
        x, h0 = torch.randn(T, B, E, requires_grad=True), torch.zeros(B, H)
        def step(workspace:bool):
            with mock.patch.object(fast, "_pooled", fast._pooled if workspace else fresh):
                fast.ln_gru_sequence(cell, x, h0).sum().backward()
        best = {"workspace": math.inf, "fresh": math.inf}
        for k in best: step(k == "workspace")  # warm-up
        for _ in range(calls):
            for k in best:
                t0 = time.perf_counter(); step(k == "workspace"); best[k] = min(best[k], time.perf_counter() - t0)
        out[f"{E}x{H}, batch {B}, {T} steps"] = best
    return out

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="child processes per malloc setting, alternating")
    ap.add_argument("--calls", type=int, default=9, help="timed calls of each buffer source per shape in a child")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)  # internal: run one setting and print JSON
    a = ap.parse_args(argv)
    if a.child: return print(json.dumps(child(a.child, a.calls)))
    runs = {"default": [], "tuned": []}  # each child's best seconds, by shape and buffer source
    for _ in range(a.rounds):
        for malloc in runs:
            r = subprocess.run([sys.executable, __file__, "--child", malloc, "--calls", str(a.calls)],
                               capture_output=True, text=True, check=True)
            runs[malloc].append(json.loads(r.stdout))
    med = {m: {s: {k: statistics.median(c[s][k] for c in cs) for k in cs[0][s]} for s in cs[0]} for m, cs in runs.items()}
    print(f"one training step of a fast LN-GRU layer: ms, median over {a.rounds} processes of each one's best of "
          f"{a.calls} calls [the processes' range]")
    for s in SHAPE_NAMES:
        print(f"{s}:")
        for m in runs:
            for k in ("workspace", "fresh"):
                v = [c[s][k] * 1e3 for c in runs[m]]
                print(f"  malloc {m:<7} {k:<9} {med[m][s][k] * 1e3:7.1f} [{min(v):.1f}, {max(v):.1f}]")
        ws = [c[s]["fresh"] / c[s]["workspace"] for c in runs["default"]]
        print(f"  fresh / workspace within a default process: {statistics.median(ws):.2f} [{min(ws):.2f}, {max(ws):.2f}]")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import record
    record.write("cpu_memory", dict(settings={k: v for k, v in vars(a).items() if k != "child"}, seconds_median=med,
                                    runs=runs))

if __name__ == "__main__": main()
