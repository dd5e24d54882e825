"""Encoding throughput: tinygru's `encode_corpus` pipeline against a bare `encode_batch` loop over the same text.

    TINYGRU_DATA=/path/to/tinystories python benchmarks/encode_speed.py [--mb 32] [--repeats 3]

A small local copy of TinyStories (a training split of about a megabyte) is repeated (whole stories, in order) up to
`--mb` MB to reach a realistic size. Tokenizers cache the encodings of words they have seen, and repetition
makes that cache hit more often than on fresh text, for both sides alike. Each side runs `--repeats` times,
alternating; the best time of each is kept. The pipeline includes everything `encode_corpus` does: batching,
encoding, flattening with separators, writing the .bin to disk, the byte count and the sidecar.
Writes benchmarks/results/encode_speed.json."""
import argparse, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import record
import datasets
from tinygru.data import load_stories
from tinygru.encode import encode_corpus
from tinygru.tokenizer import train_tokenizer, bytes_per_token

def bare_loop(tok, texts, batch_size, fast=False):
    enc = tok.encode_batch_fast if fast else tok.encode_batch
    for i in range(0, len(texts), batch_size): enc(texts[i:i + batch_size], add_special_tokens=False)

def best(f, repeats):
    ts = []
    for _ in range(repeats): t0 = time.perf_counter(); f(); ts.append(time.perf_counter() - t0)
    return min(ts)

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=32, help="size of the repeated text, MB")
    ap.add_argument("--repeats", type=int, default=3, help="runs of each side, alternating; the best counts")
    ap.add_argument("--batch_size", type=int, default=1024, help="stories per encode_batch call (encode_corpus's default)")
    ap.add_argument("--vocab_size", type=int, default=4096, help="vocabulary of the tokenizer trained for the benchmark")
    a = ap.parse_args()
    datasets.disable_progress_bars()
    stories = list(load_stories(split="train")["text"])
    tok = train_tokenizer(stories, vocab_size=a.vocab_size)
    one = sum(len(t.encode()) for t in stories)
    k = max(1, round(a.mb * 1e6 / one))
    texts = stories * k
    mb = one * k / 1e6
    out = Path(tempfile.mkdtemp())/"bench"
    bare_loop(tok, texts[:5000], a.batch_size)  # warm up
    times = {"bare": [], "bare_fast": [], "pipeline": []}
    for _ in range(a.repeats):  # alternate, so that load from other processes hits all sides alike
        for name, f in [("bare", lambda: bare_loop(tok, texts, a.batch_size)),
                        ("bare_fast", lambda: bare_loop(tok, texts, a.batch_size, fast=True)),
                        ("pipeline", lambda: encode_corpus(tok, texts, out, batch_size=a.batch_size, progress=False))]:
            times[name].append(best(f, 1))
    t = {k: min(v) for k, v in times.items()}
    meta = encode_corpus(tok, texts, out, batch_size=a.batch_size, progress=False)
    print(f"tokenizers byte-level BPE, vocab {tok.get_vocab_size()}")
    print(f"text: TinyStories train slice ({one/1e6:.2f} MB, {len(stories):,} rows) repeated x{k} = {mb:.1f} MB, "
          f"{len(texts):,} rows; batch_size {a.batch_size}; best of {a.repeats}")
    print(f"{'':34}{'seconds':>9}{'MB/s':>9}{'ratio':>8}")
    for name, label in [("bare", "bare encode_batch loop"), ("bare_fast", "bare encode_batch_fast loop"),
                        ("pipeline", "encode_corpus (to .bin + sidecar)")]:
        print(f"{label:<34}{t[name]:>9.2f}{mb / t[name]:>9.1f}{t['bare'] / t[name]:>8.2f}")
    print(f"pipeline / bare encode_batch: {t['bare'] / t['pipeline']:.2f}x   (target >= 0.8)")
    print(f"pipeline / bare encode_batch_fast: {t['bare_fast'] / t['pipeline']:.2f}x")
    print(f"bytes per token: {meta['bytes_per_token']:.3f} (separators excluded; {meta['tokens']:,} tokens incl. {meta['rows']:,} separators, {meta['dtype']})")
    record.write("encode_speed", dict(settings=vars(a), slice_mb=one / 1e6, stories=len(stories), repeated=k, mb=mb,
                                      rows=len(texts), seconds=t, mb_per_s={n: mb / v for n, v in t.items()},
                                      pipeline_vs_bare=t["bare"] / t["pipeline"],
                                      pipeline_vs_bare_fast=t["bare_fast"] / t["pipeline"],
                                      bytes_per_token=meta["bytes_per_token"], tokens=meta["tokens"]))

if __name__ == "__main__": main()
