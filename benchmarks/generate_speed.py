"""Generation speed of the shipped model (or a run): tokens per second for several batch sizes (streams generated
at once), and the time per token late in a long generation against early, which a recurrent model keeps equal.

    python benchmarks/generate_speed.py [--run RUN_DIR] [--device cpu|cuda] [--tokens 200]

Writes benchmarks/results/generate_speed_<device>.json."""
import argparse, sys
from pathlib import Path
import torch
sys.path.insert(0, str(Path(__file__).resolve().parent))
import record
from tinygru.sample import generation_speed, load_pretrained, time_per_token
from tinygru.runs import load_run

def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--run", default=None, help="a run or model directory (default: the model that ships with tinygru)")
    ap.add_argument("--device", default="cpu", help="where to generate: cpu or cuda")
    ap.add_argument("--tokens", type=int, default=200, help="tokens generated per stream in each timing")
    a = ap.parse_args()
    model, tok, meta = load_run(a.run, a.device) if a.run else load_pretrained(a.device)
    print(f"model: {meta['num_params']:,} parameters, {meta['model']['n_layers']} x GRU {meta['model']['n_hidden']}, "
          f"vocab {meta['model']['vocab_size']}; device {a.device}; torch threads {torch.get_num_threads()}")
    speed, late = {}, {}
    for b in (1, 4, 16, 64, 256):
        speed[b] = generation_speed(model, tok, b, a.tokens)
        print(f"batch {b:>4}: {speed[b]:>9,.0f} tokens/s")
    for pos in (10, 1000, 10000):
        t, state = time_per_token(model, tok, pos, n=100)
        late[pos] = dict(seconds_per_token=t, state_bytes=state)
        print(f"after {pos:>6,} tokens: {t*1e3:.3f} ms per token; state per stream {state:,} bytes")
    record.write(f"generate_speed_{a.device}", dict(settings=vars(a), num_params=meta["num_params"], model=meta["model"],
                                                    tokens_per_s_by_batch=speed, after_position=late))

if __name__ == "__main__": main()
