"""Speed of the story page (nbs/web/) in headless Chromium, served from 127.0.0.1 as a visitor would get it: the time
from opening the page to a ready model, the time from pressing "Write a story" to the first token on the page, the two
together (opening the page to a first token, the button pressed as soon as it is enabled), the tokens per second while
the story streams into the page, and the model's own tokens per second (a step and a draw per token, nothing drawn),
all at batch 1, for each kernel of tinygru.js (WebAssembly SIMD, plain JavaScript). Each repeat is a fresh page load;
the medians go into the results file with every run. The machine's load average is recorded: the numbers are for the
machine as it was, other work included.

    python benchmarks/web_speed.py [--repeats 5] [--out benchmarks/results/web_speed.json]"""
import argparse, datetime, json, os, platform, statistics, subprocess
from pathlib import Path
from safetensors import safe_open
from tinygru.data import write_durably
from tinygru.web import Chromium, find_chromium, serve, write_story

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT/"nbs"/"web"
SETTINGS = dict(temperature=0.8, top_p=0.95, top_k=0, min_p=0, repetition_penalty=1, max_new_tokens=400)
AIM = 200  # tokens per second at batch 1 on 2 cores, as the story streams (issue 29)

def machine()->str:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "")
    return f"{os.cpu_count()} cores, {platform.machine()}" + (f" ({cpu})" if cpu else "")

def run_kernel(browser, url, kernel, repeats)->dict:
    "Medians and every run of `repeats` fresh page loads with `kernel`"
    runs = []
    for seed in range(repeats):
        page = write_story(browser, f"{url}index.html?kernel={kernel}", "Once upon a time", seed=seed, **SETTINGS)
        assert page["state"] == "done" and page["stats"]["kernel"] == kernel, page
        model = browser.eval("tinygru.benchmark(tinygruPage.model, tinygruPage.tok, 300)", timeout=120)
        first = page["stats"]["first_token_ms"]
        runs.append(dict(ready_ms=page["ready_ms"], first_token_ms=first,
                         open_to_first_token_ms=page["ready_ms"] + first, tokens=page["stats"]["tokens"],
                         tokens_per_s=page["stats"]["tokens_per_s"], model_tokens_per_s=model))
        print(f"{kernel:>4} seed {seed}: " + ", ".join(f"{k} {v:.1f}" for k, v in runs[-1].items()), flush=True)
    med = {k: round(statistics.median(r[k] for r in runs), 1) for k in runs[0] if k != "tokens"}
    return {**med, "runs": runs}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="fresh page loads per kernel")
    ap.add_argument("--out", default=str(ROOT/"benchmarks"/"results"/"web_speed.json"), help="the results file to write")
    a = ap.parse_args()
    exe = find_chromium()
    if exe is None: raise SystemExit("No Chromium found: install it (apt-get install chromium).")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.split()
    load = os.getloadavg()
    with serve(WEB) as url, Chromium(exe) as browser:
        kernels = {k: run_kernel(browser, url, k, a.repeats) for k in ("wasm", "js")}
        errors = browser.errors
    if errors: raise SystemExit(f"The page logged errors: {errors}")
    with safe_open(WEB/"model.safetensors", "np") as f: config = json.loads(f.metadata()["config"])
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    res = dict(date=datetime.date.today().isoformat(), machine=machine(),
               load_average=[round(x, 2) for x in load],  # others' work on the machine when the run started
               browser=version[1] if len(version) > 1 else "?",
               commit=commit,
               config=config, settings=SETTINGS, prompt="Once upon a time", repeats=a.repeats,
               aim_tokens_per_s=AIM, kernels=kernels)
    write_durably(a.out, json.dumps(res, indent=1))
    for k, r in kernels.items():
        print(f"{k:>4}: ready {r['ready_ms']:.0f} ms, first token {r['first_token_ms']:.1f} ms "
              f"({r['open_to_first_token_ms']:.0f} ms after opening), "
              f"streaming {r['tokens_per_s']:.0f} tokens/s (aim: {AIM}), "
              f"model alone {r['model_tokens_per_s']:.0f} tokens/s")
    print("wrote", a.out)

if __name__ == "__main__": main()
