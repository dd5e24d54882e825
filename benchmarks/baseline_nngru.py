"""The quality baseline: what a user would write with plain `torch.nn.GRU`.

A byte-level language model (vocabulary: the 256 byte values and one end-of-story symbol; embedding 128, one
nn.GRU layer of 512 units, linear head), AdamW lr 3e-3 with 100 warmup steps then linear decay to 0 at the time
budget, gradient clipping 1.0, stateful truncated BPTT with 32 streams x 128 bytes. Trains on the whole stories of
`stories/train.txt` (each story's bytes as stored, then the end-of-story symbol) for a wall-clock budget, then
reports bits per byte on the first ~200 kB of whole stories of `stories/validation.txt`, scored as
`stories_eval.py` says (the same bytes tinygru's CPU preset is scored on).

    python benchmarks/baseline_nngru.py --minutes 10 [--data ../shared/data/tinystories/stories]
"""
import argparse, math, os, sys, time
from pathlib import Path
import torch, torch.nn as nn, torch.nn.functional as F
sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories_eval import first_stories

EOS = 256  # the end-of-story symbol: one byte's worth of text, as <|endoftext|> counts for tinygru

def byte_stream(stories):
    "One long tensor: the end-of-story symbol, then each story's bytes followed by it"
    ids = [EOS]
    for s in stories: ids += list(s.encode("utf-8")) + [EOS]
    return torch.tensor(ids, dtype=torch.long)

class ByteGRU(nn.Module):
    def __init__(self, emb=128, hidden=512):
        super().__init__()
        self.emb, self.rnn, self.head = nn.Embedding(257, emb), nn.GRU(emb, hidden, batch_first=True), nn.Linear(hidden, 257)
    def forward(self, x, h=None):
        y, h = self.rnn(self.emb(x), h)
        return self.head(y), h

def streams(data, B):
    "Split a 1-d byte tensor into B contiguous streams, one row each"
    L = len(data) // B
    return data[:L*B].view(B, L)

@torch.no_grad()
def eval_bpb(model, data, B=1, T=256):
    model.eval()
    s = streams(data, B); h, nats, n = None, 0.0, 0
    for i in range(0, s.shape[1] - 1, T):
        x, y = s[:, i:i+T], s[:, i+1:i+T+1]
        x = x[:, :y.shape[1]]
        logits, h = model(x, h)
        nats += F.cross_entropy(logits.reshape(-1, 257), y.reshape(-1), reduction="sum").item(); n += y.numel()
    model.train()
    return nats / n / math.log(2)  # one target per stored byte (end of story: one), so bits per byte

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("TINYGRU_DATA", str(Path(__file__).resolve().parents[2]/"shared/data/tinystories/stories")))
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--valid_bytes", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    tr = byte_stream(first_stories(Path(a.data, "train.txt"), math.inf)[0])
    va = byte_stream(first_stories(Path(a.data, "validation.txt"), a.valid_bytes)[0])
    B, T, warmup = 32, 128, 100
    model = ByteGRU()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    s = streams(tr, B); pos, h, step, seen = 0, None, 0, 0
    budget = a.minutes * 60; t0 = time.time()
    while (el := time.time() - t0) < budget:
        lr = 3e-3 * min((step + 1) / warmup, max(0.0, 1 - el / budget))
        for g in opt.param_groups: g["lr"] = lr
        if pos + T + 1 > s.shape[1]: pos, h = 0, None  # next epoch: start the streams again
        x, y = s[:, pos:pos+T], s[:, pos+1:pos+T+1]
        logits, h = model(x, h); h = h.detach()
        loss = F.cross_entropy(logits.reshape(-1, 257), y.reshape(-1))
        opt.zero_grad(set_to_none=True); loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0); opt.step()
        pos += T; step += 1; seen += x.numel()
        if step % 200 == 0: print(f"step {step}  train {loss.item()/math.log(2):.3f} bits/byte  {seen/(time.time()-t0):,.0f} bytes/s", flush=True)
    el = time.time() - t0
    params = sum(p.numel() for p in model.parameters())
    print(f"nn.GRU byte-level baseline: params {params:,}  steps {step}  bytes seen {seen:,}  epochs {seen/len(tr):.2f}  "
          f"{seen/el:,.0f} bytes/s  train(last) {loss.item()/math.log(2):.3f}  val {eval_bpb(model, va):.3f} bits/byte on {len(va) - 1:,} bytes")

if __name__ == "__main__": main()
