"""Write benchmarks/README.md from the results files in benchmarks/results/: every number in it is read from a file
that the script which measured it wrote (with the machine, the date and the commit), so none is typed by hand.

    python benchmarks/readme.py            # rewrite benchmarks/README.md
    python benchmarks/readme.py --check    # exit 1 if it is not current (tools/test.py runs this)"""
import json, sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
R = HERE/"results"

def load(name:str)->dict: return json.loads((R/name).read_text())

def where(r:dict)->str:
    "The line that says where and when a results file was measured"
    m = r.get("machine") or {}
    if "provenance" in r:
        p = r["provenance"]
        return f"Measured by `{p['script']}` at commit {p['commit']}, {p['date']}, on {p['machine']}."
    dev = m.get("gpu") or m.get("cpu")
    return (f"Measured on {dev}, {m.get('cores', '?')} cores, torch {m.get('torch')}, {m.get('date', '')[:10]}, "
            f"commit {m.get('commit', '')[:12]}.")

def table(head:list, rows:list, align:str)->str:
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|", *("| " + " | ".join(map(str, r)) + " |" for r in rows)])

def quality()->str:
    q = load("quality.json")
    names = {"gru": "tinygru `--preset cpu` (LN-GRU)", "gru-tuned": "the same LN-GRU, tuned for this budget", "nngru-bpe": "`nn.GRU` on the same BPE (no layer norm, untied head, plain dropout)",
             "nngru-byte": "`nn.GRU` on bytes", "transformer": "the transformer (`cpu-transformer`)"}
    rows = [(names[n], f"{f['num_params']:,}", f"{f['steps']:,}", f"{f['train_minutes']:.2f}", f"{f['tokens_per_s']:,.0f}",
             ", ".join(f"{k} {f['config'][k]}" for k in ("lr", "dropout", "weight_decay") if k in f["config"]) or "the preset's",
             f"{f['test']['mean']:.4f} ± {f['test']['sd']:.4f}", f"{f['validation']['mean']:.4f} ± {f['validation']['sd']:.4f}")
            for n, f in sorted(q["final"].items(), key=lambda nf: nf[1]["test"]["mean"])]
    trials = [r for r in q["runs"].values() if r["kind"] == "trial"]
    trows = [(names[r["family"]], f"{r['config'].get('lr', '')}", r["config"].get("dropout", ""),
              r["config"].get("weight_decay", ""), f"{r['steps']:,}", f"{r['validation']['bpb']:.4f}") for r in trials]
    speed = lambda sp: [(names[n], f"{s['seconds_per_step']:.3f}", ", ".join(f"{x:.3f}" for x in s["rounds"])) for n, s in sp.items()]
    fm = q.get("finals_machine", q["machine"])
    later = "".join(f" The finals of {names[n]}: commit {s['commit']}, {s['date'][:10]}." for n, s in q.get("final_speed", {}).items()
                    if "commit" in s)
    return f"""## Quality in equal time: `quality.py`

The `cpu` preset against three baselines, each given the same treatment, in one run: a language model on `nn.GRU`'s
kernel with the preset's BPE tokenizer (no layer norm, an untied head, plain dropout), an `nn.GRU` on bytes, and the
transformer; beside them, the preset's model tuned the same way. All train in tinygru's loop, on
the same whole stories, under the same bf16 autocast; each tuned model is tuned on validation with the same budget of
{q['trial_minutes']:g}-minute trials (a learning-rate grid extended at its edges, then dropout × weight decay), and
every final trains for {q['minutes']:g} minutes with seeds {', '.join(map(str, q['seeds']))}. A final's steps are what its
time buys at its configuration's steady speed, measured side by side after tuning; the best checkpoint (chosen on
validation) is scored by `tinygru.score` on the whole validation and test splits. The trials (a family's trials get
equal steps): {where(dict(machine=dict(q["machine"], date=q["started"])))} The finals: {where(dict(machine=fm))}{later}
Mean ± standard deviation over the seeds:

{table(["model", "parameters", "steps", "minutes trained", "tokens/s", "tuned", "test bits/byte", "validation bits/byte"], rows, ["---", "--:", "--:", "--:", "--:", "---", "--:", "--:"])}

Seconds per training step of each final configuration, measured side by side from step 40 to step 160 (interleaved
rounds; the fastest counts), which set the finals' steps:

{table(["model", "seconds per step", "the rounds"], speed(q.get("final_speed", {})), ["---", "--:", "---"])}

Seconds per step of each start configuration, from step 10 to step 40 (three interleaved rounds), which set the
trials' steps:

{table(["model", "seconds per step", "the rounds"], speed(q["speed"]), ["---", "--:", "---"])}

The tuning trials (seed 0, validation bits per byte of each trial's best checkpoint):

{table(["model", "lr", "dropout", "weight decay", "steps", "validation bits/byte"], trows, ["---", "--:", "--:", "--:", "--:", "--:"])}
"""

