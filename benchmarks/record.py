"""What every benchmark writes beside its numbers: the machine, the date and the commit, in
benchmarks/results/NAME.json, written whole or not at all (a temporary file, renamed)."""
import datetime, json, os, platform, subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

def machine()->dict:
    "The machine a benchmark runs on, the date, and the commit of the code it measures"
    import torch
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor() or platform.machine())
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else None
    return dict(cpu=cpu, cores=os.cpu_count(), gpu=gpu, torch=torch.__version__, threads=torch.get_num_threads(),
                python=platform.python_version(), date=datetime.datetime.now().isoformat(timespec="seconds"),
                commit=git("rev-parse", "--short", "HEAD") + ("+dirty" if dirty else ""))

def write(name:str, results:dict, path=None)->Path:
    "Write `{machine: ..., **results}` to benchmarks/results/NAME.json (or `path`)"
    fn = Path(path) if path else ROOT/"benchmarks"/"results"/f"{name}.json"
    fn.parent.mkdir(parents=True, exist_ok=True)
    tmp = fn.with_suffix(".tmp")
    tmp.write_text(json.dumps({"machine": machine(), **results}, indent=1) + "\n")
    os.replace(tmp, fn)
    print(f"wrote {fn}")
    return fn
