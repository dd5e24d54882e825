// page.js: the story page (index.html) on top of tinygru.js: the controls, the story streamed as it is written, and
// the heat map of the gates. window.tinygruPage exposes `ready` (a promise), `write()` and the last `stats` for tests.
"use strict";
(() => {
  const T = window.tinygru, $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const page = (window.tinygruPage = {model: null, tok: null, stats: null, heat: null});
  let stopping = false;

  const status = (msg, error = false) => {
    $("status").textContent = msg;
    $("status").classList.toggle("error", error);
  };
  const state = (s) => (document.body.dataset.state = s);
  window.addEventListener("error", (e) => status(`Something went wrong: ${e.message}`, true));

  for (const id of ["temperature", "top_p"]) {  // the sliders show their values
    const show = () => ($(`${id}-out`).value = Number($(id).value).toFixed(2));
    $(id).addEventListener("input", show);
    show();
  }

  const mb = (n) => (n / 1e6).toFixed(1);
  page.ready = T.load(".", {kernel: params.get("kernel") || "wasm",
                            onProgress: (got, total) =>
                              status(`Loading the model… ${mb(got)}${total ? ` of ${mb(total)}` : ""} MB`)})
    .then(({model, tok}) => {
      Object.assign(page, {model, tok, readyMs: performance.now()});
      const kernel = model.kernel === "wasm" ? "WebAssembly SIMD" : "JavaScript";
      status(`Ready: ${model.nParams.toLocaleString("en")} parameters, loaded in ${Math.round(page.readyMs)} ms ` +
             `(${kernel} kernel).`);
      $("write").disabled = false;
      state("ready");
    })
    .catch((e) => {
      const hint = location.protocol !== "file:" ? ""
        : " Open the page through a web server: python -m http.server in its folder.";
      status(`The model did not load: ${e.message}.${hint}`, true);
      state("error");
      throw e;
    });

  function settings() {
    // The sampling settings from the controls; an Error saying which one is out of range
    const num = (id) => Number($(id).value), seed = $("seed").value.trim();
    const o = {temperature: num("temperature"), top_p: num("top_p"), top_k: num("top_k"), min_p: num("min_p"),
               repetition_penalty: num("repetition_penalty"), max_new_tokens: num("max_new_tokens"),
               seed: seed === "" ? null : Number(seed)};
    T.checkSampling(o);
    if (!(Number.isInteger(o.max_new_tokens) && o.max_new_tokens >= 1))
      throw new Error(`max tokens must be a whole number >= 1, got ${$("max_new_tokens").value}.`);
    if (o.seed !== null && !(Number.isInteger(o.seed) && o.seed >= 0))
      throw new Error(`seed must be a whole number >= 0 (or empty for a random one), got ${seed}.`);
    return o;
  }

  // Give the browser a turn (to paint, to take a click) without setTimeout's 4 ms clamp
  const channel = new MessageChannel(), waiting = [];
  channel.port1.onmessage = () => waiting.shift()();
  const yieldToBrowser = () => new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); });

  async function write() {
    // Write a story with the current settings, streaming it into the page; then draw its gates. Returns the stats
    let o;
    try { o = settings(); } catch (e) { status(e.message, true); return null; }
    const {model, tok} = page, prompt = $("prompt").value, gates = [], story = $("story");
    $("write").disabled = true;
    $("stop").disabled = false;
    stopping = false;
    state("writing");
    story.textContent = "";
    const head = document.createElement("span"), text = document.createTextNode("");
    head.className = "prompt";
    head.textContent = prompt;
    story.append(head, text);
    const t0 = performance.now(), gen = T.streamGenerate(model, tok, prompt, {...o, gates});
    let first = null, n = 0, r;
    try {
      for (;;) {  // slices of ~12 ms between paints; the first token is shown as soon as it is drawn
        let piece = "";
        const until = performance.now() + 12;
        do {
          r = gen.next();
          if (r.done) break;
          n += r.value.id !== null;
          piece += r.value.text;
        } while (first !== null && performance.now() < until);
        text.appendData(piece);
        if (first === null) first = performance.now();
        if (r.done || stopping) break;
        status(`Writing… ${n} tokens`);
        await yieldToBrowser();
      }
    } catch (e) {
      status(e.message, true);
      state("error");
      $("write").disabled = false;
      $("stop").disabled = true;
      throw e;
    }
    const secs = (performance.now() - first) / 1000, why = stopping ? "stopped" : r.value;
    page.stats = {tokens: n, first_token_ms: first - t0, tokens_per_s: n > 1 ? (n - 1) / secs : null,
                  ended: why === "eot", kernel: model.kernel};
    const end = {eot: "it ended the story itself with <|endoftext|>", length: "the length limit",
                 stopped: "stopped"}[why];
    status(`${n} tokens in ${((performance.now() - t0) / 1000).toFixed(2)} s (first after ` +
           `${Math.round(page.stats.first_token_ms)} ms, then ${Math.round(page.stats.tokens_per_s || 0)} ` +
           `tokens/s); ${end}.`);
    drawGates(gates.slice(1), tok);  // the step that read <|endoftext|> is left out, as plot_gates does
    $("write").disabled = false;
    $("stop").disabled = true;
    state("done");
    return page.stats;
  }
  page.write = write;

  // ---- The heat map: as tinygru.sample.plot_gates draws it, on a canvas ----

  const VIRIDIS = ["#440154", "#48186a", "#472d7b", "#424086", "#3b528b", "#33638d", "#2c728e", "#26828e", "#21918c",
                   "#1fa088", "#28ae80", "#3fbc73", "#5ec962", "#84d44b", "#addc30", "#d8e219", "#fde725"]
    .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));  // matplotlib's viridis at 0, 1/16, ..., 1
  const COLORS = Array.from({length: 256}, (_, k) => {
    const x = (k / 255) * 16, i = Math.min(15, Math.floor(x)), f = x - i;
    return `rgb(${VIRIDIS[i].map((c, j) => Math.round(c + f * (VIRIDIS[i + 1][j] - c))).join(",")})`;
  });
  const color = (v) => COLORS[Math.max(0, Math.min(255, Math.round(v * 255)))];

  const MAX_COLUMNS = 1000;  // a canvas has a largest width: a longer text shows its first tokens

  function drawGates(all, tok) {
    const canvas = $("gates"), steps = all.slice(0, MAX_COLUMNS);
    if (!steps.length) return;
    const cut = all.length > steps.length ? ` (the first ${steps.length} of ${all.length} tokens)` : "";
    const nUnits = Math.min(48, steps[0].z.length), units = T.topUnits(steps.map((s) => s.z), nUnits);
    const labels = steps.map((s) => JSON.stringify(tok.decode([s.id])).slice(1, -1));
    const cw = 9, ch = 4, left = 6, top = 18, gap = 24, ph = nUnits * ch, labelH = 74;
    const W = left + steps.length * cw + 6, H = top + 2 * ph + gap + labelH, dpr = window.devicePixelRatio || 1;
    Object.assign(canvas, {width: Math.round(W * dpr), height: Math.round(H * dpr)});
    Object.assign(canvas.style, {width: `${W}px`, height: `${H}px`});
    const g = canvas.getContext("2d");
    g.scale(dpr, dpr);
    g.fillStyle = "#fff";
    g.fillRect(0, 0, W, H);
    const panels = [["z", "update gate z (1 = keep memory)", top],
                    ["r", "reset gate r (1 = use memory)", top + ph + gap]];
    for (const [k, title, y0] of panels) {
      g.fillStyle = "#333";
      g.font = "11px system-ui, sans-serif";
      g.fillText(`${title}: the ${nUnits} units whose z varies most${cut}`, left, y0 - 5);
      steps.forEach((s, t) => units.forEach((u, row) => {
        g.fillStyle = color(s[k][u]);
        g.fillRect(left + t * cw, y0 + row * ch, cw, ch);
      }));
    }
    g.font = "9px ui-monospace, monospace";
    g.fillStyle = "#333";
    g.textAlign = "right";
    labels.forEach((l, t) => {
      g.save();
      g.translate(left + t * cw + cw / 2 + 3, top + 2 * ph + gap + 4);
      g.rotate(-Math.PI / 2);
      g.fillText(l.length > 12 ? l.slice(0, 11) + "…" : l, 0, 0);
      g.restore();
    });
    page.heat = {units, tokens: steps.length, width: W, height: H};
    canvas.onmousemove = (e) => {
      const b = canvas.getBoundingClientRect(), x = e.clientX - b.left, y = e.clientY - b.top;
      const t = Math.floor((x - left) / cw), inR = y >= top + ph + gap;
      const row = Math.floor((y - (inR ? top + ph + gap : top)) / ch);
      if (t < 0 || t >= steps.length || row < 0 || row >= nUnits) return void ($("hover").textContent = "");
      const u = units[row], s = steps[t];
      $("hover").textContent =
        `token ${t + 1} "${labels[t]}" · unit ${u}: z ${s.z[u].toFixed(3)}, r ${s.r[u].toFixed(3)}`;
    };
  }

  $("write").addEventListener("click", () => write());
  $("stop").addEventListener("click", () => (stopping = true));
  $("prompt").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !$("write").disabled) write();
  });
})();