def gru_speed()->str:
    out = ["""## Training-step speed: `gru_speed.py`

Tokens per second of one training step (forward and backward) of whole language models (embedding, GRU, head) on the
naive cell loop, the fast LN-GRU, the fast GRU without layer norm, and the same model on `nn.GRU`'s kernel
(`impl="torch"`; cuDNN on CUDA), repeats interleaved so that noise from other work hits every row alike; the
ratio is to the model on `nn.GRU`, median of the repeats. `python benchmarks/gru_speed.py` (`--device cuda` on a
GPU, `--bf16` for bf16 autocast on a CPU)."""]
    for fn in sorted(R.glob("gru_speed_*.json")):
        r = json.loads(fn.read_text())
        st = r["settings"]
        rows = [(t["model"], f"{t['tokens_per_s']:,.0f}", f"{t['ratio_median']:.2f}") for t in r["tables"]["lm"]]
        out.append(f"`{fn.name}`: batch {st['batch']}, sequence {st['seq']}, embedding {st['emb']}, hidden "
                   f"{st['hidden']}, vocabulary {st['vocab']}, {st['repeats']} repeats. {where(r)}\n\n"
                   + table(["model", "tokens/s", "× the model on nn.GRU"], rows, ["---", "--:", "--:"]))
    return "\n\n".join(out) + "\n"

def generation()->str:
    r = load("generate_speed_cpu.json")
    rows = [(b, f"{v:,.0f}") for b, v in r["tokens_per_s_by_batch"].items()]
    late = [(f"{int(p):,}", f"{v['seconds_per_token'] * 1e3:.3f}", f"{v['state_bytes']:,}") for p, v in r["after_position"].items()]
    return f"""## Generation speed: `generate_speed.py`

The shipped model ({r['num_params']:,} parameters) generating on the CPU: tokens per second for several streams at
once, and the time per token after many tokens, which a recurrent model keeps constant (its state does not grow).
{where(r)}

{table(["streams", "tokens/s"], rows, ["--:", "--:"])}

{table(["after tokens", "ms per token", "state per stream (bytes)"], late, ["--:", "--:", "--:"])}
"""

def encoding()->str:
    r = load("encode_speed.json")
    rows = [(n, f"{r['seconds'][k]:.2f}", f"{r['mb_per_s'][k]:.2f}") for k, n in
            (("bare", "bare `encode_batch` loop"), ("bare_fast", "bare `encode_batch_fast` loop"), ("pipeline", "`encode_corpus`"))]
    return f"""## Encoding speed: `encode_speed.py`

`tinygru.encode.encode_corpus` (batching, `encode_batch_fast`, flattening with separators, writing the `.bin` and its
sidecar) against bare `encode_batch` loops over the same stories, alternating, best of the repeats. The training
stories are repeated to {r['mb']:.1f} MB to reach a realistic size. {where(r)}

{table(["", "seconds", "MB/s"], rows, ["---", "--:", "--:"])}

The pipeline against the bare `encode_batch` loop: {r['pipeline_vs_bare']:.2f}×; against `encode_batch_fast`:
{r['pipeline_vs_bare_fast']:.2f}×.
"""

def cpu_memory()->str:
    r = load("cpu_memory.json")
    med, runs = r["seconds_median"], r["runs"]
    def cell(m, shape, k):
        v = [c[shape][k] * 1e3 for c in runs[m]]
        return f"{med[m][shape][k] * 1e3:.1f} [{min(v):.1f}, {max(v):.1f}]"
    rows = [(shape, *(cell(m, shape, k) for m in ("default", "tuned") for k in ("workspace", "fresh"))) for shape in med["default"]]
    return f"""## Fresh memory on CPU: `cpu_memory.py`

One training step of a fast LN-GRU layer with its big buffers from tinygru's workspace or allocated fresh on every
call, in processes with glibc's default `malloc` and in processes after `tinygru.fast.tune_malloc()`; each setting
in {r['settings']['rounds']} processes, alternating, each keeping its best of {r['settings']['calls']} calls.
Milliseconds: the median over the processes, and their range. {where(r)}

{table(["layer, batch, steps", "default, workspace", "default, fresh", "tune_malloc, workspace", "tune_malloc, fresh"], rows,
       ["---", "--:", "--:", "--:", "--:"])}
"""

def placement()->str:
    r = load("ln_placement.json")
    rows = [(k, f"{v * 1e3:.1f}", f"{r['speed_vs_joint'][k]:.2f}") for k, v in r["seconds_median"].items()]
    return f"""## Where the layer norm goes: `ln_placement.py`

tinygru's joint layer norm over `[x, h]` against the separate placement of Ba et al. (2016) and haste (layer norm on
the input and the hidden products, each over 3H values), both as time loops without autograd, forward and
backward, CPU, float32. {where(r)}

{table(["placement", "ms (median)", "speed × joint"], rows, ["---", "--:", "--:"])}
"""

