"""Generation speed of the shipped model (or a run): tokens per second for several batch sizes (streams generated
at once), and the time per token late in a long generation against early, which a recurrent model keeps equal.

    python benchmarks/generate_speed.py [--run RUN_DIR] [--device cpu|cuda] [--tokens 200]"""
import argparse, time
import torch
from tinygru.sample import generation_speed, load_pretrained
from tinygru.tokenizer import eot_id
from tinygru.train import load_run

def per_token(model, tok, pos, n=100):
    "Seconds per token after `pos` tokens have been generated (state carried, batch 1)"
    dev = next(model.parameters()).device
    x, h = torch.tensor([[eot_id(tok)]], device=dev), None
    with torch.no_grad():
        for _ in range(pos): _, h = model(x, h)
        t0 = time.perf_counter()
        for _ in range(n): _, h = model(x, h)
    return (time.perf_counter() - t0) / n

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--run", default=None); ap.add_argument("--device", default="cpu"); ap.add_argument("--tokens", type=int, default=200)
    a = ap.parse_args()
    model, tok, meta = load_run(a.run, a.device) if a.run else load_pretrained(a.device)
    print(f"model: {meta['num_params']:,} parameters, {meta['model']['n_layers']} x GRU {meta['model']['n_hidden']}, "
          f"vocab {meta['model']['vocab_size']}; device {a.device}; torch threads {torch.get_num_threads()}")
    for b in (1, 4, 16, 64, 256):
        print(f"batch {b:>4}: {generation_speed(model, tok, b, a.tokens):>9,.0f} tokens/s")
    state = meta["model"]["n_layers"] * meta["model"]["n_hidden"] * 4
    for pos in (10, 1000, 10000):
        print(f"after {pos:>6,} tokens: {per_token(model, tok, pos)*1e3:.3f} ms per token; state per stream {state:,} bytes")

if __name__ == "__main__": main()
