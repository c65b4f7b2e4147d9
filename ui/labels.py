"""Every Chinese string the web UI shows, kept in one place so it can be reviewed.

Code and comments are English; what officials read is Chinese. Format placeholders use
``str.format`` names so translators see what is interpolated.
"""

from __future__ import annotations

from assistant.access import UI_ADMIN_USER

APP_TITLE = "卫生健康政策助手"
APP_SUBTITLE = "基于已收录的卫生健康规划文件回答问题：每个数字都附有原文出处，可展开查看上下文。"
STATUS_LINE = "已收录 {n_docs} 份文件，{n_targets} 条量化指标。"
STATUS_EMPTY = "尚未收录任何文件：请在“文件”页上传规划文件，或在服务器上运行 `make ingest`。"

TOAST_INFO = "提示"
TOAST_WARNING = "注意"

# ---- tabs ---------------------------------------------------------------------------------------
TAB_CHAT = "问答"
TAB_TARGETS = "指标"
TAB_DOCS = "文件"
TAB_EVAL = "评测"

# ---- chat ---------------------------------------------------------------------------------------
CHAT_LABEL = "对话"
CHAT_PLACEHOLDER = "请输入问题，例如某项指标到某年要达到多少；可以接着追问“那2023年呢？”"
QUESTION_LABEL = "问题"
QUESTION_PLACEHOLDER = "输入问题后按回车或点击“提问”"
ASK_BUTTON = "提问"
CLEAR_BUTTON = "清空对话"
EXAMPLES_LABEL = "示例问题（点击即可提问）"
FILTER_REGION = "限定地区（市/县/区）"
FILTER_REGION_ALL = "全部地区"
# A region named inside a plan, labelled with the plan it comes from.
REGION_IN_PLAN = "{region}（{plan}）"
FILTER_DOCS = "限定文件"
FILTER_DOCS_INFO = "不选则在全部文件中查找"
FILTERS_TITLE = "筛选条件"
COPY_LABEL = "复制回答（含出处）"
COPY_INFO = "点击右上角按钮复制，可直接粘贴到公文或微信中"
THINKING = "正在检索文件并核对原文……"
EMPTY_QUESTION = "请输入问题。"
QUESTION_TOO_LONG = "问题过长（{n} 字）：请控制在 {limit} 字以内。"
QUESTION_INFO = "最多 {limit} 字"
ERROR_PREFIX = "出错了："
FEEDBACK_THANKS_UP = "感谢反馈：已记录为“有帮助”。"
FEEDBACK_THANKS_DOWN = "感谢反馈：已记录为“没帮助”，维护人员会查看。"
FEEDBACK_NO_ANSWER = "这条消息没有可反馈的回答。"

# Answer rendering.
SOURCES_TITLE = "出处"
NOT_FOUND_TITLE = "未在已收录的文件中找到答案"
NOT_FOUND_BODY = "已收录的文件中没有与这个问题直接对应的内容。以下是最接近的段落，供参考："
NOT_FOUND_NO_SUGGESTIONS = "已收录的文件中没有与这个问题相关的段落。可以换个说法，或在“文件”页上传相关文件。"
NEAREST_TITLE = "最接近的段落"
EXPAND_CONTEXT = "展开上下文"
EXPAND_FULL = "展开全文"
PAGE = "第{page}页"
SECTION_NONE = "（正文）"
TITLE_NONE = "（无标题文件）"
RESOLVED_AS = "按上文理解为：{question}"
LLM_NOTE = "说明：{note}"
COPY_SOURCES = "出处："
COPY_QUOTE = "“{quote}”"
JUMP_TO_SOURCE = "跳到出处"
# A cited table cell: its row, its column header and its value; the whole row opens on a click.
CELL_LABEL = "{row} · {header}：{value}"
ROW_OPEN = "查看整行：{row}（{n} 格）"
# Passages read by OCR from a scanned page: where to check them, and how sure the recognizer was.
OCR_MARK = "扫描件识别"
OCR_CONFIDENCE = "置信度 {confidence:.2f}"
OCR_CHECK = "请核对原文"

# Example questions, built from the stored targets; the fallbacks are generic health-policy wording.
EXAMPLE_TARGET = "到{year}年{indicator}要达到多少？"
EXAMPLE_REGIONS = "各地{indicator}的目标分别是多少？"
EXAMPLE_FALLBACK = (
    "到2025年每万人口全科医生数要达到多少？",
    "基层医疗卫生机构有哪些建设目标？",
    "有哪些关于家庭医生签约服务的目标？",
)