def memory()->str:
    rows = []
    for fn in sorted(R.glob("memory_at_scale_*.json"), reverse=True):
        r = json.loads(fn.read_text())
        e, t = r["encode"], r["train"]
        rows.append((f"encode, {r['gb']:g} GB", f"{e['seconds']:,.0f}", f"{e['text_mb_per_s']:.2f}", f"{e['peak_rss_mb']:,}", f"{e['peak_anon_mb']:,}"))
        rows.append((f"train {t['steps']} steps, {r['gb']:g} GB", f"{t['seconds']:,.0f}", "", f"{t['peak_rss_mb']:,}", f"{t['peak_anon_mb']:,}"))
    return f"""## Memory at scale: `memory_at_scale.py`

The training stories repeated to a large corpus, then `tinygru encode` with the shipped tokenizer and a few steps of
`tinygru train --preset cpu` on the result, each stage its own process: peak resident set (`ru_maxrss`) and its
anonymous part (without memory-mapped file pages). Encoding streams the stories and writes each batch as it goes;
training memory-maps the token file. {where(json.loads(next(R.glob('memory_at_scale_*.json')).read_text()))}

{table(["stage", "seconds", "text MB/s", "peak RSS (MB)", "of it anonymous (MB)"], rows, ["---", "--:", "--:", "--:", "--:"])}
"""

def web()->str:
    r = load("web_speed.json")
    names = {"wasm": "WebAssembly SIMD", "js": "plain JavaScript"}
    rows = [(names.get(k, k), f"{v['ready_ms']:.1f}", f"{v['first_token_ms']:.1f}", f"{v['open_to_first_token_ms']:.1f}",
             f"{v['tokens_per_s']:.1f}", f"{v['model_tokens_per_s']:.1f}") for k, v in r["kernels"].items()]
    return f"""## The page in the browser: `web_speed.py`

`nbs/web/` is the story page of [the browser notebook](../nbs/09_web.ipynb): the shipped GRU in JavaScript, its
matrix-vector products in a small WebAssembly SIMD kernel (`matvec.wat`) or in plain JavaScript (`?kernel=js`).
`web_speed.py` serves the page on 127.0.0.1, opens it in headless Chromium, writes a seeded story from
"{r['prompt']}" on fresh page loads ({r['repeats']} of them), and records the medians. Measured in Chromium
{r['browser']} on {r['machine']}, {r['date']}, commit {r['commit'][:12]} (load average {r['load_average'][0]}); the aim at
batch 1 is {r['aim_tokens_per_s']} tokens per second. Milliseconds and tokens per second:

{table(["kernel", "model ready", "first token after Write", "page opened to first token", "tokens/s streaming",
        "tokens/s, model alone"], rows, ["---", "--:", "--:", "--:", "--:", "--:"])}
"""

def history()->str:
    rows = [(f"`{fn.name}`", r["provenance"]["script"], r["provenance"]["commit"], r["provenance"]["date"])
            for fn in sorted(R.glob("*.json")) if "provenance" in (r := json.loads(fn.read_text()))
            and not fn.name.startswith("memory")]
    return f"""## Earlier measurements

These files were written by scripts of earlier commits, before the data had its test split, and scored by the rule
of their time; [the recipe](../nbs/05b_recipe.ipynb) and [the transformer notebook](../nbs/08_transformer.ipynb)
read them, and each file's `provenance` says how to run its script again (at its commit).

{table(["results file", "script", "commit", "date"], rows, ["---", "---", "---", "---"])}
"""

def render()->str:
    parts = ["# Benchmarks\n\nEvery script here measures side by side, in one run, and writes a results file in "
             "`benchmarks/results/` with the machine, the date and the commit; this page is written from those "
             "files by `benchmarks/readme.py`. Timings depend on the machine and on what else it runs: read the ratios "
             "of rows measured together, not the absolute numbers.\n"]
    for f, need in ((quality, "quality.json"), (gru_speed, "gru_speed_cpu.json"), (generation, "generate_speed_cpu.json"),
                    (encoding, "encode_speed.json"), (cpu_memory, "cpu_memory.json"), (placement, "ln_placement.json"), (memory, "memory_at_scale_2gb.json")):
        if (R/need).exists(): parts.append(f())
    if (R/"web_speed.json").exists(): parts.append(web())
    parts.append(history())
    return "\n".join(parts)

def main(check=False):
    text, fn = render(), HERE/"README.md"
    if check:
        if fn.read_text() != text: sys.exit("benchmarks/README.md is out of date: run `python benchmarks/readme.py`.")
        return print("benchmarks/README.md is current.")
    fn.write_text(text)
    print(f"wrote {fn} ({len(text):,} chars)")

if __name__ == "__main__": main("--check" in sys.argv[1:])
