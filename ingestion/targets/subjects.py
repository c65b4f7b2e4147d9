"""A headless indicator takes its subject from an earlier clause of its sentence.

``扩大艾滋病检测覆盖面，检测覆盖率高于当地常住人口数的25%``: the rate's clause says only 检测覆盖率; the
clause before names whose (艾滋病). ``推行…联合门诊建设，落实…，到2025年，建成率达到40%以上``: a bare
建成率 is the 建成率 of what the earlier clause builds (…联合门诊建设). The object of an earlier clause
is the text after its first action verb (``scope.toml`` action_verbs).
"""

from __future__ import annotations

import re

from ingestion.text.rules import rules

_CLAUSES = re.compile(r"[，,；;：:]")
_BARE = re.compile(r"(?:率|比例|占比)")
# A subject longer than this, or holding a number, is not a subject.
MAX_SUBJECT_CHARS = 40
_LIST_ENDS = ("等", "、", "和", "及", "与")


def _object(clause: str, verbs: tuple[str, ...]) -> str:
    """The text after the first action verb of ``clause`` ("" when it has none)."""
    found = [(clause.find(v), v) for v in verbs if v in clause]
    if not found:
        return ""
    at, verb = min(found, key=lambda f: (f[0], -len(f[1])))
    return clause[at + len(verb) :].strip()


def with_subject(before: str, indicator: str, verbs: tuple[str, ...] | None = None) -> str:
    """``indicator`` completed by the subject an earlier clause of its sentence (``before``) names.

    Only rates and shares (率, 比例, 占比) are completed. A bare rate (建成率, ≤ 3 characters) takes
    the object of the nearest earlier clause whose last word starts like it (…门诊建设 for 建成率),
    without that word; another rate takes what stands before its first word in the object of the
    nearest earlier clause that has that word (艾滋病 before 检测). The indicator is returned
    unchanged when no clause fits.
    """
    verbs = verbs if verbs is not None else rules().action_verbs
    if not _BARE.search(indicator):
        return indicator  # only rates and shares: a count or a deadline names its own subject
    bare = len(indicator) <= 3
    head = indicator[:2]
    if len(head) < 2:
        return indicator
    for clause in reversed([c.strip() for c in _CLAUSES.split(before) if c.strip()]):
        obj = _object(clause, verbs)
        if bare:
            subject = obj[:-2] if len(obj) > 2 and obj[-2] == indicator[0] else ""
        else:
            at = obj.find(head)
            subject = obj[:at] if at > 0 else ""
        if (
            subject
            and len(subject) <= MAX_SUBJECT_CHARS
            and not re.search(r"\d", subject)
            and not subject.endswith(_LIST_ENDS)  # 老年人、孕产妇等重点人群: a list naming members, not a subject
            and subject not in indicator
        ):
            return subject + indicator
        if subject or (not bare and head in clause):
            break
    return indicator
