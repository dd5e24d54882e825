"""Execute notebooks in place, as `nbdev_test` runs them, and save their outputs (then run `nbdev_clean`).

Cells flagged `slow` or `cuda` and `#|eval: false` cells are not run (they keep the outputs they have), except
the flags named with `--flags`.
The source of every cell is left as it is (directives included).

    python tools/execute.py nbs/04_gru.ipynb [nbs/05_train.ipynb ...]
    python tools/execute.py --flags slow nbs/05_train.ipynb      # the slow cells too"""
import argparse, re
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.foundation import working_directory

def directives(src:str)->dict:
    "The `#|` directives at the top of a cell's source: `{name: [args]}`"
    res = {}
    for line in src.splitlines():
        m = re.match(r"\s*#\s*\|\s*([\w-]+:?)\s*(.*)", line)
        if not m:
            if line.strip(): break
            continue
        res[m.group(1)] = m.group(2).split()
    return res

def skip(cell, run_flags=())->bool:
    if cell.cell_type != "code": return True
    d = directives(cell.source)
    flagged = ({"slow", "cuda"} - set(run_flags)) & d.keys()
    return d.get("eval:", [""])[0].lower() == "false" or bool(flagged) or "nbdev_export(" in cell.source

def execute(fn:Path, flags=()):
    nb = read_nb(fn)
    for c in nb.cells:  # execnb leaves the old outputs of a cell that prints nothing now
        if not skip(c, flags): c.outputs = []
    shell = CaptureShell(fn)
    with working_directory(fn.parent): shell.run_all(nb, exc_stop=True, preproc=lambda c: skip(c, flags))
    write_nb(nb, fn)
    print("executed", fn)

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="+", help="the notebooks to execute")
    ap.add_argument("--flags", default="", help="space-separated test flags whose cells run too (slow, cuda)")
    a = ap.parse_args()
    for f in a.notebooks: execute(Path(f).absolute(), a.flags.split())
