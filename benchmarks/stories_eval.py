"""The scoring rule of the CPU quality benchmarks: the first whole stories of `stories/validation.txt` that hold
~200 kB, scored in bits per byte of the stories *as stored* (each `<|endoftext|>` counted as one byte; the newlines
around it are the file's format, not story text). Every model predicts every byte (or token) of those stories and
every end of story, from a state carried over the whole text (one stream, no resets).

tinygru's loader cleans the text first (mojibake repaired, typography straightened: its token stream spells
slightly fewer bytes), but its total cross-entropy is divided by the same stored byte count as the baseline's."""
from pathlib import Path
import numpy as np

EOT = "<|endoftext|>"

def first_stories(path, # an `<|endoftext|>`-separated .txt file
                  nbytes:int=200_000): # stop once the stories hold at least this many bytes
    "`(stories, bytes)`: the first whole stories of `path` holding >= `nbytes` bytes as stored, each EOT one byte"
    stories, total = [], 0
    for s in Path(path).read_text(encoding="utf-8").split(EOT):
        s = s.strip("\n")
        if not s: continue
        stories.append(s); total += len(s.encode("utf-8")) + 1
        if total >= nbytes: break
    return stories, total

def tinygru_score(run, stories, nbytes, device="cpu")->dict:
    "Bits per byte of a tinygru run's best checkpoint on `stories` (scored against `nbytes` stored bytes)"
    from tinygru.data import clean_story
    from tinygru.tokenizer import eot_id
    from tinygru.train import bits_per_byte, evaluate, load_run
    model, tok, meta = load_run(run, device)
    eot = eot_id(tok); ids = [eot]
    for e in tok.encode_batch([clean_story(s) for s in stories]): ids += e.ids + [eot]
    r = evaluate(model, np.array(ids, dtype=np.int64), tok, batch_size=1, seq_len=512)
    return dict(bpb=bits_per_byte(r["loss"] * r["tokens"], nbytes), tokens=r["tokens"], bytes=nbytes,
                clean_bytes=r["bytes"], num_params=meta["num_params"], checkpoint=meta["step"])
