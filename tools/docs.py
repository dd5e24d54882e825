"""Check the docs site without Quarto: process the notebooks as nbdev does for Quarto (`proc_nbs`, the same
step `nbdev_proc_nbs` runs), render each processed notebook to HTML with nbconvert, and fail on a notebook
that does not render or on an exported function or class that has no docstring or no documentation entry
(`show_doc`) on its page. (Exported constants are documented by the prose and comments around them; `show_doc` has nothing to show.)

    python tools/docs.py            # writes _proc/ and _site_check/NAME.html; exit 1 on a problem

The real site is built by Quarto in .github/workflows/deploy.yaml."""
import ast, re, sys
from pathlib import Path
import nbformat
from nbconvert import HTMLExporter
from nbdev.config import get_config
from nbdev.serve import proc_nbs

root = Path(__file__).resolve().parent.parent

def exported(nb_path):
    "(module, {name: AST node} of the functions and classes in its `__all__`) for the notebook's `#|default_exp`"
    nb = nbformat.read(nb_path, as_version=4)
    m = next((re.search(r"#\|\s*default_exp\s+(\S+)", c.source) for c in nb.cells
              if c.cell_type == "code" and "default_exp" in c.source), None)
    if not m: return None, {}
    mod = f"{get_config().lib_name}.{m.group(1)}"
    tree = ast.parse((root/get_config().lib_path.name/f"{m.group(1).replace('.', '/')}.py").read_text())
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
            return mod, {n: defs[n] for n in ast.literal_eval(node.value) if n in defs}  # functions and classes
    return mod, {}

def main():
    cache = proc_nbs(force=True)
    out = root/"_site_check"; out.mkdir(exist_ok=True)
    problems, pages = [], 0
    for src in sorted((root/"nbs").glob("*.ipynb")):
        proc = cache/src.name
        try:
            nb = nbformat.read(proc, as_version=4)
            html, _ = HTMLExporter().from_notebook_node(nb)
            (out/f"{src.stem}.html").write_text(html, encoding="utf-8"); pages += 1
        except Exception as e:
            problems.append(f"{src.name}: does not render: {e}"); continue
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors: problems.append(f"{src.name}: a committed output is an error ({errors[0].get('ename')})")
        text = "\n".join(c.source for c in nb.cells) + "\n".join(
            str(o.get("data", {}).get("text/markdown", "")) for c in nb.cells for o in c.get("outputs", []))
        mod, names = exported(src)
        for n, node in names.items():
            if not re.search(rf"^#+\s+{re.escape(n)}\b", text, re.M):
                problems.append(f"{src.name}: {mod}.{n} is exported but has no show_doc entry")
            if not ast.get_docstring(node):
                problems.append(f"{src.name}: {mod}.{n} is exported but has no docstring")
    for p in problems: print("FAIL", p)
    print(f"docs: {pages} pages rendered to {out.relative_to(root)}/, {len(problems)} problems")
    sys.exit(1 if problems else 0)

if __name__ == "__main__": main()