# ---- targets --------------------------------------------------------------------------------------
TARGETS_INTRO = "按地区、指标、年份或文件筛选量化指标；点击表格中的一行可查看原文出处。点击表头可排序。"
T_FILTER_REGION = "地区"
T_FILTER_INDICATOR = "指标（关键词）"
T_FILTER_INDICATOR_PH = "如：全科医生"
T_FILTER_YEAR = "年份"
T_FILTER_DOC = "文件"
T_ANY = "全部"
T_SEARCH = "筛选"
T_RESET = "重置"
T_COUNT = "共 {n} 条指标"
T_COUNT_LIMITED = "共 {n} 条指标，表格显示前 {shown} 条（导出的 CSV 包含全部）"
T_EXPORT = "导出 CSV"
T_CHART_INDICATOR = "图表指标"
T_CHART_AXIS = "比较方式"
T_AXIS_YEAR = "按年份"
T_AXIS_REGION = "按地区"
T_CHART_TITLE_YEAR = "{indicator}（按年份）"
T_CHART_TITLE_REGION = "{indicator}（{year}年，按地区）"
T_CHART_TITLE_REGION_NOYEAR = "{indicator}（按地区）"
T_CHART_YEAR = "图表年份"
T_SERIES = "显示的系列"
T_SERIES_INFO = "默认显示前 {n} 个，可增减"
T_CHART_EMPTY = "所选指标没有可比较的数值。"
T_DETAIL_EMPTY = "点击表格中的一行，查看该指标的原文出处。"
T_DETAIL_TITLE = "原文出处"

# Table columns (targets).
COL_REGION = "地区"
COL_SCOPE = "范围"
COL_INDICATOR = "指标"
COL_VALUE_TEXT = "目标值（原文）"
COL_VALUE = "数值"
COL_UNIT = "单位"
COL_YEAR = "年份"
COL_DOC = "文件"
COL_SECTION = "章节/表格"
COL_QUOTE = "原文"
COL_ORIGIN = "来源"
ORIGIN_OVERRIDE = "人工校正"
ORIGIN_EXTRACTED = "自动提取"
# Chart series columns.
COL_SERIES = "系列"
WHOLE_REGION = "（全域）"

# ---- documents ------------------------------------------------------------------------------------
DOCS_INTRO = "已收录的规划文件及其元数据（从正文中读取，可由维护人员校正）。"
COL_TITLE = "标题"
COL_ISSUER = "发文机关"
COL_DOC_NUMBER = "文号"
COL_DATE = "日期"
COL_PERIOD = "规划期"
COL_DRAFT = "状态"
DRAFT_YES = "征求意见稿"
DRAFT_NO = "正式文件"
COL_CHUNKS = "段落数"
COL_TARGETS = "指标行数"
COL_TABLES = "表格数"
COL_TABLES_FAILED = "核对未通过的表格"
COL_WARNINGS = "提取提示"
COL_SOURCE = "文件名"
COL_INGESTED = "入库时间"
COL_DOC_ID = "编号"
UPLOAD_LABEL = "上传规划文件（PDF、DOCX、DOC、TXT、MD）"
UPLOAD_BUTTON = "导入"
UPLOAD_NONE = "请先选择要上传的文件。"
UPLOAD_REFUSED = "以下文件未被接收：{files}"
UPLOAD_PROGRESS = "正在解析并建立索引：{name}（{i}/{n}）"
UPLOAD_DONE = "导入完成"
UPLOAD_STATUS = {
    "added": "已新增",
    "updated": "已更新",
    "unchanged": "未变化（已是最新）",
    "failed": "失败",
    "duplicate": "重复（内容相同，未重复收录）",
}
UPLOAD_RESULT_LINE = "{name}：{status}{detail}"
UPLOAD_COUNTS = "，{n_chunks} 个段落，{n_targets} 条指标"
UPLOAD_REASON = "，原因：{reason}"
UPLOAD_TABLES_FAILED = "；核对未通过的表格：{tables}"
ADMIN_ONLY = f"上传、移除文件和运行评测需要管理员权限：请以用户名 {UI_ADMIN_USER} 和管理员密钥重新登录。"
DELETE_LABEL = "移除文件"
DELETE_BUTTON = "移除"
DELETE_CONFIRM = "确认移除"
DELETE_CANCEL = "取消"
DELETE_ASK = "确定要移除“{title}”吗？移除后该文件的段落和指标将不再用于回答。"
DELETE_NONE = "请先选择要移除的文件。"
DELETE_DONE = "已移除：{title}"
REFRESH = "刷新"
# Documents whose metadata could not be read from their text: which fields, and how to fill them in.
META_MISSING_TITLE = "以下文件缺少元数据（影响按地区、按时间筛选和出处显示）："
META_MISSING_LINE = "{title}：缺少{fields}"
META_MISSING_FIELDS = {"issuer": "发文机关", "date": "日期", "region": "地区"}
META_MISSING_HOW = (
    "更正方法：请维护人员在服务器上运行 policy-assistant meta 原文件路径，"
    "在生成的“原文件名.meta.json”中补写缺少的字段，然后重新导入该文件。"
)
COL_META_MISSING = "缺少元数据"

# ---- evaluation -----------------------------------------------------------------------------------
EVAL_INTRO = "评测报告（维护人员使用）：用评测集检查回答的准确率和出处。"
EVAL_SOURCE = "报告文件：{path}（更新于 {mtime}）"
EVAL_RUN = "运行评测"
EVAL_SMOKE = "只跑冒烟子集（较快）"
EVAL_RUNNING = "正在评测：{done}/{total} 题"
EVAL_DONE = "评测完成：{n} 题，通过 {passed} 题。"
EVAL_FAILED = "无法读取评测集：{error}"
EVAL_MISSING = "尚未生成评测报告。评测由管理员运行，生成后点击“刷新”即可查看。"
