"""tinygru's test command: run every notebook's tests (as `nbdev_test` does), then check that the exported
package, the cleaned notebooks, README.md and benchmarks/README.md are current, that the docs pages render (tools/docs.py), that every
number in the prose has a source (tools/prose.py), and that no module is longer than about 400 lines. Prints one
summary line: `tests: N passed, N failed`.

    python tools/test.py                # the default run (cells flagged slow or cuda are skipped)
    python tools/test.py --flags slow   # also run the slow cells
    python tools/test.py --path nbs/00_data.ipynb"""
import argparse, os, subprocess, sys, time
from pathlib import Path
from fastcore.parallel import parallel
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb

root = Path(__file__).resolve().parent.parent

def snapshot(pattern): return {p: p.read_bytes() for p in root.glob(pattern)}

def changed(before, pattern):
    after = snapshot(pattern)
    return sorted(str(p.relative_to(root)) for p in before.keys() | after.keys() if before.get(p) != after.get(p))

def check(name, cmd, pattern):
    "Run `cmd`; the check passes when it leaves the files matching `pattern` unchanged"
    before = snapshot(pattern)
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    diff = changed(before, pattern)
    ok = r.returncode == 0 and not diff
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {' '.join(cmd)} changed {diff}; commit the result" if diff else "")
          + (f"\n{r.stdout}{r.stderr}" if r.returncode else ""))
    return ok

MAX_LINES = 420  # "about 400 lines" a module (the generated _modidx.py aside)

def module_sizes()->bool:
    "Every module of the package is at most `MAX_LINES` long"
    long = {p.name: n for p in sorted((root/"tinygru").glob("*.py"))
            if p.name != "_modidx.py" and (n := len(p.read_text().splitlines())) > MAX_LINES}
    print(f"{'ok  ' if not long else 'FAIL'} modules at most {MAX_LINES} lines" + (f": {long}" if long else ""))
    return not long

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--flags", default="", help="space-separated test flags to run (slow, cuda)")
    ap.add_argument("--path", default=None, help="a notebook or glob (default: all)")
    ap.add_argument("--n_workers", type=int, default=2)
    a = ap.parse_args()
    cfg = get_config()
    files = sorted(f.absolute() for f in nbglob(a.path, as_path=True))
    t0 = time.time()
    os.chdir(cfg.nbs_path)
    res = parallel(test_nb, files, skip_flags=cfg.tst_flags.split(), force_flags=a.flags.split(),
                   basepath=cfg.config_path, n_workers=min(a.n_workers, len(files)), pause=0.01)
    os.chdir(root)
    results = [(f"notebook {f.name}", ok, t) for f, (ok, t) in zip(files, res)]
    for name, ok, t in results: print(f"{'ok  ' if ok else 'FAIL'} {name} ({t:.0f} s)")
    if a.path is None:  # the whole-project checks
        results += [("export", check("nbdev_export leaves tinygru/ unchanged", ["nbdev_export"], "tinygru/**/*.py"), 0),
                    ("clean", check("nbdev_clean leaves nbs/ unchanged", ["nbdev_clean"], "nbs/**/*.ipynb"), 0),
                    ("readme", check("README.md is current", [sys.executable, "tools/readme.py", "--check"], "README.md"), 0),
                    ("benchmarks", check("benchmarks/README.md is current", [sys.executable, "benchmarks/readme.py", "--check"],
                                         "benchmarks/README.md"), 0),
                    ("docs", check("the docs pages render, every export documented", [sys.executable, "tools/docs.py"], "nbs/**/*.ipynb"), 0),
                    ("prose", check("every number in the prose has a source", [sys.executable, "tools/prose.py"], "nbs/**/*.ipynb"), 0),
                    ("sizes", module_sizes(), 0)]
    npass = sum(ok for _, ok, _ in results)
    print(f"tests: {npass} passed, {len(results) - npass} failed")
    print(f"time: {time.time() - t0:.0f} s")
    sys.exit(0 if npass == len(results) else 1)

if __name__ == "__main__": main()
