"""How many printed record QR codes an office reads back (issue 14 item 4).

    python -m benchmarks.qr_decode_rates [--photos 4]

Builds the demo, exports it with a throwaway key, then prints:
  - zbarimg (an independent decoder) over renders of every PDF page at 150, 100 and 72 dpi:
    distinct record codes read / record codes printed (targets: 100 dpi ≥ 99 %, 72 dpi ≥ 95 %);
  - the same at 72 dpi with each page shifted by half a point first (a scan whose pixel grid
    does not meet the codes' module edges; the render test's grid is the lucky case);
  - `inspect-tui verify` (the real CLI, --json) and zbarimg over simulated phone photos of
    every page with codes, N photos per page with different seeds (tests/export/photos.py:
    keystone, 6–8° rotation, blur, noise, JPEG 60, 1600 px wide): codes verified / printed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "inspect_tui.cli.main"]


def sh(*cmd: str | Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False,
                          env=env).stdout


def export_demo(tmp: Path) -> tuple[Path, Path, set[str]]:
    """The demo exported; (folder, allowed_signers, the record QR texts printed)."""
    from inspect_tui import keys
    from inspect_tui.demo import DEMO_ID, ensure_demo
    from inspect_tui.export.run import ExportOptions, export_inspection
    from inspect_tui.store.workspace import Workspace

    info = keys.new_key("基准组长", "benchmark pass", tmp / "keys")
    (tmp / "allowed_signers").write_text(info.allowed_signers_line() + "\n", "utf-8")
    key = keys.load_private("基准组长", "benchmark pass", tmp / "keys")
    ensure_demo(tmp / "ws")
    with Workspace.open(tmp / "ws") as ws:
        result = export_inspection(ws.inspection(DEMO_ID), key, info.name,
                                   ExportOptions(out_dir=tmp / "exports"))
    printed = {r.qr for _, r in result.report.records() if r.score is not None or r.not_applicable}
    return result.folder, tmp / "allowed_signers", printed


def zbar(images: list[Path]) -> set[str]:
    def one(path: Path) -> list[str]:
        return sh("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", path).splitlines()

    with ThreadPoolExecutor(2) as pool:
        return {text for found in pool.map(one, images) for text in found}


def render(pdf: Path, dpi: int, out: Path) -> list[Path]:
    out.mkdir()
    sh("pdftoppm", "-r", str(dpi), "-gray", pdf, out / "p")
    return sorted(out.glob("p-*.pgm"))


def shifted(pages: list[Path], out: Path) -> list[Path]:
    """Each page rendered at 144 dpi, moved by one pixel and halved to 72 dpi: half a point off
    the grid the codes are drawn on."""
    from PIL import Image

    out.mkdir()
    files = []
    for page in pages:
        with Image.open(page) as image:
            moved = Image.new("L", image.size, 255)
            moved.paste(image, (1, 1))
            small = moved.resize((image.width // 2, image.height // 2), Image.Resampling.BOX)
        files.append(out / page.name)
        small.save(files[-1])
    return files


def rate(read: set[str], printed: set[str]) -> str:
    got = len(read & printed)
    return f"{got}/{len(printed)} = {100 * got / len(printed):.1f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=2, help="photos per page (seeds)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from PIL import Image

    from tests.export.photos import phone_photo

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder, allowed, printed = export_demo(tmp)
        pdf = folder / "report.pdf"
        print(f"demo report: {len(printed)} record QR codes printed (scored records only)")
        for dpi in (150, 100, 72):
            pages = render(pdf, dpi, tmp / f"r{dpi}")
            print(f"zbarimg {dpi:>3} dpi render       {rate(zbar(pages), printed)}")
        off_grid = shifted(render(pdf, 144, tmp / "r144"), tmp / "shifted")
        print(f"zbarimg  72 dpi, off the grid  {rate(zbar(off_grid), printed)}")
        photos = []
        for n, page in enumerate(render(pdf, 150, tmp / "photo-pages")):
            with Image.open(page) as image:
                for seed in range(args.photos):
                    photos.append(tmp / f"photo-{n:02d}-{seed}.jpg")
                    photos[-1].write_bytes(phone_photo(image, seed=1000 * seed + n))
        out = sh(*CLI, "verify", *photos, "--trusted", allowed, "--report", folder,
                 "--allow-partial", "--json", env={**os.environ, "PYTHONPATH": str(ROOT)})
        doc = json.loads(out)
        verified = [f["payload"]["record_id"] for t in doc["targets"] for f in t["records"]
                    if f["valid"] and f["payload"] and f["record"]]
        ids = {text.split(":", 2)[1] for text in printed}
        expected = len(ids) * args.photos
        print(f"verify, {len(photos)} phone photos  {len(verified)}/{expected} = "
              f"{100 * len(verified) / expected:.1f} % of the codes in them "
              f"({len(set(verified) & ids)}/{len(ids)} distinct)")
        read = zbar(photos)
        print(f"zbarimg, the same photos     {rate(read, printed)} distinct")


if __name__ == "__main__":
    main()
