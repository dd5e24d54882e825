// tinygru.js: tinygru's layer-normalised GRU language model, its byte-level BPE tokenizer and its sampling filters,
// in plain JavaScript with typed arrays and no dependencies. The page (index.html) loads it as a script; Node loads it
// with require() for the tests in nbs/09_web.ipynb. Each part mirrors a Python function, named in its comment.
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.tinygru = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  const EOT = "<|endoftext|>";

  // ---- The weights: a safetensors file of float16 tensors, the model's config in its metadata ----

  let F16 = null;
  function f16Table() {
    // float16 bits -> float32 value, all 65,536 of them (Float16Array is not in every browser yet)
    if (F16) return F16;
    F16 = new Float32Array(65536);
    for (let i = 0; i < 65536; i++) {
      const s = i & 0x8000 ? -1 : 1, e = (i >> 10) & 0x1f, m = i & 0x3ff;
      F16[i] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
    }
    return F16;
  }

  function readWeights(buf) {
    // {config, tensors: {name: {shape, raw: Uint16Array of float16 bits}}} from the bytes export_web wrote
    const n = Number(new DataView(buf).getBigUint64(0, true));  // the JSON header's length
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n)));
    const meta = header.__metadata__ || {};
    if (meta.format !== "tinygru-web") throw new Error("This is not a model file written by tinygru's export_web.");
    const tensors = {}, start = 8 + n;
    for (const [name, info] of Object.entries(header)) {
      if (name === "__metadata__") continue;
      if (info.dtype !== "F16") throw new Error(`${name} is ${info.dtype}: export_web writes float16 (F16) only.`);
      const [a, b] = info.data_offsets;
      const raw = (start + a) % 2 ? new Uint16Array(buf.slice(start + a, start + b))
                                  : new Uint16Array(buf, start + a, (b - a) / 2);
      tensors[name] = {shape: info.shape, raw};
    }
    return {config: JSON.parse(meta.config), tensors};
  }

  // ---- Two kernels for out = W @ x + b: plain JavaScript, and WebAssembly SIMD (matvec.wat) ----

  function matvecJS(W, b, x, out, rows) {
    // W row-major (rows, x.length); four running sums let the CPU overlap the multiply-adds
    const n = x.length;
    for (let i = 0, o = 0; i < rows; i++, o += n) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, j = 0;
      for (; j + 3 < n; j += 4) {
        s0 += W[o + j] * x[j];
        s1 += W[o + j + 1] * x[j + 1];
        s2 += W[o + j + 2] * x[j + 2];
        s3 += W[o + j + 3] * x[j + 3];
      }
      for (; j < n; j++) s0 += W[o + j] * x[j];
      out[i] = b[i] + (s0 + s1) + (s2 + s3);
    }
  }

  function arena(sizes, wasm) {
    // Float32Arrays of the given sizes, 16-byte aligned; in one WebAssembly memory when `wasm` (the module's bytes)
    // is given and the browser runs SIMD, so the kernel can reach them. Returns {arrays, matvec, kernel}
    let total = 0;
    const offs = sizes.map((n) => { const o = total; total += Math.ceil(n / 4) * 4; return o; });
    if (wasm && WebAssembly.validate(wasm)) {
      const memory = new WebAssembly.Memory({initial: Math.ceil((total * 4) / 65536) + 1});
      const mv = new WebAssembly.Instance(new WebAssembly.Module(wasm), {env: {memory}}).exports.matvec;
      const arrays = sizes.map((n, i) => new Float32Array(memory.buffer, offs[i] * 4, n));
      const matvec = (W, b, x, out, rows) =>
        mv(W.byteOffset, x.byteOffset, b.byteOffset, out.byteOffset, rows, x.length);
      return {arrays, matvec, kernel: "wasm"};
    }
    return {arrays: sizes.map((n) => new Float32Array(n)), matvec: matvecJS, kernel: "js"};
  }

  // ---- The model: GRULM.forward one token at a time (LayerNormGRUCell.step, GRULM._embed, the head) ----

  class GRUModel {
    constructor({config, tensors}, wasm = null) {
      // `wasm`: the bytes of matvec.wasm, for the SIMD kernel; without them (or SIMD), the JavaScript one
      const c = (this.config = config);
      Object.assign(this, {V: c.vocab_size, E: c.n_embd, H: c.n_hidden, L: c.n_layers});
      const {E, H, V, L} = this, names = ["emb.weight", "head.bias"], sizes = [];
      if (!c.tie_weights) names.push("head.weight");
      const cellNames = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];
      if (c.layer_norm) cellNames.push("ln_weight", "ln_bias");
      for (let l = 0; l < L; l++) for (const k of cellNames) names.push(`gru.cells.${l}.${k}`);
      for (const k of names) {
        if (!tensors[k]) throw new Error(`The model file has no ${k}: export it again with export_web.`);
        sizes.push(tensors[k].raw.length);
      }
      const cellsIn = Array.from({length: L}, (_, l) => (l ? H : E));
      const bufs = [E, 3 * H, 3 * H, V, H, H, ...cellsIn.map((n) => n + H), ...cellsIn.map(() => H)];
      const wasmOk = wasm && cellsIn.every((n) => n % 16 === 0) && H % 16 === 0;  // the SIMD kernel's row lengths
      const {arrays, matvec, kernel} = arena([...sizes, ...bufs], wasmOk ? wasm : null);
      Object.assign(this, {matvec, kernel, nParams: sizes.reduce((a, b) => a + b, 0)});
      const w = {}, table = f16Table();
      names.forEach((k, i) => {  // float16 -> float32, straight into place
        const raw = tensors[k].raw, out = (w[k] = arrays[i]);
        for (let j = 0; j < raw.length; j++) out[j] = table[raw[j]];
      });
      [this.x, this.gi, this.gh, this.logits, this.r, this.z] = arrays.slice(names.length);
      this.u = arrays.slice(names.length + 6, names.length + 6 + L);  // [x, h], layer-normalised, per layer
      this.h = arrays.slice(names.length + 6 + L);  // the state: all the past there is
      this.emb = w["emb.weight"];
      this.head = c.tie_weights ? this.emb : w["head.weight"];
      this.headBias = w["head.bias"];
      this.embScale = c.tie_weights ? Math.fround(Math.sqrt(E)) : 1;  // as a float32 scalar, as PyTorch uses it
      this.cells = cellsIn.map((nin, l) => {
        const p = `gru.cells.${l}.`;
        return {nin, wih: w[p + "weight_ih"], whh: w[p + "weight_hh"], bih: w[p + "bias_ih"], bhh: w[p + "bias_hh"],
                lnw: c.layer_norm ? w[p + "ln_weight"] : null, lnb: c.layer_norm ? w[p + "ln_bias"] : null};
      });
      this.gateLayer = 0;  // whose gates this.r and this.z hold after a step
    }

    reset() { for (const h of this.h) h.fill(0); }

    step(id, withLogits = true) {
      // Read token `id`: update the state; the next-token logits in this.logits (skipped for a prompt's inner tokens)
      const {E, H, V} = this;
      if (!(Number.isInteger(id) && id >= 0 && id < V)) throw new Error(`Token id ${id} is not in 0..${V - 1}.`);
      const x = this.x, emb = this.emb, s = this.embScale, off = id * E;
      for (let i = 0; i < E; i++) x[i] = emb[off + i] * s;
      let inp = x;
      for (let l = 0; l < this.L; l++) {
        const c = this.cells[l], h = this.h[l], u = this.u[l], nin = c.nin, N = nin + H;
        u.set(inp);
        u.set(h, nin);
        if (c.lnw) {  // layer norm over [x, h]
          let mean = 0, v = 0;
          for (let i = 0; i < N; i++) mean += u[i];
          mean /= N;
          for (let i = 0; i < N; i++) v += (u[i] - mean) ** 2;
          const inv = 1 / Math.sqrt(v / N + this.config.ln_eps);
          for (let i = 0; i < N; i++) u[i] = (u[i] - mean) * inv * c.lnw[i] + c.lnb[i];
        }
        const gi = this.gi, gh = this.gh, keep = l === this.gateLayer;
        this.matvec(c.wih, c.bih, u.subarray(0, nin), gi, 3 * H);  // rows r, z, n, as nn.GRU
        this.matvec(c.whh, c.bhh, u.subarray(nin), gh, 3 * H);
        for (let j = 0; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(gi[j] + gh[j])));
          const z = 1 / (1 + Math.exp(-(gi[H + j] + gh[H + j])));
          const n = Math.tanh(gi[2 * H + j] + r * gh[2 * H + j]);  // the candidate sees the reset-filtered term
          h[j] = (1 - z) * n + z * h[j];  // interpolate with the previous state
          if (keep) { this.r[j] = r; this.z[j] = z; }
        }
        inp = h;
      }
      if (withLogits) this.matvec(this.head, this.headBias, inp, this.logits, V);
      return this.logits;
    }
  }

  // ---- The tokenizer: HF tokenizers' byte-level BPE (ByteLevel pre-tokenizer, BPE model, ByteLevel decoder) ----

  // GPT-2's split regex, as HF tokenizers runs it with Oniguruma, whose \s is Unicode's White_Space (U+0085 in,
  // U+FEFF out); JavaScript's \s differs on those two, so the class is spelled out
  const WS = "\\t\\n\\v\\f\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  const SPLIT = new RegExp(`'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^${WS}\\p{L}\\p{N}]+` +
                           `|[${WS}]+(?![^${WS}])|[${WS}]+`, "gu");

  function byteChars() {
    // GPT-2's bytes_to_unicode: each byte as a printable character (the printable ones as themselves)
    const bs = [], cs = [];
    for (let b = 0; b < 256; b++) if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174) bs.push(b);
    cs.push(...bs);
    for (let b = 0, n = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
    const toChar = new Array(256), toByte = new Map();
    bs.forEach((b, i) => { toChar[b] = String.fromCodePoint(cs[i]); toByte.set(cs[i], b); });
    return {toChar, toByte};
  }

  class MergeQueue {
    // a binary heap of candidate merges [rank, pos, newId]: the lowest rank first, then the leftmost (HF's order)
    constructor() { this.a = []; }
    less(x, y) { return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]); }
    push(m) {
      const a = this.a;
      a.push(m);
      for (let i = a.length - 1; i > 0;) {
        const p = (i - 1) >> 1;
        if (!this.less(a[i], a[p])) break;
        [a[i], a[p]] = [a[p], a[i]];
        i = p;
      }
    }
    pop() {
      const a = this.a, top = a[0], last = a.pop();
      if (a.length) {
        a[0] = last;
        for (let i = 0; ;) {
          const l = 2 * i + 1, r = l + 1;
          let m = i;
          if (l < a.length && this.less(a[l], a[m])) m = l;
          if (r < a.length && this.less(a[r], a[m])) m = r;
          if (m === i) break;
          [a[i], a[m]] = [a[m], a[i]];
          i = m;
        }
      }
      return top;
    }
  }

  class Tokenizer {
    constructor(json) {
      const j = typeof json === "string" ? JSON.parse(json) : json, m = j.model;
      if (m.type !== "BPE" || !j.pre_tokenizer || j.pre_tokenizer.type !== "ByteLevel" || j.normalizer)
        throw new Error("tinygru.js reads byte-level BPE tokenizers (tinygru's byte_level_bpe kind) only.");
      if (j.pre_tokenizer.add_prefix_space) throw new Error("add_prefix_space is not supported.");
      this.vocab = new Map(Object.entries(m.vocab));
      this.tokens = [];
      for (const [t, i] of this.vocab) this.tokens[i] = t;
      this.added = new Map();
      this.special = new Set();
      for (const a of j.added_tokens || []) {
        this.added.set(a.content, a.id);
        this.tokens[a.id] = a.content;
        if (a.special) this.special.add(a.id);
      }
      const n = this.tokens.length;
      this.merges = new Map();  // (left id, right id) -> [rank, merged id]
      m.merges.forEach((mg, rank) => {
        const [a, b] = typeof mg === "string" ? mg.split(" ") : mg;
        this.merges.set(this.vocab.get(a) * n + this.vocab.get(b), [rank, this.vocab.get(a + b)]);
      });
      const esc = [...this.added.keys()].sort((a, b) => b.length - a.length)
        .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
      this.addedRe = esc.length ? new RegExp(`(${esc.join("|")})`) : null;
      Object.assign(this, byteChars());
      this.cache = new Map();
      this.utf8 = new TextEncoder();
      this.eotId = this.added.has(EOT) ? this.added.get(EOT) : this.vocab.get(EOT);
      if (this.eotId === undefined) throw new Error(`This tokenizer has no ${EOT} token.`);
    }

    get vocabSize() { return this.tokens.length; }

    bpe(word, out) {
      // HF's Word::merge_all: merge the best-ranked pair (leftmost on ties) until no pair has a merge
      const hit = this.cache.get(word);
      if (hit) { for (const id of hit) out.push(id); return; }
      const c = [], n = this.tokens.length;
      for (const ch of word) c.push(this.vocab.get(ch));
      const len = c.length, prev = new Int32Array(len), next = new Int32Array(len), alive = new Uint8Array(len);
      const q = new MergeQueue();
      for (let i = 0; i < len; i++) {
        prev[i] = i - 1;
        next[i] = i + 1 < len ? i + 1 : -1;
        alive[i] = 1;
        const mg = i + 1 < len && this.merges.get(c[i] * n + c[i + 1]);
        if (mg) q.push([mg[0], i, mg[1]]);
      }
      while (q.a.length) {
        const [, pos, newId] = q.pop();
        if (!alive[pos] || next[pos] < 0) continue;
        const right = next[pos], mg = this.merges.get(c[pos] * n + c[right]);
        if (!mg || mg[1] !== newId) continue;  // a stale entry: one of the two has merged since
        c[pos] = newId;
        alive[right] = 0;
        next[pos] = next[right];
        if (next[right] >= 0) prev[next[right]] = pos;
        const p = prev[pos], nx = next[pos];
        const left = p >= 0 && this.merges.get(c[p] * n + c[pos]);
        if (left) q.push([left[0], p, left[1]]);
        const rgt = nx >= 0 && this.merges.get(c[pos] * n + c[nx]);
        if (rgt) q.push([rgt[0], pos, rgt[1]]);
      }
      const ids = [];
      for (let i = 0; i >= 0; i = next[i]) ids.push(c[i]);
      if (this.cache.size > 50000) this.cache.clear();
      this.cache.set(word, ids);
      for (const id of ids) out.push(id);
    }

    encode(text) {
      // Token ids of `text`, as tokenizer.encode(text).ids: added tokens first, then split, bytes, BPE
      const out = [];
      const parts = this.addedRe ? text.split(this.addedRe) : [text];
      parts.forEach((part, k) => {
        if (k % 2) { out.push(this.added.get(part)); return; }
        for (const w of this.pieces(part)) this.bpe(w, out);
      });
      return out;
    }

    pieces(text) {
      // The ByteLevel pre-tokenizer: `text` split by GPT-2's regex, each piece's UTF-8 bytes as characters
      const out = [];
      for (const [piece] of text.matchAll(SPLIT)) {
        let w = "";
        for (const b of this.utf8.encode(piece)) w += this.toChar[b];
        out.push(w);
      }
      return out;
    }

    decode(ids) {
      // Text of `ids`, as tokenizer.decode(ids): special tokens skipped, bytes decoded as UTF-8 (bad bytes as �)
      const bytes = [];
      let text = "";
      const flush = () => { text += new TextDecoder().decode(new Uint8Array(bytes)); bytes.length = 0; };
      for (const id of ids) {
        if (this.special.has(id)) continue;
        if (this.added.has(this.tokens[id])) { flush(); text += this.tokens[id]; continue; }
        for (const ch of this.tokens[id]) bytes.push(this.toByte.get(ch.codePointAt(0)));
      }
      flush();
      return text;
    }
  }

  class StreamDecoder {
    // tinygru.sample.StreamDecoder: release text only once its bytes make whole characters
    constructor(tok) { this.tok = tok; this.pending = []; }
    push(ids) {
      this.pending.push(...ids);
      const text = this.tok.decode(this.pending);
      if (text.endsWith("\ufffd")) return "";  // an incomplete character: wait for its next bytes
      this.pending = [];
      return text;
    }
    flush() { const t = this.pending.length ? this.tok.decode(this.pending) : ""; this.pending = []; return t; }
  }

  // ---- Sampling: tinygru.sample.filter_logits, with its defaults, order, float32 arithmetic and tie rule ----

  function checkSampling({temperature = 1, top_k = 0, top_p = 1, min_p = 0, repetition_penalty = 1} = {}) {
    // check_sampling: an Error naming the first invalid parameter
    if (!(temperature >= 0)) throw new Error(`temperature must be >= 0 (0 means greedy), got ${temperature}.`);
    if (!(Number.isInteger(top_k) && top_k >= 0))
      throw new Error(`top_k must be an integer >= 0 (0 means off), got ${top_k}.`);
    if (!(top_p > 0 && top_p <= 1)) throw new Error(`top_p must be in (0, 1] (1 means off), got ${top_p}.`);
    if (!(min_p >= 0 && min_p < 1)) throw new Error(`min_p must be in [0, 1) (0 means off), got ${min_p}.`);
    if (!(repetition_penalty > 0))
      throw new Error(`repetition_penalty must be > 0 (1 means off), got ${repetition_penalty}.`);
  }

  function order(v, idx = null) {
    // Indices of v (float32 values; only those in `idx`, if given) by value, largest first; ties: lower index first,
    // as torch.sort(descending=True, stable=True). Each value's bits, turned so that they sort as the numbers do, then
    // flipped, with the index below them make one exact double per entry: a native numeric sort does the rest (a
    // comparator sort is several times slower)
    const bits = new Uint32Array(v.buffer, v.byteOffset, v.length), n = idx ? idx.length : v.length;
    const m = 2 ** Math.ceil(Math.log2(v.length + 1)), keys = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = idx ? idx[k] : k, b = bits[i] === 0x80000000 ? 0 : bits[i];  // -0 as +0: equal values tie
      keys[k] = (b & 0x80000000 ? b : 0x7fffffff - b) * m + i;  // larger values, smaller keys
    }
    keys.sort();
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = keys[i] % m;
    return out;
  }

  function likeliest(probs, mass) {
    // The tokens that can matter to top-p: the most likely ones, down to a power of two where they hold `mass`
    // (all of them when they never do); every other token has at least that much probability before it
    const bins = new Float64Array(150);  // bin b: probabilities in (2^-(b+1), 2^-b]
    for (let i = 0; i < probs.length; i++)
      if (probs[i] > 0) bins[Math.min(149, Math.floor(-Math.log2(probs[i])))] += probs[i];
    let b = 0, acc = bins[0];
    while (acc < mass && b < 149) acc += bins[++b];
    if (acc < mass) return null;
    const cut = 2 ** -(b + 1), idx = [];
    for (let i = 0; i < probs.length; i++) if (probs[i] > cut) idx.push(i);
    return idx;
  }

  function softmax(v) {
    // float32 probabilities of logits v (-inf: 0), computed as PyTorch's CPU softmax: exp(v - max), times 1/sum
    let mx = -Infinity, s = 0;
    for (let i = 0; i < v.length; i++) if (v[i] > mx) mx = v[i];
    const p = new Float32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      p[i] = Math.exp(Math.fround(v[i] - mx));
      s += p[i];
    }
    const inv = Math.fround(1 / Math.fround(s));
    for (let i = 0; i < v.length; i++) p[i] *= inv;
    return p;
  }

  function filterLogits(logits, {temperature = 1, top_k = 0, top_p = 1, min_p = 0, repetition_penalty = 1} = {},
                        prev = null) {
    // A filtered copy of `logits`: repetition penalty, temperature, top-k, top-p, min-p; dropped tokens -inf
    checkSampling({temperature, top_k, top_p, min_p, repetition_penalty});
    const V = logits.length, f32 = Math.fround;
    let out = Float32Array.from(logits);
    if (repetition_penalty !== 1 && prev && prev.length) {  // Hugging Face's sign-aware form, once per token
      const p = f32(repetition_penalty);
      for (const i of new Set(prev)) out[i] = logits[i] > 0 ? logits[i] / p : logits[i] * p;
    }
    if (temperature === 0) {  // greedy: only the argmax survives (ties: lowest id)
      let a = 0;
      for (let i = 1; i < V; i++) if (out[i] > out[a]) a = i;
      out.fill(-Infinity);
      out[a] = 0;
      return out;
    }
    const t = f32(temperature);
    for (let i = 0; i < V; i++) out[i] /= t;
    if (top_k > 0 && top_k < V) {
      const idx = order(out);
      for (let i = top_k; i < V; i++) out[idx[i]] = -Infinity;
    }
    if (top_p < 1) {  // drop a token once the mass before it reaches p (the crossing token kept)
      const all = softmax(out), p = f32(top_p), cand = likeliest(all, top_p + 1e-4), idx = order(out, cand);
      if (cand) {  // the others are dropped whatever their order: sort only these
        const kept = new Float32Array(V).fill(-Infinity);
        for (const i of cand) kept[i] = out[i];
        out = kept;
      }
      let cum = 0;  // torch's CPU cumsum adds in double, then rounds to float32
      for (let i = 0; i < idx.length; i++) {
        cum += all[idx[i]];
        if (f32(f32(cum) - all[idx[i]]) >= p) out[idx[i]] = -Infinity;
      }
    }
    if (min_p > 0) {
      const probs = softmax(out);
      let mx = 0;
      for (let i = 0; i < V; i++) if (probs[i] > mx) mx = probs[i];
      const cut = f32(f32(min_p) * mx);
      for (let i = 0; i < V; i++) if (probs[i] < cut) out[i] = -Infinity;
    }
    return out;
  }

  function makeRng(seed) {
    // uniform numbers in [0, 1) from a 32-bit seed (mulberry32); no seed: a random one
    let a = (seed === null || seed === undefined ? Math.random() * 2 ** 32 : seed) >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function sampleNext(logits, opts, prev, rng) {
    // One token id drawn from the filtered distribution (sample_next)
    const p = softmax(filterLogits(logits, opts, prev));
    let u = rng(), last = 0;
    for (let i = 0; i < p.length; i++) {
      if (p[i] > 0) { last = i; if ((u -= p[i]) < 0) return i; }
    }
    return last;  // rounding left a sliver of u: the last token with mass
  }

  // ---- Generation: tinygru.sample.stream_generate for one stream ----

  function* streamGenerate(model, tok, prompt = "", opts = {}) {
    // Yield {id, text} for each new token (text: what it completes, maybe ""); stop at <|endoftext|> or the limit,
    // returning "eot" or "length".
    // opts: temperature, top_k, top_p, min_p, repetition_penalty, max_new_tokens, seed, stop (true: at EOT),
    // gates (an array: each token read is pushed as {id, z, r}, the gates of model.gateLayer)
    const o = {temperature: 0.8, top_k: 0, top_p: 0.95, min_p: 0, repetition_penalty: 1, max_new_tokens: 1000,
               seed: null, stop: true, ...opts};
    checkSampling(o);
    if (!(Number.isInteger(o.max_new_tokens) && o.max_new_tokens >= 0))
      throw new Error(`max_new_tokens must be an integer >= 0, got ${o.max_new_tokens}.`);
    if (model.V !== tok.vocabSize) throw new Error(`The model's vocabulary (${model.V}) is not the tokenizer's ` +
                                                   `(${tok.vocabSize}): export both with export_web.`);
    const read = (id, withLogits) => {
      const lg = model.step(id, withLogits);
      if (o.gates) o.gates.push({id, z: model.z.slice(), r: model.r.slice()});
      return lg;
    };
    const ids = [tok.eotId, ...tok.encode(prompt)];  // stories start after <|endoftext|>, as in training
    model.reset();
    let logits;
    for (let i = 0; i < ids.length; i++) logits = read(ids[i], i === ids.length - 1);
    const rng = makeRng(o.seed), dec = new StreamDecoder(tok), prev = [];
    for (let t = 0; t < o.max_new_tokens; t++) {
      const id = sampleNext(logits, o, o.repetition_penalty !== 1 ? prev : null, rng);
      if (o.stop && id === tok.eotId) return "eot";
      prev.push(id);
      yield {id, text: dec.push([id])};
      logits = read(id, true);
    }
    if (dec.pending.length) yield {id: null, text: dec.flush()};  // the limit cut a character: give its bytes
    return "length";
  }

  function topUnits(zs, n) {
    // The n units whose gate varies most over the steps (standard deviation, as plot_gates picks them)
    const T = zs.length, H = zs[0].length, sd = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let m = 0, v = 0;
      for (let t = 0; t < T; t++) m += zs[t][j];
      m /= T;
      for (let t = 0; t < T; t++) v += (zs[t][j] - m) ** 2;
      sd[j] = Math.sqrt(v / Math.max(1, T - 1));
    }
    const idx = Array.from(sd.keys());
    return idx.sort((a, b) => sd[b] - sd[a] || a - b).slice(0, n);
  }

  function benchmark(model, tok, n = 300, opts = {temperature: 0.8, top_p: 0.95}) {
    // Tokens per second at batch 1: a step of the model and a draw from the filtered logits, n times
    const rng = makeRng(0);
    model.reset();
    let lg = model.step(tok.eotId, true), id;
    for (let i = 0; i < 20; i++) lg = model.step(sampleNext(lg, opts, null, rng), true);  // warm the JIT up
    const t0 = performance.now();
    for (let i = 0; i < n; i++) { id = sampleNext(lg, opts, null, rng); lg = model.step(id, true); }
    return n / ((performance.now() - t0) / 1000);
  }

  async function fetchBytes(url, onProgress) {
    // The bytes at `url`, reporting (bytes so far, total or 0) as they arrive
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}; export the model with export_web (tinygru web).`);
    const total = Number(r.headers.get("content-length")) || 0;
    if (!onProgress || !r.body) return new Uint8Array(await r.arrayBuffer());
    const parts = [], reader = r.body.getReader();
    let got = 0;
    for (let c = await reader.read(); !c.done; c = await reader.read()) {
      parts.push(c.value);
      onProgress((got += c.value.length), total);
    }
    const out = new Uint8Array(got);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  async function load(base = ".", {kernel = "wasm", onProgress = null} = {}) {
    // {model, tok} from the files in `base`: what export_web wrote, and matvec.wasm unless kernel is "js"
    const [w, t, k] = await Promise.all([fetchBytes(`${base}/model.safetensors`, onProgress),
                                         fetchBytes(`${base}/tokenizer.json`),
                                         kernel === "js" ? null : fetchBytes(`${base}/matvec.wasm`)]);
    return {model: new GRUModel(readWeights(w.buffer), k), tok: new Tokenizer(new TextDecoder().decode(t))};
  }

  return {EOT, f16Table, readWeights, matvecJS, arena, order, GRUModel, Tokenizer, StreamDecoder, checkSampling,
          filterLogits, softmax, makeRng, sampleNext, streamGenerate, topUnits, benchmark, load};
});
