"""Where to put the layer norm, measured: the per-step work of tinygru's joint placement (one layer norm over
the concatenated [x, h], `tinygru.fast._fwd_loop`/`_bwd_loop`) against the separate placement of Ba et al.
(2016) and haste's LayerNormGRU (layer norm on W_x x and on W_h h, each over 3H values with its own gain and
bias). Both as time loops without autograd: the forward saving what its backward needs, then the backward
through time. The separate placement's input side is one big layer norm over all steps (timed with it); per
step it runs PyTorch's fused `native_layer_norm` and its backward on the hidden product. The big input-side
product (the same for both) and the weight gradients after the loop (a few large products each, of similar
size) are left out. CPU, float32.

    python benchmarks/ln_placement.py [--batch 32 --seq 128 --emb 512 --hidden 512 --repeats 15]"""
import argparse, statistics, sys, time
from pathlib import Path
import torch, torch.nn.functional as F
from tinygru.model import LayerNormGRUCell
from tinygru.fast import _bwd_loop, _fwd_loop, _x_stats

def joint_inputs(cell, x, h0):
    "What `ln_gru_sequence` prepares for tinygru's loops (the big input product, common to both, is not timed)"
    E, H = cell.n_in, cell.n_hidden
    wi, wh, g, b = cell.weight_ih, cell.weight_hh, cell.ln_weight, cell.ln_bias
    return (F.linear(x, wi * g[:E]), x, h0, wh * g[E:], wi @ g[:E], cell.bias_ih + wi @ b[:E], cell.bias_hh + wh @ b[E:])

def joint(gx, x, h0, wh, cx, bx, bh, dhs, D, eps=1e-5):
    "tinygru's loops: the input statistics, the forward saving what the backward needs, the backward"
    sx, qx = _x_stats(x, D)
    hs, *saved = _fwd_loop(gx, sx, qx, h0, wh, cx, bx, bh, D=D, eps=eps, ln=True, save=True)
    return _bwd_loop(dhs, h0, wh, cx, hs, *saved, D=D, ln=True)

def separate(gx, h0, wh, gam_h, bet_h, gam_i, bet_i, dhs, eps=1e-5):
    "The separate placement: LN_i(W_x x) for all steps at once, LN_h(W_h h) per step"
    T, B, H3 = gx.shape; H = H3 // 3
    gi_s = F.layer_norm(gx, (H3,), gam_i, bet_i, eps)                  # the whole input side, once
    ghr_s, gh_s, rz_s, n_s = (gx.new_empty(T, B, k) for k in (H3, H3, 2*H, H))
    mean_s, rstd_s, hs = gx.new_empty(T, B, 1), gx.new_empty(T, B, 1), gx.new_empty(T, B, H)
    wht, h = wh.t(), h0
    for t in range(T):
        torch.mm(h, wht, out=ghr_s[t])
        gh, mean, rstd = torch.native_layer_norm(ghr_s[t], (H3,), gam_h, bet_h, eps)
        mean_s[t], rstd_s[t], gh_s[t] = mean, rstd, gh
        r, z, n = rz_s[t][:, :H], rz_s[t][:, H:], n_s[t]
        torch.add(gi_s[t][:, :2*H], gh[:, :2*H], out=rz_s[t]).sigmoid_()
        torch.addcmul(gi_s[t][:, 2*H:], r, gh[:, 2*H:], out=n).tanh_()
        h = torch.lerp(n, h, z, out=hs[t])
    dgi_s, dh = gx.new_empty(T, B, H3), dhs[T-1].clone()
    dgh, dn, tmp = gx.new_empty(B, H3), gx.new_empty(B, H), gx.new_empty(B, H)
    for t in range(T-1, -1, -1):
        r, z, n, ghn, hp = rz_s[t][:, :H], rz_s[t][:, H:], n_s[t], gh_s[t][:, 2*H:], (hs[t-1] if t else h0)
        dgi = dgi_s[t]; dar, daz, dan = dgi[:, :H], dgi[:, H:2*H], dgi[:, 2*H:]
        torch.addcmul(dh, dh, z, value=-1, out=dn)
        torch.addcmul(dn, dn, torch.mul(n, n, out=tmp), value=-1, out=dan)
        torch.mul(dan, r, out=dgh[:, 2*H:])
        torch.mul(dan, ghn, out=tmp).mul_(r)
        torch.addcmul(tmp, tmp, r, value=-1, out=dar)
        torch.sub(hp, n, out=daz).mul_(dn).mul_(z)
        dgh[:, :2*H] = dgi[:, :2*H]
        dghr = torch.ops.aten.native_layer_norm_backward(dgh, ghr_s[t], (H3,), mean_s[t], rstd_s[t], gam_h, bet_h,
                                                         [True, False, False])[0]
        dhat = dghr @ wh
        torch.addcmul(dhs[t-1] if t else torch.zeros_like(dh), dh, z, out=dh).add_(dhat)
    return dgi_s, dh

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=32, help="streams per step")
    ap.add_argument("--seq", type=int, default=128, help="time steps per call")
    ap.add_argument("--emb", type=int, default=512, help="input size")
    ap.add_argument("--hidden", type=int, default=512, help="state size")
    ap.add_argument("--repeats", type=int, default=15, help="interleaved repeats of each placement; the median counts")
    a = ap.parse_args(argv)
    torch.manual_seed(0)
    B, T, E, H = a.batch, a.seq, a.emb, a.hidden
    cell = LayerNormGRUCell(E, H).requires_grad_(False)
    x, h0, dhs = torch.randn(T, B, E), torch.zeros(B, H), torch.randn(T, B, H)
    gx = F.linear(x, cell.weight_ih)
    sep_args = (gx, h0, cell.weight_hh, torch.ones(3*H), torch.zeros(3*H), torch.ones(3*H), torch.zeros(3*H), dhs)
    jargs = joint_inputs(cell, x, h0)
    fns = {"joint (tinygru)": lambda: joint(*jargs, dhs, E + H), "separate (Ba et al., haste)": lambda: separate(*sep_args)}
    for f in fns.values(): f(); f()
    ts = {k: [] for k in fns}
    for _ in range(a.repeats):
        for k, f in fns.items():
            t0 = time.perf_counter(); f(); ts[k].append(time.perf_counter() - t0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; batch {B}, seq {T}, emb {E}, hidden {H}; "
          f"forward + backward time loops, median of {a.repeats} interleaved repeats")
    ref = statistics.median(ts["joint (tinygru)"])
    for k, v in ts.items():
        m = statistics.median(v)
        print(f"{k:<30} {m*1e3:8.1f} ms  {m/T*1e6:6.0f} us/step  speed x joint {ref/m:5.2f}")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import record
    record.write("ln_placement", dict(settings=vars(a), seconds_median={k: statistics.median(v) for k, v in ts.items()},
                                      speed_vs_joint={k: ref / statistics.median(v) for k, v in ts.items()}))

if __name__ == "__main__": main()
