"""Write the demo's photos (src/picdesk/ops/demo/photos/) from ../shared/corpus.

Run once by a developer when the demo's photo list changes; the results are
committed. Each photo is resized to at most 2048 px on its longest side and
carries the metadata given in src/picdesk/ops/demo/slideshows.json, written as IPTC
IIM and XMP just as an agency would send it.

After a change, look at every photo beside its caption (a wrong caption is a
newsroom's worst error), then pin what you checked: tests/test_demo.py prints
the ``picture_hash`` each changed photo should carry in the manifest.

    python tools/build_demo_photos.py [CORPUS_DIR]
"""

import json
import sys
from pathlib import Path

import pyvips

from picdesk.photos.metadata import PhotoMetadata, write_metadata

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "picdesk" / "ops" / "demo"
MAX_SIDE = 2048


def main(corpus: Path) -> None:
    spec = json.loads((DEMO / "slideshows.json").read_text())
    out_dir = DEMO / "photos"
    out_dir.mkdir(exist_ok=True)
    for name, fields in spec["photos"].items():
        fields = dict(fields)
        source = corpus / fields.pop("source_file")
        fields.pop("picture_hash", None)  # what tests/test_demo.py checks the file against
        byline = fields.pop("byline", "")
        meta = PhotoMetadata(bylines=[byline] if byline else [], **fields)
        image = pyvips.Image.thumbnail(str(source), MAX_SIDE, height=MAX_SIDE, size="down")
        data = image.jpegsave_buffer(Q=80, optimize_coding=True, keep="none")
        (out_dir / name).write_bytes(write_metadata(data, meta))
        print(f"{name}: {image.width}×{image.height}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus")
