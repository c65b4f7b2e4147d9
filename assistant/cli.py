"""The ``policy-assistant`` commands for staff and maintainers (ingest, docs, meta, search, targets, ask, chat, eval).

Every command calls the one service object (``Assistant``), as the API and the UI do; evaluation goes
through ``evals.runner`` like the UI's 评测 page. ``serve`` and the console entry point live in the
composition root (``assistant.main``), which adds them to this app.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from assistant.settings import Settings
from ingestion.text.errors import InvalidRequestError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from assistant.service import Assistant

app = typer.Typer(
    help="Policy Assistant：卫生健康政策规划问答（离线、可引用、数字有出处）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    return Settings()


def _out(text: str) -> None:
    typer.echo(text)


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _jsonl(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """A batch file's objects; a bad line is one clear error (file:line) and exit code 2."""
    from evals.dataset import load_items

    try:
        return load_items(path)
    except InvalidRequestError as e:
        _err(f"批处理文件有误：{e}")
        raise typer.Exit(2) from e


def configure_logging(verbose: bool) -> None:
    """Log warnings (or, with ``verbose``, info) to stderr in one line per record."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _assistant() -> Assistant:
    from assistant.service import Assistant

    return Assistant(_settings())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹（PDF、DOCX、DOC、TXT、MD）")],
    if_empty: Annotated[bool, typer.Option("--if-empty", help="仅当库为空时入库")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出每个文件的结果")] = False,
    force: Annotated[bool, typer.Option("--force", help="即使文件未变化也重新处理（抽取规则更新后使用）")] = False,
) -> None:
    """把规划文件入库：清洗、分段、切块、抽取指标、建索引。重复入库未变化的文件不做任何事。"""
    from tqdm import tqdm

    from assistant.library import expand_paths

    assistant = _assistant()
    if if_empty and assistant.count_documents() > 0:
        _out(f"库中已有 {assistant.count_documents()} 个文件，跳过入库（去掉 --if-empty 可强制检查更新）。")
        return
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        _err(f"找不到 {p}")
    files = expand_paths([p for p in paths if p.exists()])
    with tqdm(total=len(files), desc="入库", unit="个文件", disable=as_json or not files, file=sys.stderr) as bar:

        def step(name: str) -> None:
            bar.set_postfix_str(name[:30])
            bar.update(1)

        pages: list[Any] = []  # the OCR bar of the file being read, if it has scanned pages

        def ocr_step(done: int, total: int) -> None:
            if done == 0:
                pages.append(
                    tqdm(total=total, desc="OCR 识别扫描页", unit="页", leave=False, disable=as_json, file=sys.stderr)
                )
                return
            pages[-1].update(1)
            if done >= total:
                pages.pop().close()

        results = assistant.ingest(files, progress=step, force=force, ocr_progress=ocr_step)
    failed = [f for f in results if f.status == "failed"]
    labels = {"added": "已入库", "updated": "已更新", "unchanged": "未变化", "failed": "失败", "duplicate": "重复"}
    for f in results:
        if as_json:
            _jsonl(f.model_dump())
            continue
        line = f"[{labels[f.status]}] {f.path}"
        if f.status in ("added", "updated"):
            line += f"  块 {f.n_chunks} 个，指标 {f.n_targets} 行"
            if f.tables_failed:
                line += f"，合计校验未通过的表：{'、'.join(f.tables_failed)}"
        if f.reason:
            line += f"  原因：{f.reason}"
        _out(line)
    if not as_json:
        total = assistant.count_documents()
        _out(f"共 {len(results)} 个文件，失败 {len(failed)} 个；库中现有 {total} 个文件。")
    if failed or missing:
        raise typer.Exit(1)


@app.command()
def docs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """列出已入库的文件及其元数据。"""
    records = _assistant().documents()
    if as_json:
        _out(json.dumps([r.model_dump() for r in records], ensure_ascii=False, indent=2))
        return
    if not records:
        _out("库中还没有文件。用 `policy-assistant ingest 路径` 入库。")
        return
    for r in records:
        m = r.meta
        _out(f"{r.doc_id}  {m.title or '（无标题）'}")
        bits = [
            f"发文机关：{m.issuer or '—'}",
            f"文号：{m.doc_number or '—'}",
            f"日期：{m.date or '—'}",
            f"地区：{m.region or '—'}",
            f"期间：{m.period or '—'}",
        ]
        if m.is_draft:
            bits.append("征求意见稿")
        _out("    " + "  ".join(bits))
        _out(f"    来源：{r.source}  块 {r.n_chunks}  指标 {r.n_targets}  表格 {r.n_tables}")
        for w in r.warnings[:5]:
            _out(f"    提示：{w}")


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="检索词或问题")] = None,
    k: Annotated[int, typer.Option("--k", min=1, max=100)] = 5,
    region: Annotated[str | None, typer.Option("--region", help="只在某地区的文件中检索")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help='JSONL 文件，每行 {"query": ...}')] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """混合检索（BM25 + 向量）：返回最相关的段落。"""
    from assistant.schema import Filters

    if (query is None) == (batch is None):
        _err("请给出一个检索词，或用 --batch 指定 JSONL 文件（二者选一）。")
        raise typer.Exit(2)
    assistant = _assistant()
    filters = Filters(region=region) if region else None
    queries = [str(item.get("query", "")) for item in _read_jsonl(batch)] if batch else [query or ""]
    for q in queries:
        hits = assistant.search(q, k=k, filters=filters) if q.strip() else []
        if as_json:
            _jsonl(
                {
                    "query": q,
                    "results": [
                        {
                            "doc_id": h.doc_id,
                            "title": h.title,
                            "source": h.source,
                            "section": h.section,
                            "text": h.text,
                            "score": round(h.score, 6),
                        }
                        for h in hits
                    ],
                }
            )
            continue
        _out(f"检索：{q}")
        for i, h in enumerate(hits, start=1):
            _out(f"[{i}] {h.title}｜{h.section or '—'}（{h.score:.3f}）")
            _out("    " + h.text.replace("\n", "\n    "))
        if not hits:
            _out("没有找到相关段落。")


@app.command()
def targets(
    region: Annotated[str | None, typer.Option("--region")] = None,
    indicator: Annotated[str | None, typer.Option("--indicator", help="指标名称（模糊匹配）")] = None,
    year: Annotated[str | None, typer.Option("--year")] = None,
    doc: Annotated[str | None, typer.Option("--doc", help="文件编号")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_csv: Annotated[bool, typer.Option("--csv")] = False,
) -> None:
    """列出从规划中抽取的量化指标（可按地区、指标、年份、文件筛选）。"""
    rows = _assistant().targets(region=region, indicator=indicator, year=year, doc_id=doc)
    if as_json:
        _out(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=2))
        return
    if as_csv:
        fields = list(rows[0].model_dump().keys()) if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for r in rows:
            writer.writerow(r.model_dump())
        return
    for r in rows:
        where = r.region or "—"
        when = r.year or "不限年份"
        _out(f"{r.doc_id}  {where}  {when}  {r.scope + '·' if r.scope else ''}{r.indicator}：{r.value_text}")
    _out(f"共 {len(rows)} 行。")


@app.command("meta")
def meta_sidecar(
    path: Annotated[Path, typer.Argument(help="规划文件")],
) -> None:
    """从文件中抽取元数据，写成旁注文件 <文件名>.meta.json 供人工校正（重新入库后生效）。"""
    from ingestion.corrections import sidecar_path, write_sidecar

    sidecar = sidecar_path(path)
    if sidecar.exists():
        _err(f"{sidecar} 已存在，未覆盖。")
        raise typer.Exit(1)
    write_sidecar(sidecar, _assistant().read_metadata(path))
    _out(f"已写出 {sidecar}；修改后运行 `policy-assistant ingest {path}` 生效。")


@app.command("delete")
def delete_doc(doc_id: Annotated[str, typer.Argument(help="文件编号")]) -> None:
    """从库中删除一个文件及其全部段落和指标。"""
    record = _assistant().delete(doc_id)
    _out(f"已删除 {record.doc_id}（{record.meta.title}）。")


def _print_answer(answer: Any) -> None:
    _out(answer.answer)
    for note in answer.notes:
        _out(f"说明：{note}")
    if answer.citations:
        _out("")
        _out("出处：")
        for c in answer.citations:
            where = "｜".join(x for x in (c.title, c.section, f"第{c.page}页" if c.page else "") if x)
            _out(f"[{c.n}] {where}")
            _out(f"    “{c.quote}”")
    if answer.suggestions:
        _out("")
        _out("相近的段落：")
        for i, h in enumerate(answer.suggestions, start=1):
            _out(f"({i}) {h.title}｜{h.section or '—'}")
            _out("    " + h.text[:200].replace("\n", " "))


def _history(raw: Any, where: str) -> list[Any]:
    from pydantic import ValidationError

    from assistant.schema import Turn

    if raw is None:
        return []
    try:
        return [Turn.model_validate(t) for t in raw]
    except (ValidationError, TypeError) as e:
        _err(f"{where}: history 应为 [{{\"role\": \"user\"|\"assistant\", \"content\": ...}}] 列表")
        raise typer.Exit(2) from e


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="问题，例如：到2025年每万人口全科医生数要达到多少？")] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help='JSONL 文件，每行 {"question": ..., "history": [...]}')
    ] = None,
    region: Annotated[str | None, typer.Option("--region")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """提问：数字来自指标表并注明出处；查不到时明确说明并给出最相近的段落。"""
    from assistant.schema import Filters

    if (question is None) == (batch is None):
        _err("请给出一个问题，或用 --batch 指定 JSONL 文件（二者选一）。")
        raise typer.Exit(2)
    assistant = _assistant()
    filters = Filters(region=region) if region else None
    if batch is not None:
        for n, item in enumerate(_read_jsonl(batch), start=1):
            history = _history(item.get("history"), f"{batch}:{n}")
            answer = assistant.ask(str(item.get("question", "")), history=history, filters=filters)
            if as_json:
                _jsonl(answer.model_dump(mode="json"))
            else:
                _out(f"问：{item.get('question', '')}")
                _print_answer(answer)
                _out("")
        return
    answer = assistant.ask(question or "", filters=filters)
    if as_json:
        _out(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        _print_answer(answer)


@app.command()
def chat() -> None:
    """终端多轮对话（输入空行或 Ctrl-D 结束）。"""
    from assistant.schema import Turn

    assistant = _assistant()
    assistant.warm_up()
    history: list[Turn] = []
    _out("请输入问题（空行结束）。")
    while True:
        try:
            question = input("问> ").strip()
        except EOFError:
            break
        if not question:
            break
        answer = assistant.ask(question, history=history)
        _print_answer(answer)
        _out("")
        history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


@app.command("eval")
def evaluate(
    datasets: Annotated[list[Path] | None, typer.Argument(help="评测集 JSONL（默认 evals/datasets 下全部）")] = None,
    report: Annotated[Path, typer.Option("--report", help="报告目录")] = Path("reports/latest"),
    baseline: Annotated[Path | None, typer.Option("--baseline", help="用于对比的上次 summary.json")] = None,
    fail_under: Annotated[
        str | None,
        typer.Option("--fail-under", help="阈值，如 strict_accuracy=0.95,unsupported_numbers=0，或 JSON 文件"),
    ] = None,
    smoke: Annotated[bool, typer.Option("--smoke", help="只跑冒烟子集")] = False,
    reference: Annotated[bool, typer.Option("--reference", help="同时评测朴素 LangChain 管线作参照")] = False,
    k: Annotated[int, typer.Option("--k", min=1, max=50)] = 5,
    perturb: Annotated[
        bool, typer.Option("--perturb", help="同时评测措辞扰动：把通过的可答题按 evals/perturbations.toml 改写后再评测")
    ] = False,
    perturb_limit: Annotated[
        int | None, typer.Option("--perturb-limit", min=1, help="每条扰动规则最多改写的题数（默认全部）")
    ] = None,
) -> None:
    """运行评测集：逐题打分（无大模型评判），写出 summary.json、items.jsonl、report.md、report.html。"""
    from tqdm import tqdm

    from evals.report import write_report
    from evals.report_context import collect_context
    from evals.runner import check_thresholds, evaluate, parse_thresholds, run, select_items

    settings = _settings()
    assistant = _assistant()
    try:
        items = select_items(datasets or None, smoke=smoke)
        assistant.require_documents()
    except InvalidRequestError as e:
        _err(str(e))
        raise typer.Exit(2) from e

    def bar(desc: str) -> tuple[Any, Any]:
        progress = tqdm(total=len(items), desc=desc, unit="题", file=sys.stderr)
        return progress, lambda done, total: progress.update(1)

    progress, step = bar("评测")
    result = evaluate(assistant, items, k=k, progress=step)
    progress.close()
    reference_result = None
    if reference:
        from evals.reference import ReferencePipeline

        docs = {e.get("doc") for item in items for e in item["evidence"]}
        plans = [p for p in sorted(Path("data/plans") / d for d in docs if d) if p.is_file()]
        progress, step = bar("参照管线")
        reference_result = run(ReferencePipeline(settings, plans), items, k=k, progress=step)
        progress.close()
    perturbed = None
    if perturb:
        from evals.perturbations import known_regions, run_perturbations

        def run_rewrites(rewritten: Sequence[Mapping[str, Any]]) -> Any:
            progress = tqdm(total=len(rewritten), desc="措辞扰动", unit="题", file=sys.stderr)
            done = evaluate(assistant, rewritten, k=k, progress=lambda _d, _t: progress.update(1), retrieval=False)
            progress.close()
            return done

        regions = known_regions(assistant.library.catalogue.regions())
        block, perturbed = run_perturbations(items, result.results, regions, run_rewrites, limit=perturb_limit)
        result.summary["perturbation"] = block
    thresholds = parse_thresholds(fail_under) if fail_under else None
    broken = check_thresholds(result.summary, thresholds) if thresholds else []
    context = collect_context(assistant, datasets)
    paths = write_report(report, result, reference_result, baseline, thresholds, context, perturbed)
    s = result.summary
    _out(
        f"{s['n']} 题，通过 {s['passed']}；严格准确率 {s['strict_accuracy'] or 0:.3f}，"
        f"引用召回 {s['citation_recall'] or 0:.3f}，拒答准确率 {s['abstention_accuracy'] or 0:.3f}，"
        f"无出处数字 {s['unsupported_numbers']} 个。"
    )
    if perturbed is not None:
        p = s["perturbation"]
        _out(f"措辞扰动：{p['n']} 题，通过 {p['passed']}；扰动准确率 {p['accuracy'] or 0:.3f}。")
    _out(f"报告：{paths['markdown']}  {paths['html']}")
    if broken:
        _err("未达阈值：" + "；".join(broken))
        raise typer.Exit(1)
