"""Memory at scale: encode a large corpus and train on it, and measure each stage's peak memory and throughput.

The corpus is a local slice's training stories repeated until it reaches `--gb` GB (2 by default: the repeats are
whole stories, so the tokenizer and the encoder see ordinary text; nothing learns from it). Each stage runs as its
own `tinygru` process, as a user would run it:

  1. `tinygru encode` with the shipped tokenizer: the stories streamed from the text file (`iter_stories`), cleaned
     and encoded a batch at a time into `train.bin` (the sidecar's `seconds` is that loop);
  2. `tinygru train` on that encoded corpus for `--steps` steps of the cpu preset (it finds the `.bin` and skips
     encoding).

Two memory numbers per stage: the peak resident set (`ru_maxrss`, what `time -v` prints), and the peak of its
anonymous part (`RssAnon`, sampled every 0.1 s), i.e. without the pages of memory-mapped files (the token file,
Arrow tables), which the kernel can drop and reread at any time. The target is a peak resident set under 1.5 GB
that does not grow with the corpus: run it with `--gb 0.25` beside the default to see that.

    python benchmarks/memory_at_scale.py [--gb 2] [--steps 20] [--work DIR]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, threading, time
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def peak_run(cmd, env):
    "Run `cmd`; `(seconds, peak RSS in MB, peak anonymous RSS in MB, output)`"
    t0, peak_anon = time.time(), [0]
    log = tempfile.TemporaryFile("w+")
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    def sample():
        while p.poll() is None:
            try:
                for line in open(f"/proc/{p.pid}/status"):
                    if line.startswith("RssAnon:"): peak_anon[0] = max(peak_anon[0], int(line.split()[1]))
            except OSError: pass
            time.sleep(0.1)
    th = threading.Thread(target=sample, daemon=True); th.start()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status); th.join()
    log.seek(0); out = log.read()
    if p.returncode: sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{out[-3000:]}")
    return time.time() - t0, usage.ru_maxrss / 1024, peak_anon[0] / 1024, out

def make_corpus(src, dst, gb):
    "`dst/train.txt`: `src/train.txt` repeated to `gb` GB; `dst/validation.txt` copied"
    dst.mkdir(parents=True, exist_ok=True)
    data = (src/"train.txt").read_bytes()
    reps = max(1, round(gb * 1e9 / len(data)))
    with open(dst/"train.txt", "wb") as f:
        for _ in range(reps): f.write(data)
    shutil.copy(src/"validation.txt", dst/"validation.txt")
    return reps, reps * len(data)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gb", type=float, default=2.0, help="size of the training text to build, in GB")
    ap.add_argument("--steps", type=int, default=20, help="training steps to run on it")
    ap.add_argument("--src", default=os.environ.get("TINYGRU_DATA", str(root.parent/"shared/data/tinystories/stories")),
                    help="a directory with train.txt and validation.txt (whole stories, <|endoftext|> format)")
    ap.add_argument("--work", default=None, help="scratch directory (needs about 4x --gb free); default: a temporary one")
    ap.add_argument("--save", default=None, help="the results file (default: benchmarks/results/memory_at_scale_GBgb.json)")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="tinygru-mem-"))
    env = {**os.environ, "HF_DATASETS_CACHE": str(work/"hf-cache"), "PYTHONUNBUFFERED": "1", "TQDM_DISABLE": "1"}
    tinygru = [sys.executable, "-m", "tinygru.cli"]
    try:
        reps, nbytes = make_corpus(Path(a.src), work/"corpus", a.gb)
        print(f"corpus: {a.src}/train.txt repeated {reps} times = {nbytes/1e9:.2f} GB of text")
        run = work/"run"
        s, rss, anon, _ = peak_run([*tinygru, "encode", "--tokenizer", str(root/"tinygru/pretrained"), "--data", str(work/"corpus"),
                                    "--out", str(run/"data")], env)
        meta = json.loads((run/"data"/"train.json").read_text())
        enc = dict(seconds=round(s, 1), encode_loop_seconds=meta["seconds"], peak_rss_mb=round(rss), peak_anon_mb=round(anon),
                   text_mb_per_s=round(meta["bytes"] / 1e6 / s, 2), tokens=meta["tokens"])
        print(f"encode: {s:.0f} s ({meta['bytes']/1e6/s:.1f} MB/s of text end to end; the encoding loop {meta['seconds']:.0f} s), "
              f"{meta['tokens']:,} tokens, peak RSS {rss:,.0f} MB, of it anonymous {anon:,.0f} MB")
        s, rss, anon, out = peak_run([*tinygru, "train", "--out", str(run), "--data", str(work/"corpus"), "--preset", "cpu",
                                      "--tokenizer", str(root/"tinygru/pretrained"), "--max_steps", str(a.steps),
                                      "--eval_every", "1000000", "--ckpt_every", str(a.steps), "--eval_tokens", "65536"], env)
        if "encoding the train" in out: sys.exit("train encoded the corpus again: the benchmark's two stages did not line up")
        tps = json.loads((run/"results.json").read_text()).get("tokens_per_s")
        tr = dict(seconds=round(s, 1), steps=a.steps, peak_rss_mb=round(rss), peak_anon_mb=round(anon), tokens_per_s=tps)
        print(f"train: {a.steps} steps in {s:.0f} s (process total), {tps} tok/s, peak RSS {rss:,.0f} MB, of it anonymous {anon:,.0f} MB")
        res = dict(gb=round(nbytes / 1e9, 2), repeats=reps, encode=enc, train=tr)
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import record
        record.write(f"memory_at_scale_{a.gb:g}gb", res, a.save)
        print(json.dumps(res))
    finally:
        if a.work is None: shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__": main()
