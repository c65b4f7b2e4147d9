"""Files made in the test from made-up plan text: scanned pages (image-only PDF) and CFF-font PDFs.

They need a CJK font from Debian's ``fonts-noto-cjk`` (``make reader-deps`` installs it); without it
the tests that use these fixtures fail with a message saying so, rather than skip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

NOTO_SANS = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_SC = 2  # face index of Noto Sans CJK SC in the collection
PAGE_SIZE = (1191, 1684)  # A4 at 144 dpi: what the reader renders a page at (scale 2)
FONT_PX = 30

ScanMaker = Callable[..., Path]


@pytest.fixture(scope="session")
def cjk_font() -> Path:
    """Noto Sans CJK (an OpenType/CFF collection) from fonts-noto-cjk."""
    if not NOTO_SANS.is_file():
        pytest.fail(f"{NOTO_SANS} missing: run `make reader-deps` (apt-get install fonts-noto-cjk)")
    return NOTO_SANS


def page_image(lines: list[str], font: Path) -> object:
    """A white A4 page image (144 dpi) with ``lines`` drawn in black, as a scanner would give it."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", PAGE_SIZE, color=255)
    if lines:
        draw = ImageDraw.Draw(page)
        face = ImageFont.truetype(str(font), FONT_PX, index=NOTO_SC)
        for k, line in enumerate(lines):
            draw.text((110, 110 + k * int(FONT_PX * 1.9)), line, font=face, fill=0)
    return page


@pytest.fixture(scope="session")
def made_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the files these fixtures make (one per test session; give each file its own name)."""
    return tmp_path_factory.mktemp("made")


@pytest.fixture(scope="session")
def make_scan(made_files: Path, cjk_font: Path) -> ScanMaker:
    """``make_scan(name, [lines of page 1], [lines of page 2], ...)``: an image-only PDF."""

    def make(name: str, *pages: list[str]) -> Path:
        images = [page_image(lines, cjk_font) for lines in pages]
        path = made_files / name
        first, *rest = images
        first.save(path, "PDF", resolution=144.0, save_all=True, append_images=rest)  # type: ignore[attr-defined]
        return path

    return make


@pytest.fixture(scope="session")
def make_cff_pdf(made_files: Path, cjk_font: Path) -> Callable[[str, list[str]], Path]:
    """``make_cff_pdf(name, lines)``: a PDF with real text in Noto Sans CJK embedded as CFF (fpdf2)."""

    def make(name: str, lines: list[str]) -> Path:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.add_font("noto", "", str(cjk_font), collection_font_number=NOTO_SC)
        pdf.set_font("noto", size=12)
        pdf.add_page()
        for line in lines:
            pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
        path = made_files / name
        pdf.output(str(path))
        return path

    return make
