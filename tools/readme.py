"""Write README.md from nbs/index.ipynb without Quarto (which `nbdev_readme` needs).

Hidden cells (`#|hide`) are dropped, `#|` directive lines are stripped, and the rest is converted by
nbconvert's Markdown exporter; images go to README_files/. The index lives in nbs/, so its links to other notebooks
are relative to nbs/ (they work in JupyterLab and, as .html, on the docs site); README.md, at the repository's root,
gets them with `nbs/` in front.  `--check` only reports whether README.md is current."""
import re, sys, nbformat
from pathlib import Path
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parent.parent

def directives(src): return [l.replace(" ", "") for l in src.splitlines() if l.replace(" ", "").startswith("#|")]

def render():
    nb = nbformat.read(root/"nbs"/"index.ipynb", as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type == "code":
            d = directives(c.source)
            if "#|hide" in d or "#|include:false" in d: continue
            c.source = "\n".join(l for l in c.source.splitlines() if not l.replace(" ", "").startswith("#|")).strip()
            if "#|echo:false" in d: c.source = ""
            if not c.source and not c.get("outputs"): continue  # a cell of directives only (e.g. #|default_exp)
        cells.append(c)
    nb.cells = cells
    body, res = MarkdownExporter().from_notebook_node(nb, resources={"output_files_dir": "README_files"})
    body = re.sub(r"\]\(([\w-]+\.ipynb(?:#[\w.-]*)?)\)", r"](nbs/\1)", body)   # a notebook beside the index
    return body.strip() + "\n", res.get("outputs", {})

def main(check=False):
    body, outputs = render()
    readme = root/"README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if check:
        if current != body: sys.exit("README.md is out of date with nbs/index.ipynb: run `python tools/readme.py`.")
        return print("README.md is current.")
    readme.write_text(body, encoding="utf-8")
    for name, data in outputs.items():
        (root/name).parent.mkdir(parents=True, exist_ok=True); (root/name).write_bytes(data)
    print(f"wrote README.md ({len(body):,} chars, {len(outputs)} images)")

if __name__ == "__main__": main("--check" in sys.argv[1:])
