"""Execute notebooks in place, as `nbdev_test` runs them, and save their outputs (then run `nbdev_clean`).

Cells flagged `slow` or `cuda` and `#|eval: false` cells are not run: they keep the outputs they have.
The source of every cell is left as it is (directives included).

    python tools/execute.py nbs/04_gru.ipynb [nbs/05_train.ipynb ...]"""
import re, sys
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

def skip(cell)->bool:
    if cell.cell_type != "code": return True
    d = directives(cell.source)
    return d.get("eval:", [""])[0].lower() == "false" or bool({"slow", "cuda"} & d.keys()) or "nbdev_export(" in cell.source

def execute(fn:Path):
    nb = read_nb(fn)
    shell = CaptureShell(fn)
    with working_directory(fn.parent): shell.run_all(nb, exc_stop=True, preproc=skip)
    write_nb(nb, fn)
    print("executed", fn)

if __name__ == "__main__":
    if len(sys.argv) < 2: sys.exit(__doc__)
    for f in sys.argv[1:]: execute(Path(f).absolute())
