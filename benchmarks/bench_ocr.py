r"""OCR benchmark: accuracy and seconds per page of the OCR engines, and the ingest time of a 6-page scan.

Pages are made up here: plan-like Chinese text with the numbers that matter (``90%以上``, ``3.5名``,
``〔2025〕4号``, ``20—35名``, ``2.4万元/人·年``…) drawn with a CJK font from Debian's ``fonts-noto-cjk``
onto an A4 image at 144 dpi (what the reader renders a PDF page at), once clean and once degraded like
a scan (slight rotation, blur, grey paper, noise). Each engine reads the same images:

- character accuracy: 1 - edit distance / length, whitespace ignored on both sides;
- number accuracy: share of the page's numbers (``\d+(\.\d+)?`` with a following ``%``/``‰``) read
  exactly, as a multiset;
- seconds per page: wall time of one page (both cores available to the engine), after a warm-up page.

Engines: RapidOCR (``rapidocr-onnxruntime``, the product's engine) and Tesseract 5 with ``chi_sim``
(Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim``; skipped when not installed). The last table is
``Library.ingest`` of an image-only 6-page PDF with the real embedder on a scratch store.

    .venv/bin/python -m benchmarks.bench_ocr [--quick] [--scratch DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import Table, emit, out, settings_for

if TYPE_CHECKING:
    from PIL.Image import Image

    from ingestion.ocr import OcrEngine, OcrLine, OcrPageText

FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/wqy"))
PAGE_SIZE = (1191, 1684)  # A4 at 144 dpi (PDF scale 2), what the reader hands the engine
MARGIN = 110
FONT_PX = 30  # about 15 pt at 144 dpi: a 仿宋_GB2312 三号 body line as printed
CELL_PX = 190  # column width of the annex tables
NUMBER = re.compile(r"\d+(?:\.\d+)?[%‰]?")

# Six made-up pages of a plan: notice head, goals, tasks, a flattened annex table, safeguards, signature.
PAGES: list[list[str]] = [
    [
        "某市卫生健康委员会文件",
        "某卫发〔2025〕4号",
        "关于印发某市基层医疗卫生服务能力",
        "提升行动方案（2025—2027年）的通知",
        "各区县卫生健康局，委机关各处室：",
        "现将《某市基层医疗卫生服务能力提升行动方案（2025—",
        "2027年）》印发给你们，请结合实际认真贯彻执行。",
        "某市卫生健康委员会",
        "2025年3月18日",
        "某市基层医疗卫生服务能力提升行动方案",
        "（2025—2027年）",
        "为深入贯彻落实《某省基层卫生服务能力提升三年行动",
        "计划》（某卫基层发〔2024〕12号）精神，进一步加强基层",
        "医疗卫生服务体系建设，制定本方案。",
        "一、总体要求",
        "坚持以基层为重点，推动优质医疗资源扩容下沉和区域",
        "均衡布局，到2027年，基层诊疗量占比稳定在65%以上。",
    ],
    [
        "二、主要目标",
        "到2025年底，全市乡镇卫生院和社区卫生服务中心达到",
        "国家服务能力基本标准、推荐标准机构比例分别90%、",
        "50%以上，每万人口全科医生数达3.5名，累计建成社区",
        "医院30个以上，县域内就诊率达到90%以上。",
        "到2027年底，每万人口全科医生数达4.2名，每千常住人",
        "口执业（助理）医师数不低于3.2人，家庭医生签约服务",
        "覆盖率较2024年提高5个百分点，重点人群签约率达到",
        "85%以上，孕产妇死亡率控制在8.5/10万以下，婴儿死亡",
        "率控制在3.6‰以下。",
        "三、重点任务",
        "（一）加强基层人才队伍建设。每年为乡镇卫生院招录",
        "农村订单定向医学生不少于120名，每个乡镇卫生院配备",
        "全科医生20—35名，乡村医生中具备执业（助理）医师资",
        "格的比例达到45%以上。",
    ],
    [
        "（二）改善基层基础设施条件。2025—2027年全市新建或",
        "改扩建乡镇卫生院18所，每所业务用房面积不低于3000",
        "平米，每个社区卫生服务中心设置康复床位不少于30张。",
        "（三）完善基层用药保障。基层医疗卫生机构与二级以",
        "上医院用药目录衔接比例达到95%以上，国家基本药物",
        "配备品种数量占比不低于60%。",
        "（四）提高基层人员待遇。乡村医生基本收入不低于",
        "2.4万元/人·年，对在艰苦边远地区工作的全科医生每人",
        "每月不低于200元发放岗位补助，连续工作满5年的给予",
        "一次性奖励1万元。",
        "（五）推进数字健康服务。到2026年底，二级以上医院",
        "远程医疗服务覆盖率达到100%，电子健康档案开放使用",
        "率达到70%以上，基层检查检验结果互认项目不少于",
        "50项。",
    ],
    [
        "附件1",
        "某市基层医疗卫生机构能力提升任务分解表",
        "区县\t2025年\t2026年\t2027年\t合计",
        "甲区\t12\t14\t16\t42",
        "乙区\t9\t10\t11\t30",
        "丙县\t15\t15\t18\t48",
        "丁县\t7\t8\t9\t24",
        "戊县\t6\t7\t8\t21",
        "高新区\t3\t4\t5\t12",
        "合计\t52\t58\t67\t177",
        "注：表中数字为当年新增培训全科医生人数（名）。",
        "各区县要按照任务分解表抓好落实，每季度末将进展",
        "情况报市卫生健康委基层卫生健康处。",
    ],
    [
        "四、保障措施",
        "（一）加强组织领导。各区县要成立由政府分管负责同",
        "志任组长的工作专班，于2025年6月30日前制定实施方",
        "案，明确时间表和路线图。",
        "（二）加大投入力度。市财政每年安排专项资金不少于",
        "5000万元，对达到推荐标准的乡镇卫生院一次性奖补",
        "50万元，对新建成的社区医院奖补30万元。",
        "（三）强化考核评估。将行动实施情况纳入对区县政府",
        "绩效考核，考核结果与资金分配挂钩，对工作推进不力",
        "的予以通报，考核优秀的区县在下一年度资金安排中",
        "上浮10%。",
        "（四）营造良好氛围。及时总结推广典型经验，每年评",
        "选优秀基层卫生工作者不少于100名。",
    ],
    [
        "附件2",
        "某市基层卫生健康主要指标",
        "指标\t2024年基期\t2027年目标\t属性",
        "每万人口全科医生数（名）\t3.1\t4.2\t预期性",
        "基层诊疗量占比（%）\t58.6\t65\t预期性",
        "家庭医生签约率（%）\t41.5\t46.5\t预期性",
        "孕产妇死亡率（/10万）\t9.2\t8.5\t约束性",
        "婴儿死亡率（‰）\t4.1\t3.6\t约束性",
        "本方案自2025年4月1日起施行，有效期至2027年12月",
        "31日。此前有关规定与本方案不一致的，以本方案为准。",
        "抄送：省卫生健康委，市政府办公室。",
        "某市卫生健康委员会办公室  2025年3月18日印发",
    ],
]


def font_path() -> tuple[Path, int] | None:
    """A CJK font to draw pages with: Noto Serif CJK SC (face 2 of the collection), else WenQuanYi."""
    serif = FONT_DIRS[0] / "NotoSerifCJK-Regular.ttc"
    if serif.is_file():
        return serif, 2
    wqy = FONT_DIRS[1] / "wqy-zenhei.ttc"
    if wqy.is_file():
        return wqy, 0
    return None


def render_page(lines: list[str], font: tuple[Path, int], degrade: bool, seed: int = 0) -> Image:
    """Draw ``lines`` on a white A4 page image; ``degrade`` makes it look scanned."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    page = Image.new("L", PAGE_SIZE, color=255)
    draw = ImageDraw.Draw(page)
    face = ImageFont.truetype(str(font[0]), FONT_PX, index=font[1])
    y = MARGIN
    # Table rows (cells joined by tabs) are drawn in columns, as a printed table is; long row labels
    # take two columns.
    wide = CELL_PX if any(len(line.split("\t")[0]) > 4 for line in lines if "\t" in line) else 0
    for line in lines:
        cells = line.split("\t")
        for k, cell in enumerate(cells):
            draw.text((MARGIN + k * CELL_PX + (wide if k else 0), y), cell, font=face, fill=0)
        y += int(FONT_PX * 1.9)
    if not degrade:
        return page
    rng = random.Random(seed)
    page = page.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BICUBIC, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(radius=0.8))
    noisy = page.point(lambda v: int(v * 0.86 + 20))  # grey paper, lighter ink
    pixels = noisy.load()
    assert pixels is not None
    for _ in range(PAGE_SIZE[0] * PAGE_SIZE[1] // 60):
        x, yy = rng.randrange(PAGE_SIZE[0]), rng.randrange(PAGE_SIZE[1])
        pixels[x, yy] = max(0, min(255, int(pixels[x, yy]) + rng.randint(-70, 70)))  # type: ignore[arg-type]
    return noisy


def scan_pdf(images: list[Image], path: Path) -> Path:
    """An image-only PDF (no text layer) with one page per image, as a scanner writes it."""
    first, *rest = [im.convert("L") for im in images]
    first.save(path, "PDF", resolution=144.0, save_all=True, append_images=rest)
    return path


class TesseractCli:
    """Tesseract 5 through its command line (``tesseract - - -l chi_sim tsv``), for comparison only."""

    name = "tesseract"

    def __init__(self, lang: str = "chi_sim") -> None:
        self.lang = lang

    @staticmethod
    def available(lang: str = "chi_sim") -> bool:
        """Whether the tesseract command and its language data are installed."""
        if shutil.which("tesseract") is None:
            return False
        found = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False)
        return lang in found.stdout.split()

    def recognize(self, image: Image) -> list[OcrLine]:
        """Words grouped by Tesseract's own line numbers, with the mean word confidence (0..1)."""
        import io

        from ingestion.ocr import OcrLine

        buf = io.BytesIO()
        image.save(buf, "PNG")
        done = subprocess.run(
            ["tesseract", "-", "-", "-l", self.lang, "--psm", "6", "tsv"],
            input=buf.getvalue(),
            capture_output=True,
            check=True,
            timeout=120,
        )
        lines: dict[tuple[int, int, int], list[list[str]]] = {}
        for row in done.stdout.decode("utf-8").splitlines()[1:]:
            cells = row.split("\t")
            if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
                continue
            lines.setdefault((int(cells[2]), int(cells[3]), int(cells[4])), []).append(cells)
        result: list[OcrLine] = []
        for words in lines.values():
            text = " ".join(w[11] for w in words)
            conf = sum(float(w[10]) for w in words) / len(words) / 100
            x0 = min(float(w[6]) for w in words)
            y0 = min(float(w[7]) for w in words)
            x1 = max(float(w[6]) + float(w[8]) for w in words)
            y1 = max(float(w[7]) + float(w[9]) for w in words)
            result.append(OcrLine(text, conf, (x0, y0, x1, y1)))
        return result


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (two-row dynamic programme)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _squash(text: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def char_accuracy(truth: str, read: str) -> float:
    """1 - CER over the texts without whitespace (NFKC on both: full-width forms count as read)."""
    t, r = _squash(truth), _squash(read)
    return max(0.0, 1 - edit_distance(t, r) / max(1, len(t)))


def _numbers(text: str) -> Counter[str]:
    """The numbers of a text (NFKC; spaces kept: they separate table cells)."""
    import unicodedata

    return Counter(NUMBER.findall(unicodedata.normalize("NFKC", text)))


def number_accuracy(truth: str, read: str) -> float:
    """Share of the numbers of ``truth`` found in ``read`` (as a multiset)."""
    want = _numbers(truth)
    got = _numbers(read)
    total = sum(want.values())
    return sum(min(n, got[k]) for k, n in want.items()) / max(1, total)


def number_confidences(page: OcrPageText) -> list[tuple[str, float]]:
    """Each number read on the page (as NUMBER matches it) with its weakest character's confidence."""
    import unicodedata

    found: list[tuple[str, float]] = []
    for line in page.lines:
        for m in NUMBER.finditer(unicodedata.normalize("NFKC", line.text)):
            found.append((m.group(0), min(line.confidence_at(i) for i in range(m.start(), m.end()))))
    return found


@dataclass
class EngineResult:
    """Accuracy, time and number confidences of one engine over the pages of one condition."""

    engine: str
    condition: str
    chars: float
    numbers: float
    seconds: list[float]
    cpu_seconds: list[float]
    read_numbers: int = 0
    wrong_numbers: int = 0
    wrong_held: int = 0
    right_held: int = 0


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child)."""
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def measure(engine: OcrEngine, images: list[Image], texts: list[str], condition: str, threshold: float) -> EngineResult:
    """Read every image with ``engine`` (after one warm-up), scoring against ``texts``.

    Numbers read are checked against the page's numbers: ``wrong_held`` counts misread numbers whose
    confidence is under ``threshold`` (kept out of target rows, as the product does), ``right_held``
    correct numbers that would be held back too.
    """
    from ingestion.ocr import assemble_page

    engine.recognize(images[0])  # warm-up: model load, first-run allocations
    result = EngineResult(engine.name, condition, 0.0, 0.0, [], [])
    chars: list[float] = []
    numbers: list[float] = []
    for number, (image, truth) in enumerate(zip(images, texts, strict=True), start=1):
        t0, c0 = time.perf_counter(), _cpu()
        boxes = engine.recognize(image)
        result.seconds.append(time.perf_counter() - t0)
        result.cpu_seconds.append(_cpu() - c0)
        page = assemble_page(number, boxes)
        chars.append(char_accuracy(truth, page.text))
        numbers.append(number_accuracy(truth, page.text))
        want = _numbers(truth)
        for value, conf in number_confidences(page):
            result.read_numbers += 1
            right = want[value] > 0
            if right:
                want[value] -= 1
            result.wrong_numbers += not right
            result.wrong_held += (not right) and conf < threshold
            result.right_held += right and conf < threshold
    result.chars = sum(chars) / len(chars)
    result.numbers = sum(numbers) / len(numbers)
    return result


def ingest_scan(scratch: Path, pdf: Path) -> dict[str, Any]:
    """Ingest the scanned PDF with ``Library`` (real embedder, fresh store); time parse and the whole."""
    from assistant.library import Library
    from ingestion.pipeline import parse_file

    settings = settings_for(scratch / "store")
    library = Library(settings)
    t0 = time.perf_counter()
    report = library.ingest([pdf])
    total = time.perf_counter() - t0
    result = report.files[0]
    t1 = time.perf_counter()
    doc = parse_file(pdf, max_bytes=50_000_000, ocr=library.ocr_options())
    parse = time.perf_counter() - t1
    return {
        "pages": len(PAGES),
        "ingest_s": total,
        "parse_s": parse,
        "status": result.status,
        "chunks": result.n_chunks,
        "targets": result.n_targets,
        "ocr_pages": len(doc.ocr_pages),
        "hit": bool(library.search("每万人口全科医生数达3.5名", k=3)),
    }


def run(scratch: Path, quick: bool = False) -> tuple[list[Table], dict[str, Any]]:
    """Measure both engines on clean and degraded pages, then ingest a 6-page scan."""
    from assistant.settings import Settings
    from ingestion.ocr import RapidOcrEngine

    threshold = Settings(_env_file=None).ocr_min_confidence  # type: ignore[call-arg]
    font = font_path()
    if font is None:
        out("no CJK font (apt-get install fonts-noto-cjk): OCR benchmark skipped")
        return [], {"skipped": "no CJK font"}
    pages = PAGES[:2] if quick else PAGES
    texts = ["\n".join(lines) for lines in pages]
    engines: list[OcrEngine] = [RapidOcrEngine()]
    if TesseractCli.available():
        engines.append(TesseractCli())
    else:
        out("tesseract with chi_sim not installed: only RapidOCR is measured")
    results: list[EngineResult] = []
    for condition, degrade in (("clean", False), ("scanned", True)):
        images = [render_page(lines, font, degrade, seed=i) for i, lines in enumerate(pages)]
        for engine in engines:
            out(f"  {engine.name} on {len(images)} {condition} pages")
            results.append(measure(engine, images, texts, condition, threshold))

    accuracy = Table(
        "OCR engines on made-up A4 plan pages (144 dpi)",
        [
            "engine",
            "pages",
            "characters right",
            "numbers right",
            "s/page (median)",
            "s/page (max)",
            "CPU s/page",
            "numbers read",
            "misread",
            f"misread held (<{threshold:g})",
            "right but held",
        ],
        notes=[
            "Characters: 1 - edit distance / length, whitespace ignored, NFKC on both sides. Numbers: share of "
            "the page's numbers (with %/‰) read exactly.",
            "Pages drawn with Noto Serif CJK SC at ~15 pt; 'scanned' adds rotation (±0.6°), blur, grey paper "
            "and noise.",
            "RapidOCR = rapidocr-onnxruntime 1.4.4 (PP-OCRv4 det + rec, angle classifier off), the product's engine; "
            "Tesseract = Debian tesseract-ocr 5 + tesseract-ocr-chi-sim, --psm 6.",
            "Held: numbers whose weakest character's confidence is under the ocr_min_confidence setting, which the "
            "product keeps out of the target rows (Tesseract gives word confidences only, so its column is rough).",
        ],
    )
    for r in results:
        ordered = sorted(r.seconds)
        accuracy.rows.append(
            [
                f"{r.engine} ({r.condition})",
                len(r.seconds),
                f"{r.chars:.1%}",
                f"{r.numbers:.1%}",
                round(ordered[len(ordered) // 2], 2),
                round(ordered[-1], 2),
                round(sum(r.cpu_seconds) / len(r.cpu_seconds), 2),
                r.read_numbers,
                r.wrong_numbers,
                r.wrong_held,
                r.right_held,
            ]
        )
    raw: dict[str, Any] = {"engines": [r.__dict__ for r in results]}

    scan_dir = scratch / "scan"
    scan_dir.mkdir(parents=True, exist_ok=True)
    pdf = scan_pdf([render_page(lines, font, True, seed=i) for i, lines in enumerate(PAGES)], scan_dir / "scan6.pdf")
    out("  ingesting a 6-page scan")
    ingest = ingest_scan(scratch, pdf)
    raw["ingest"] = ingest
    ingest_table = Table(
        "Ingest of a 6-page scanned PDF (image-only, made-up pages)",
        ["pages", "OCR'd", "ingest s (Library, cold)", "parse s (warm engine)", "s/page parse", "chunks", "targets"],
        rows=[
            [
                ingest["pages"],
                ingest["ocr_pages"],
                round(ingest["ingest_s"], 1),
                round(ingest["parse_s"], 1),
                round(ingest["parse_s"] / ingest["pages"], 2),
                ingest["chunks"],
                ingest["targets"],
            ]
        ],
        notes=[
            "Cold: a fresh store, the OCR and embedding models loaded inside the timed call. Parse: parse_file "
            "again in the same process (engine loaded): render + OCR + cleaning + targets.",
            f"Search for a sentence of page 2 finds it: {ingest['hit']}.",
        ],
    )
    return [accuracy, ingest_table], raw


def main() -> int:
    """Run the OCR benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="two pages per engine instead of six")
    parser.add_argument("--scratch", type=Path, help="folder for the scratch store (kept)")
    args = parser.parse_args()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="pa-bench-ocr-"))
    try:
        tables, raw = run(scratch, quick=args.quick)
        for t in tables:
            out(t.markdown())
        emit(raw)
    finally:
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
