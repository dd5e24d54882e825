"""The prose check: every number written in prose must come from somewhere a reader can check.

A number in a markdown cell of a notebook (README.md is written from nbs/index.ipynb, so its prose is checked there)
or in benchmarks/README.md (outside its tables, which benchmarks/readme.py writes from the results files) must appear among the numbers of that notebook's code and outputs, or of a results file
(benchmarks/results/*.json), or be listed in tools/prose_allow.txt with its reason (a constant from a paper, a year).
Numbers in code spans, fenced code, maths and link targets are code, not claims, and are skipped; so are integers up
to 16 (counts, list items, equation numbers). A prose number matches a source number that rounds to it at the
prose's precision (1.08 matches 1.0792), so prose may round but not invent.

    python tools/prose.py              # every notebook and benchmarks/README.md; exit 1 if a number has no source
    python tools/prose.py nbs/05_train.ipynb"""
import json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
NUM = re.compile(r"(?<![\w.])\d[\d,_]*(?:\.\d+)?(?![\w])")
SKIP = [re.compile(p, re.S) for p in (r"```.*?```", r"`[^`\n]*`", r"\$\$.*?\$\$", r"\$[^$\n]+\$", r"\]\([^)]*\)",
                                       r"<[^>]+>", r"https?://\S+", r"\[\^?[\w-]+\]")]

def numbers(text:str)->list:
    "The numbers written in `text`, as strings without thousands separators"
    return [m.group().replace(",", "").replace("_", "") for m in NUM.finditer(text)]

def prose(md:str)->str:
    "Markdown without code, maths, link targets and tags"
    for p in SKIP: md = p.sub(" ", md)
    return md

def values(text:str)->set:
    "Every number in `text`, as floats"
    out = set()
    for s in numbers(text):
        try: out.add(float(s))
        except ValueError: pass
    return out

def json_values(o)->set:
    "Every number in a JSON value, its strings included"
    if isinstance(o, bool): return set()
    if isinstance(o, (int, float)): return {float(o)}
    if isinstance(o, str): return values(o)
    if isinstance(o, dict): return set().union(*map(json_values, o.values()), *map(values, o.keys())) if o else set()
    if isinstance(o, list): return set().union(*map(json_values, o)) if o else set()
    return set()

def results_values(names=None)->set:
    "The numbers of the results files (those named in `names`, a text that mentions them; default: all)"
    fs = [f for f in (root/"benchmarks"/"results").glob("*.json") if names is None or f.name in names]
    return set().union(set(), *(json_values(json.loads(f.read_text())) for f in fs))

def allowed()->dict:
    "`{number: reason}` from tools/prose_allow.txt (lines: NUMBER  reason)"
    res = {}
    for line in (root/"tools"/"prose_allow.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            n, reason = line.split(None, 1)
            res[n.replace(",", "")] = reason
    return res

def matches(s:str, pool:set)->bool:
    "Whether prose number `s` is a source number rounded to its precision"
    x = float(s)
    d = len(s.split(".")[1]) if "." in s else 0
    tol = 0.5 * 10 ** -d + 1e-9
    return any(abs(v - x) <= tol or abs(abs(v) - abs(x)) <= tol for v in pool)

def cell_text(c)->str:
    "A code cell's source and the text of its outputs"
    parts = ["".join(c.get("source", ""))]
    for o in c.get("outputs", []):
        if "text" in o: parts.append("".join(o["text"]))
        for k, v in o.get("data", {}).items():
            if k.startswith("text/") or k == "application/json": parts.append(v if isinstance(v, str) else "".join(v))
    return "\n".join(parts)

def check_notebook(fn:Path, allow:dict)->list:
    "`(where, number)` of each prose number in notebook `fn` without a source (its cells, the results files it reads)"
    nb = json.loads(fn.read_text())
    code = "\n".join(cell_text(c) for c in nb["cells"] if c["cell_type"] == "code")
    own = values(code) | results_values(code)
    bad = []
    for i, c in enumerate(nb["cells"]):
        if c["cell_type"] != "markdown": continue
        for s in numbers(prose("".join(c["source"]))):
            if abs(float(s)) <= 16 and "." not in s or s in allow or matches(s, own): continue
            bad.append((f"{fn.relative_to(root)} cell {i}", s))
    return bad

def check_markdown(fn:Path, allow:dict)->list:
    "`(where, number)` of each prose number in a markdown file without a source (results, benchmark scripts)"
    own = results_values() | set().union(*(values(f.read_text()) for f in (root/"benchmarks").glob("*.py")))
    # its tables are written by benchmarks/readme.py from the results files (`--check` keeps them current): the
    # prose around them is what a hand could have typed
    text = "\n".join(l for l in fn.read_text().splitlines() if not l.startswith("|"))
    return [(f"{fn.relative_to(root)}", s) for s in numbers(prose(text))
            if not (abs(float(s)) <= 16 and "." not in s or s in allow or matches(s, own))]

def main(paths=None):
    allow = allowed()
    nbs = [Path(p).resolve() for p in paths] if paths else sorted((root/"nbs").glob("*.ipynb"))
    bad = [b for fn in nbs for b in check_notebook(fn, allow)]
    if not paths: bad += check_markdown(root/"benchmarks"/"README.md", allow)
    for where, s in bad: print(f"{where}: {s} appears in no output, source or results file")
    print(f"prose: {len(bad)} numbers without a source")
    return not bad

if __name__ == "__main__": sys.exit(0 if main(sys.argv[1:]) else 1)
