"""Answer composition: target rows for numbers, passages for the rest, honest abstention.

The extractive path needs no model: numbers are stated exactly as the plan writes them, with the
year and region they apply to, each citing its row's quote; explanations quote the sentences that
answer. The optional LLM rewrites from the same sources and is checked: every number it states
must stand in a cited quote, or its answer is discarded for the extractive one.

Every way of answering is a path of a declared list (``ANSWER_PATHS``, and the numbers stage's
``NUMBER_PATHS``, at the end of this module), tried in order: the first answer wins.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from assistant.bounds import with_stated_bounds
from assistant.compare import (
    annotate_rows,
    answer_each_plan,
    answer_regions,
    answer_sides,
    indicators_differ,
    narrower_lookup,
    reworded_lookup,
)
from assistant.doc_facts import doc_fact_answer
from assistant.inner_numbers import inner_number_answer
from assistant.lead_units import asks_lead_unit, lead_unit_answer
from assistant.lookup import Lookup, RowIndex, lookup
from assistant.mentions import Mention, MentionResolver, plan_restriction
from assistant.messages import (
    MAX_CLAUSE,
    MSG_BASELINE,
    MSG_EACH_QUESTION,
    MSG_EACH_QUESTION_NONE,
    MSG_EMPTY,
    MSG_EXPLAIN_LEAD,
    MSG_FALLBACK_LEAD,
    MSG_FALLBACK_LEAD_UNNAMED,
    MSG_LOCAL_NONE,
    MSG_LOCAL_SHARED_QUOTE,
    MSG_MISSING_REGIONS,
    MSG_NATIONAL_NONE,
    MSG_NATIONAL_OTHER_BASE,
    MSG_NATIONAL_SIDE,
    MSG_NATIONAL_STATED,
    MSG_NO_PASSAGE,
    MSG_NO_TARGET,
    MSG_NO_TARGET_FOR_REGION,
    MSG_NO_TARGET_FOR_YEAR,
    MSG_OCR_CHECK,
    MSG_PLAN_NO_YEAR,
    MSG_SIDE_STATED,
    MSG_SIDES_QUOTED_NOTE,
    MSG_SIDES_STATED_NOTE,
    MSG_UNKNOWN_PLACE,
    MSG_UNKNOWN_PLAN,
    MSG_WORDED_CLAUSE,
    indicator_label,
    value_clause,
    value_label,
    worded_clause,
    year_label,
)
from assistant.national import NationalComparison, asks_wording, compare_with_nation, quoted_phrases
from assistant.outer_places import OuterPlace, OuterPlaces, known_names
from assistant.parts import answer_parts, part_words, split_indicator, with_year_list
from assistant.plan_facts import plan_fact_answer
from assistant.plan_labels import shared_region_labels
from assistant.question_wording import plain_question, switches_subject
from assistant.region_note import choose_region, with_note
from assistant.replies import conversational, help_answer, plan_list
from assistant.requirements import (
    asked_plans,
    asks_sentence_first,
    best_requirement,
    part_answer,
    plan_goal_answer,
    plan_passages,
    requirement_answer,
    with_previous_question,
    with_whole_requirement,
)
from assistant.schema import Answer, Citation, Filters, SearchHit, Turn
from assistant.sentence_reader import Reading, asks_named_thing, covered_answer, sentence_answer, topic_sentence
from assistant.settings import Settings
from assistant.structure_answers import StructureAnswerer
from assistant.target_rows import TargetRows, load_rows
from assistant.understanding import (
    Query,
    Vocabulary,
    bigrams,
    full_region_names,
    parse_question,
    resolve,
    sub_regions,
)
from assistant.value_kinds import sentence_of_asked_kind
from assistant.wordings import in_plan_words
from assistant.year_cells import MSG_WORD_CELL, baseline_answer, later_word_cells, word_cell_answer
from ingestion.schema import Chunk, DocumentRecord, Target
from ingestion.text.normalize import nfkc
from ingestion.text.numbers import parse_quantities
from ingestion.text.rules import alternation, rules

if TYPE_CHECKING:
    from assistant.catalogue import Catalogue
    from assistant.library import Library
    from assistant.llm import LLMComposer

log = logging.getLogger(__name__)

_SENT_SPLIT = re.compile(r"(?<=[。；;！？!?])")
# The questions of one message (服务站岗位咋核？卫生院按每万服务人口几个人来算编制？): each up to its question mark.
_QUESTION_END = re.compile(r"[^？?]+[？?]")
_CITATION_MARK = re.compile(r"\[(\d+)\]")
MIN_QUESTION_CHARS = 6  # a question shorter than this (那呢？) asks nothing on its own


def _shifted_marks(text: str, shift: int) -> str:
    """``text`` with each citation marker [n] numbered on by ``shift`` ([1] -> [3] after two citations)."""
    return _CITATION_MARK.sub(lambda m: f"[{int(m.group(1)) + shift}]", text)


_SENTENCE_END = re.compile(r"[。！？!?]")  # where a sentence ends; a semicolon ends a clause of it
EXPLAIN_MIN_COVERAGE = 0.5
FALLBACK_MIN_COVERAGE = 0.6
MIN_SENTENCE_OWN = 0.2
EXPLAIN_PASSAGES = 2
STRONG_COVERAGE = 0.85
DOC_HINT_MIN = 0.5


@functools.cache
def _pure_explain() -> re.Pattern[str]:
    """Questions that ask how or why: answered from passages even when some row shares their words."""
    return re.compile(alternation(rules().explain_words))


def _plan_passages(catalogue: Catalogue, docs: Mapping[str, DocumentRecord], doc_id: str) -> list[SearchHit]:
    """Every text passage of one plan, in its order (a requirement the search's top hits miss)."""
    doc = docs.get(doc_id)
    if doc is None:
        return []
    chunks = catalogue.chunks_of([doc_id]).get(doc_id, [])
    return plan_passages(chunks, doc.meta.title, doc.source, doc.meta.region)


class Answerer:
    """Answers questions from a snapshot of the catalogue (rebuilt when the catalogue changes)."""

    def __init__(self, settings: Settings, library: Library, previous: Answerer | None = None) -> None:
        self.settings = settings
        self.library = library
        catalogue = library.catalogue
        self.generation = catalogue.generation()
        # After a change, the previous snapshot's rows are updated for the changed documents only.
        self.rows: TargetRows = load_rows(
            catalogue,
            settings.target_rows_in_memory,
            previous.rows if previous else None,
            snapshot=settings.data_dir / "answer_rows" / "keys.pickle",
        )
        self.index = RowIndex(self.rows)
        docs = catalogue.documents()
        self.docs = {d.doc_id: d for d in docs}
        self.doc_regions = {d.doc_id: d.meta.region for d in docs}
        keys = self.rows.keys
        self.vocab = Vocabulary.build(
            {k.region for k in keys} | {d.meta.region for d in docs},
            {k.scope for k in keys},
            self.rows.wordings,
            within=sub_regions(
                [(k.region, self.doc_regions.get(k.doc_id, "")) for k in keys]
                + [(d.meta.region, d.meta.parent_region) for d in docs]
            ),
        )
        self.outer = OuterPlaces(docs, known_names(self.vocab.aliases))  # a district plan's city, a basis province
        self.llm: LLMComposer | None = None
        if settings.llm_base_url:
            from assistant.llm import LLMComposer

            self.llm = LLMComposer(settings)
        self._text = lru_cache(maxsize=64)(catalogue.document_text)
        # A cache of a plain function, not of a bound method: one holding ``self`` would be a cycle that keeps
        # a replaced Answerer alive until a full collection, which the service's gc.freeze() defers.
        self._plan_passages = lru_cache(maxsize=16)(functools.partial(_plan_passages, catalogue, self.docs))
        self.mentions = MentionResolver(docs)
        self.structure = StructureAnswerer(
            self.docs,
            self._text,
            docs_containing=catalogue.docs_containing,
            chunks_of=lambda doc_id: catalogue.chunks_of([doc_id]).get(doc_id, []),
        )
        # The answer paths, in the order they are tried (declared at the end of this module). Instance
        # attributes, so a caller or a test may put its own path in front.
        self.paths: tuple[AnswerPath[AnswerContext], ...] = ANSWER_PATHS
        self.number_paths: tuple[AnswerPath[NumberScope], ...] = NUMBER_PATHS

    def _chunks_of(self, doc_id: str) -> list[Chunk]:
        return self.library.catalogue.chunks_of([doc_id]).get(doc_id, [])

    def is_current(self) -> bool:
        """Whether the catalogue is unchanged since this snapshot was taken."""
        return self.library.catalogue.generation() == self.generation

    # ---- entry point --------------------------------------------------------------------------

    def ask(self, question: str, history: Sequence[Turn], filters: Filters | None) -> Answer:
        """Answer ``question`` given the conversation so far and the caller's filters.

        An answer that cites a passage read by OCR from a scanned page says so, so the reader checks
        the number against the page.
        """
        asked = plain_question(question)  # 请问…来着, 二〇二五年, 25年底: officials' own forms in plain ones
        history = [Turn(role="user", content=plain_question(t.content)) if t.role == "user" else t for t in history]
        answer = self._answer(asked, history, filters)
        plain = in_plan_words(asked)
        if answer.status == "not_found" and plain != asked:
            # 12岁孩子的患龋率 finds nothing in its own words: asked again in the plans' (12岁儿童).
            again = self._answer(plain, history, filters)
            if again.status == "answered":
                answer = again
        if answer.status == "not_found":
            # 服务站岗位咋核？卫生院按每万服务人口几个人来算编制？: the questions of one message, each on its own.
            answer = self._each_question(asked, history, filters) or answer
        if answer.question != question:
            answer = answer.model_copy(update={"question": question})
        if any(c.ocr for c in answer.citations) and MSG_OCR_CHECK not in answer.answer:
            answer.answer = f"{answer.answer.rstrip()}\n\n{MSG_OCR_CHECK}"
        return answer

    def _each_question(self, question: str, history: Sequence[Turn], filters: Filters | None) -> Answer | None:
        """A message of two or more questions (each ending in ？) that finds nothing as a whole: each answered.

        The answers stand under their questions, their citations numbered on; None unless the message holds two
        questions of MIN_QUESTION_CHARS characters or more and one of them is answered.
        """
        texts = [t.strip() for t in _QUESTION_END.findall(question.strip())]
        if len(texts) < 2 or any(len(t) < MIN_QUESTION_CHARS for t in texts):
            return None
        answers = [self._answer(t, history, filters) for t in texts]
        if not any(a.status == "answered" for a in answers):
            return None
        lines: list[str] = []
        citations: list[Citation] = []
        targets: list[Target] = []
        for text, one in zip(texts, answers, strict=True):
            if one.status != "answered":
                lines.append(MSG_EACH_QUESTION.format(question=text, answer=MSG_EACH_QUESTION_NONE))
                continue
            shift = len(citations)
            body = _shifted_marks(one.answer, shift)
            citations.extend(c.model_copy(update={"n": c.n + shift}) for c in one.citations)
            targets.extend(one.targets)
            lines.append(MSG_EACH_QUESTION.format(question=text, answer=body.strip()))
        first = next(a for a in answers if a.status == "answered")
        return first.model_copy(
            update={
                "answer": "\n\n".join(lines),
                "citations": citations,
                "targets": targets,
                "suggestions": [],
                "resolved_question": " / ".join(a.resolved_question for a in answers if a.resolved_question),
            }
        )

    def _answer(self, question: str, history: Sequence[Turn], filters: Filters | None) -> Answer:
        """The answer of the first of ``self.paths`` that answers, after the shared after-steps if it takes them."""
        ctx = AnswerContext(self, question, history, filters)
        for path in self.paths:
            answer = path.answer(ctx)
            if answer is None:
                continue
            stage = answer.path  # the number path, when the answer comes from the numbers stage
            if path.after_steps:
                answer = with_whole_requirement(question, answer)  # 有啥要求: the row's clause group sets more
                if self.llm is not None and answer.status == "answered":
                    answer = self.llm.rewrite(answer)
                answer = with_note(with_note(answer, ctx.outer_note(answer.status)), ctx.region_note)
            answer.path = f"{path.name}/{stage}" if stage else path.name
            return answer
        msg = f"no answer path answered {question!r}: the last of Answerer.paths must always answer"
        raise LookupError(msg)

    # ---- numbers ------------------------------------------------------------------------------

    def _numbers(self, query: Query, allowed: set[str] | None, filters: Filters | None) -> Answer:
        """The numbers stage: the answer of the first of ``self.number_paths`` that answers, within ``allowed``."""
        scope = NumberScope(self, query, allowed, filters)
        for path in self.number_paths:
            answer = path.answer(scope)
            if answer is not None:
                answer.path = path.name
                return answer
        msg = f"no number path answered {query.text!r}: the last of Answerer.number_paths must always answer"
        raise LookupError(msg)

    def _with_suggestions(self, answer: Answer, query: Query, filters: Filters | None) -> Answer:
        """A structure answer that found nothing shows the nearest passages, like every "not found"."""
        if answer.status == "not_found":
            answer.suggestions = self._search(query, filters, k=3)
        answer.resolved_question = query.resolved
        return answer

    def _plan_sides(self, question: str, mentions: Sequence[Mention], history: Sequence[Turn]) -> Answer | None:
        """Plans named beside other plans or regions (甲方案和乙市的方案…分别): each side answered (compare.py)."""
        plans = [m.doc_id for m in mentions if m.doc_id]
        if not plans or not (len(set(plans)) >= 2 or any(m.joined for m in mentions)):
            return None
        query = resolve(mentions[0].rest, self._without_plan_names(history), self.vocab)
        query = replace(query, text=question.strip())
        return answer_sides(
            query,
            plans,
            self.index,
            self.doc_regions,
            self._compose_rows,
            self._title_of,
            stated=self._side_sentence,
            cite=self._hit_citation,
        )

    def _side_sentence(self, query: Query, docs: set[str]) -> tuple[SearchHit, str] | None:
        """The sentence of ``docs`` stating what ``query`` asks, when no row answers a comparison's side."""
        return best_requirement(query, [h for d in sorted(docs) for h in self._plan_passages(d)], ranked=False)

    def _title_of(self, doc_id: str) -> str:
        doc = self.docs.get(doc_id)
        return doc.meta.title if doc else doc_id

    def _docs_named(self, hint: str) -> set[str] | None:
        """The document a question names (深化医改实施方案里…), if its words clearly pick one title."""
        hb = bigrams(hint)
        if not hb:
            return None
        scores = sorted(
            ((len(hb & bigrams(d.meta.title)) / len(hb), d.doc_id) for d in self.docs.values()), reverse=True
        )
        if scores and scores[0][0] >= DOC_HINT_MIN and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            return {scores[0][1]}
        return None

    def _versus_nation(self, question: str, history: Sequence[Turn]) -> Answer | None:
        """我市…和国家比怎么样: the local and the national rows side by side, each cited (assistant/national.py)."""
        found = compare_with_nation(
            question,
            history,
            self.vocab,
            self.index,
            self.doc_regions,
            named=lambda text: plan_restriction(self.mentions.find(text)),
            split_items=split_indicator,
        )
        if found is None:
            return None
        if not (found.local_rows or found.national_rows):
            # 白鹭对…是咋规定的？跟国家纲要的说法对得上吗？: no number on either side, each side's sentence on it.
            return self._sides_stated(question, found) if asks_wording(question) else None
        if not found.local_rows and asks_wording(question):
            # 白鹭讲要按“半小时康养圈”布局，国家纲要对…是怎么说的: the local sentence quoted beside the national row.
            quoted = self._quoted_beside_rows(question, found)
            if quoted is not None:
                return quoted
        answer = self._compose_rows(Query(text=question.strip()), found.local_rows + found.national_rows)
        self._shared_local_quote(answer, found)
        stated = None if found.national_rows else self._national_sentence(found)
        return self._national_notes(answer, found, stated)

    @staticmethod
    def _shared_local_quote(answer: Answer, found: NationalComparison) -> None:
        """The one sentence several local rows are read from, quoted under the rows (…分别达45%、75%以上).

        The items a local side names (卫生院和服务站…几类) are stated together in the plan; its sentence shows them
        as the plan puts them, cited to the rows' own citation.
        """
        keys = {(r.doc_id, r.start, r.end) for r in found.local_rows}
        if len(found.local_rows) < 2 or len(keys) != 1:
            return
        row = found.local_rows[0]
        n = next((c.n for c in answer.citations if c.target_id == row.target_id), None)
        if n is None or not row.quote.strip():
            return
        where = "、".join(found.regions) or "本地"
        answer.answer += "\n" + MSG_LOCAL_SHARED_QUOTE.format(where=where, quote=row.quote.strip(), n=n)

    def _sides_stated(self, question: str, found: NationalComparison) -> Answer | None:
        """The local plan's and the national plan's sentence on the topic, each cited; None unless both speak of it."""
        topic = found.local_what
        if not topic or not found.local_docs or not found.national_docs:
            return None
        local = self._topic_sentence_in(topic, found.local_docs, found.regions)
        # The national side's own topic when it names one (国家纲要对基层守门人能力是怎么说的), else the local one.
        national = self._topic_sentence_in(
            found.national_what or topic, found.national_docs, found.regions, found.national_text
        )
        if local is None or national is None:
            return None
        where = "、".join(found.regions) or "本地"
        citations, lines = [], []
        for n, (side, reading) in enumerate(((where, local), (MSG_NATIONAL_SIDE, national)), start=1):
            quote = without_item_number(reading.sentence)
            citations.append(self._hit_citation(reading.hit, n, quote))
            lines.append(MSG_SIDE_STATED.format(where=side, title=reading.hit.title, quote=quote, n=n))
        text = "\n\n".join([*lines, MSG_SIDES_STATED_NOTE])
        return Answer(question=question, answer=text, status="answered", citations=citations)

    def _quoted_beside_rows(self, question: str, found: NationalComparison) -> Answer | None:
        """The local sentence holding the phrase the question quotes, beside the national rows' own quotes.

        None unless the local side quotes a phrase, a local plan's sentence on the topic holds it verbatim
        and the national side has rows (each row's quote is the national wording, cited to the row).
        """
        phrases = quoted_phrases(found.local_what)
        if not phrases or not found.local_docs or not found.national_rows:
            return None
        local = None
        for topic in (found.local_what, *phrases):
            reading = self._topic_sentence_in(topic, found.local_docs, found.regions)
            if reading is not None and all(p in re.sub(r"\s+", "", nfkc(reading.sentence)) for p in phrases):
                local = reading
                break
        if local is None:
            return None
        where = "、".join(found.regions) or "本地"
        quote = without_item_number(local.sentence)
        citations = [self._hit_citation(local.hit, 1, quote)]
        lines = [MSG_SIDE_STATED.format(where=where, title=local.hit.title, quote=quote, n=1)]
        seen: set[tuple[str, int, int]] = set()
        for row in found.national_rows:
            key = (row.doc_id, row.start, row.end)
            if key in seen:
                continue
            seen.add(key)
            n = len(citations) + 1
            citations.append(self._row_citation(row, n))
            title = citations[-1].title
            lines.append(MSG_SIDE_STATED.format(where=MSG_NATIONAL_SIDE, title=title, quote=row.quote, n=n))
        text = "\n\n".join([*lines, MSG_SIDES_QUOTED_NOTE])
        return Answer(question=question, answer=text, status="answered", citations=citations)

    def _topic_sentence_in(
        self, topic: str, doc_ids: frozenset[str], regions: Sequence[str], asked: str = ""
    ) -> Reading | None:
        """The sentence of these plans that speaks of ``topic`` (sentence_reader.topic_sentence), if any.

        ``asked`` is the clause asking about these plans; its own words break ties between sentences.
        """
        docs = sorted(doc_ids)
        searched = self.library.search(topic, k=6, filters=Filters(doc_ids=docs))
        passages = [p for d in docs for p in self._plan_passages(d)]
        return topic_sentence(topic, [*searched, *passages], regions, asked=asked)

    def _national_sentence(self, found: NationalComparison) -> Reading | None:
        """The national plan's sentence on an indicator it sets no number for (基本实现…全覆盖), if one speaks of it."""
        topics = found.national_topics or (found.national_what or found.local_what,)
        if not found.national_docs:
            return None
        for topic in filter(None, topics):
            reading = self._topic_sentence_in(topic, found.national_docs, found.regions, found.national_text)
            if reading is not None:
                return reading
        return None

    def _national_notes(self, answer: Answer, found: NationalComparison, stated: Reading | None = None) -> Answer:
        notes = []
        if not found.local_rows:
            where = "、".join(found.regions) or "本地"
            notes.append(MSG_LOCAL_NONE.format(where=where))
        if stated is not None:
            n = len(answer.citations) + 1
            answer.citations.append(self._hit_citation(stated.hit, n, stated.sentence))
            notes.append(MSG_NATIONAL_STATED.format(title=stated.hit.title, quote=stated.sentence, n=n))
        elif not found.national_rows:
            notes.append(MSG_NATIONAL_NONE)
        if found.other_base and found.national_rows:
            local = "”“".join(dict.fromkeys(r.indicator.strip() for r in found.local_rows)) or found.local_what
            national = "”“".join(dict.fromkeys(r.indicator.strip() for r in found.national_rows))
            notes.append(MSG_NATIONAL_OTHER_BASE.format(local=local, national=national))
        if notes:
            answer.answer = answer.answer + "\n\n" + "".join(notes)
        return answer

    def _unknown_plan(self, query: Query, mentions: list[Mention], filters: Filters | None) -> Answer:
        """A question naming a plan the library does not hold: say so and list the plans there are."""
        titles = plan_list(list(self.docs.values())) or "（无）"
        name = next(m.text for m in mentions if m.doc_id is None)
        return self._not_found(query, MSG_UNKNOWN_PLAN.format(name=name, titles=titles), filters)

    def _places_of_named_plan(self, query: Query, named: set[str] | None) -> Query:
        """``query`` without the places carried from the previous turn when the plan it names is of another place.

        ``那白鹭市那个方案里，2027年定的是多少？`` after a question on 青岚县: the new plan's place is asked, not
        青岚县; a plan covering the carried place (its city's, with tables by district) keeps it.
        """
        if not query.carried_regions:
            return query
        plans = named or self._docs_named(query.doc_hint)
        own = {self.doc_regions.get(d, "") for d in plans or ()}
        if not own or "" in own:
            return query  # no plan named, or a plan of no stated place: nothing says the place changed
        if any(r in own or own & self.vocab.within.get(r, frozenset()) for r in query.regions):
            return query
        return replace(query, regions=(), carried_regions=False)

    def _without_plan_names(self, history: Sequence[Turn]) -> list[Turn]:
        """``history`` with the plans its questions name taken out of their wording (for follow-ups)."""
        out = []
        for turn in history:
            _, rest = plan_restriction(self.mentions.find(turn.content)) if turn.role == "user" else (None, "")
            out.append(turn.model_copy(update={"content": rest}) if rest else turn)
        return out

    def _previous_docs(self, history: Sequence[Turn]) -> set[str] | None:
        users = [t for t in history if t.role == "user" and t.content.strip()]
        if not users:
            return None
        within = self._previous_outer(users)
        if within:
            return within  # 某市那个区的方案里… then 那2023年呢？: still the plans within that place
        named, _ = plan_restriction(self.mentions.find(users[-1].content))
        if named:
            return named  # the plan the previous question named stays the plan of the follow-up
        prev = resolve(users[-1].content, users[:-1], self.vocab)
        named = self._docs_named(prev.doc_hint)
        rows = lookup(prev, self.index, self.doc_regions, named).rows
        if rows:
            return {r.doc_id for r in rows}
        # Answered from a passage: the plan of the passage that best matches the previous question.
        hits = self._search(prev, Filters(doc_ids=sorted(named)) if named else None, k=1)
        return {hits[0].doc_id} if hits else None

    def _previous_outer(self, users: Sequence[Turn]) -> set[str] | None:
        """The plans within the outer place the conversation was last about (outer_places.py), if any.

        Turns are read back to the last one naming a place or a plan: follow-ups in between name neither.
        """
        for turn in reversed(users):
            asked = parse_question(turn.content, self.vocab)
            named, _ = plan_restriction(self.mentions.find(turn.content))
            outer = None if asked.regions else self.outer.named(turn.content, asked.unknown_places)
            if outer is not None:
                about_plans = named or asked.intent == "explain" or self.outer.refers_to_plan(turn.content)
                return (named or set(outer.doc_ids)) if about_plans else None
            if named or asked.regions or asked.unknown_places:
                return None
        return None

    def _strong(self, query: Query, rows: list[Target]) -> bool:
        """Whether rows answer an explanation-style question (有什么要求) as well as a number would."""
        scored = self.index.score(query)
        return (
            bool(scored)
            and scored[0].coverage >= STRONG_COVERAGE
            and scored[0].key.target_id in {r.target_id for r in rows}
        )

    def _compose_missing(self, query: Query, regions: list[str], allowed: set[str] | None) -> Answer:
        """A list of regions with no value for the indicator, citing their table rows."""
        keys = self.index.keys
        first: dict[str, int] = {}  # each region's first table row: the only one cited
        for i in self.index.region_positions(regions, exact=True):
            if keys[i].kind == "table" and (allowed is None or keys[i].doc_id in allowed):
                first.setdefault(keys[i].region, i)
        rows = self.rows.many(sorted(first.values()))
        citations: list[Citation] = []
        seen: dict[str, int] = {}
        for r in rows:
            if r.region not in seen:
                seen[r.region] = len(citations) + 1
                citations.append(self._row_citation(r, seen[r.region]))
        names = "、".join(f"{reg}[{seen[reg]}]" if reg in seen else reg for reg in regions)
        return Answer(
            question=query.text,
            answer=MSG_MISSING_REGIONS.format(what=query.indicator, names=names),
            status="answered",
            citations=citations,
            resolved_question=query.resolved,
        )

    def _compose_rows(self, query: Query, rows: list[Target]) -> Answer:
        citations: list[Citation] = []
        marker: dict[tuple[str, int, int], int] = {}
        lines: list[str] = []
        regions = list(dict.fromkeys(r.region for r in rows))
        # Several places asked (甲和乙…, 各地…): every line names its place, even when one place alone has rows.
        sides_asked = query.intent == "compare" and (len(query.regions) > 1 or query.all_subregions)
        multi_region = len(regions) > 1 or sides_asked
        multi_doc = len({r.doc_id for r in rows}) > 1
        single = len(rows) == 1 and not sides_asked  # a side's one row still stands in a list of sides
        shared = shared_region_labels(rows, {d: self._title_of(d) for d in {r.doc_id for r in rows}})
        per_region = [[r for r in rows if r.region == reg] for reg in regions]
        apart = sides_asked and len(per_region) > 1 and indicators_differ(per_region)
        quoted: set[tuple[str, str]] = set()
        for row in rows:
            key = (row.doc_id, row.start, row.end)
            if key not in marker:
                marker[key] = len(citations) + 1
                citations.append(self._row_citation(row, marker[key]))
            n = marker[key]
            where = row.region or (self.docs[row.doc_id].meta.title if multi_doc and row.doc_id in self.docs else "")
            where = shared.get((row.doc_id, row.region), where)
            when = year_label(row.year) + (MSG_BASELINE if row.kind == "baseline" else "")
            label = indicator_label(row)
            # A value in words, or one of a clause giving values in turn (分别): its clause quoted beside it; so is
            # a value of places compared whose plans word the indicator apart, when its label was rebuilt around
            # the value (至少建成运行1个县级实训基地 -> 至少建成运行县级实训基地): the label alone misleads.
            clause = worded_clause(row, part_words().shared_values)
            if not clause and apart and row.kind == "narrative":
                clause = value_clause(row)
                kept = len(clause) <= MAX_CLAUSE and _compact(row.indicator) not in _compact(clause)
                clause = clause if kept else ""
            if (row.doc_id, clause) in quoted:
                clause = ""  # rows of one clause (分别达80%、40%和80%): the clause is quoted once, at the first
            quoted.add((row.doc_id, clause))
            worded = MSG_WORDED_CLAUSE.format(clause=clause) if clause else ""
            if single:
                when = "" if not row.year else when  # an undated norm needs no year label on its own
                lines.append(f"{where}{when}{label}：**{value_label(row)}**[{n}]{worded}")
            else:
                prefix = f"{where}，" if (multi_region or multi_doc) else ""
                lines.append(f"- {prefix}{when}{label}：**{value_label(row)}**[{n}]{worded}")
        if single:
            text = lines[0] + "。"
        else:
            head = "规划中相关的目标值如下（按地区和年份）：" if multi_region else "规划中相关的目标值如下（按年份）："
            text = head + "\n" + "\n".join(lines)
        return Answer(
            question=query.text,
            answer=text,
            status="answered",
            citations=citations,
            targets=rows,
            resolved_question=query.resolved,
        )

    def _row_citation(self, row: Target, n: int) -> Citation:
        doc = self.docs.get(row.doc_id)
        return Citation(
            n=n,
            doc_id=row.doc_id,
            title=doc.meta.title if doc else row.title,
            source=doc.source if doc else row.source,
            region=row.region,
            section=" > ".join(p for p in (row.section, row.table_title) if p),
            page=row.page,
            quote=row.quote,
            target_id=row.target_id,
            context=self._context(row.doc_id, row.start, row.end),
            ocr=row.ocr,
            ocr_confidence=row.ocr_confidence,
        )

    def _context(self, doc_id: str, start: int, end: int) -> str:
        if start < 0:
            return ""
        text = self._text(doc_id)
        lo = text.rfind("\n", 0, max(start - 200, 0)) + 1 if start > 200 else 0
        hi = text.find("\n", min(end + 150, len(text)))
        return text[lo : hi if hi != -1 else len(text)].strip()

    # ---- passages -----------------------------------------------------------------------------

    def _search(
        self, query: Query, filters: Filters | None, k: int = 6, use_region: bool = True, full_names: bool = False
    ) -> list[SearchHit]:
        f = filters.model_copy() if filters else Filters()
        if use_region and query.regions and len(query.regions) == 1 and not f.region:
            f.region = query.regions[0]
        text = query.resolved if query.followup else query.text
        if full_names:  # 青川 searched as 青川县, as passages name it
            text = full_region_names(text, query.regions, self.vocab)
        hits = self.library.search(text, k=k, filters=f if (f.region or f.doc_ids) else None)
        if not hits and f.region:
            hits = self.library.search(text, k=k, filters=Filters(doc_ids=f.doc_ids) if f.doc_ids else None)
        return hits

    def _best_sentences(self, query: Query, hits: list[SearchHit], limit: int) -> list[tuple[float, SearchHit, str]]:
        qb = bigrams(query.indicator or query.text)
        if not qb:
            return []
        scored: list[tuple[float, SearchHit, str]] = []
        for rank, hit in enumerate(hits):
            if hit.kind != "text":
                continue
            # A sentence may lean on its passage for its subject (…设施设备…。到2024年底配备率达100%).
            passage = len(qb & bigrams(hit.text)) / len(qb)
            lead = ""  # the clauses of the sentence before this one (…巡诊车辆，到2031年底…；)
            for sentence in _SENT_SPLIT.split(hit.text):
                s = sentence.strip()
                before, lead = lead, "" if _SENTENCE_END.search(s[-1:]) else lead + sentence
                if len(s) < 8:
                    continue
                own = len(qb & bigrams(s)) / len(qb)
                if own < MIN_SENTENCE_OWN and before:
                    # A clause after a semicolon that leaves its subject to the clauses before it
                    # (…巡诊车辆，到2031年底…；到2032年底配齐率达90%) is read with them.
                    s = (before + sentence).strip()
                    own = len(qb & bigrams(s)) / len(qb)
                if own < MIN_SENTENCE_OWN:
                    continue
                coverage = max(own, 0.4 * own + 0.6 * passage)
                scored.append((coverage - 0.02 * rank, hit, s))
        scored.sort(key=lambda t: -t[0])
        out: list[tuple[float, SearchHit, str]] = []
        seen: set[str] = set()
        for item in scored:
            if item[2] not in seen:
                seen.add(item[2])
                out.append(item)
            if len(out) >= limit:
                break
        return out

    def _hit_citation(self, hit: SearchHit, n: int, quote: str) -> Citation:
        return Citation(
            n=n,
            doc_id=hit.doc_id,
            title=hit.title,
            source=hit.source,
            region=hit.region,
            section=hit.section,
            page=hit.page,
            quote=quote,
            chunk_id=hit.chunk_id,
            context=hit.text,
            ocr=hit.ocr,
            ocr_confidence=hit.ocr_confidence,
        )

    def _explain(self, query: Query, filters: Filters | None) -> Answer:
        """Quote the passage (or two) that best covers the question's words, whole, with its citation.

        Prose passages first; when none covers the question, a table row (its cells labelled by their
        headers: ``指标名称：白鹭指数｜2025年：每年提升2%左右``) is the passage, since a plan that sets a goal in
        words (建成, 每年提升…或不低于全省平均水平) sets it only in its table.
        """
        found = self._search(query, filters, full_names=True)
        hits = [h for h in found if h.kind == "text"]
        qb = bigrams(query.indicator or query.text)
        if not qb or not found:
            return self._not_found(query, MSG_NO_PASSAGE, filters, hits=hits)
        ranked = self._explain_ranked(qb, hits)
        if not ranked or ranked[0][0] < EXPLAIN_MIN_COVERAGE:
            ranked = self._explain_ranked(qb, [h for h in found if h.kind == "table_row"])
        best_score = ranked[0][0] if ranked else 0.0
        if best_score < EXPLAIN_MIN_COVERAGE:
            return self._not_found(query, MSG_NO_PASSAGE, filters, hits=hits)
        chosen = [h for score, h in ranked[:EXPLAIN_PASSAGES] if score >= best_score * 0.8]
        citations = [self._hit_citation(h, n, h.text) for n, h in enumerate(chosen, start=1)]
        # Every sentence carries its marker, so each claim in it points at the passage it stands in.
        lines = [
            "".join(f"{part}[{n}]" for part in _SENT_SPLIT.split(h.text.strip()) if part.strip())
            for n, h in enumerate(chosen, start=1)
        ]
        return Answer(
            question=query.text,
            answer=MSG_EXPLAIN_LEAD + "\n\n" + "\n\n".join(lines),
            status="answered",
            citations=citations,
            resolved_question=query.resolved,
        )

    @staticmethod
    def _explain_ranked(qb: set[str], hits: list[SearchHit]) -> list[tuple[float, SearchHit]]:
        """Passages by how much of the question's bigrams they cover, a little less for a lower rank."""
        return sorted(
            ((len(qb & bigrams(h.text)) / len(qb) - 0.03 * rank, h) for rank, h in enumerate(hits)),
            key=lambda t: -t[0],
        )

    def _sentence_fallback(self, query: Query, filters: Filters | None) -> Answer | None:
        """A number question no target row answers: quote one sentence that states it, if one clearly does."""
        hits = self._search(query, filters)
        parted = part_answer(query, hits, self._hit_citation)  # A和B…: one sentence per part
        if parted is not None:
            return parted
        head = self.index.head_gram(query)  # 每千常住人口床位数: a sentence without 床位 does not state it
        for coverage, hit, sentence in self._best_sentences(query, hits, 5):
            if coverage < FALLBACK_MIN_COVERAGE or not parse_quantities(sentence):
                continue
            if not sentence_of_asked_kind(query, sentence):
                continue
            if head is not None and not any(ch in nfkc(sentence) for ch in head):
                continue
            if query.years and not all(y in nfkc(sentence) for y in query.years):
                continue
            if query.regions and not any(r in nfkc(sentence) or r == hit.region for r in query.regions):
                continue
            if not number_near_asked(query.indicator, sentence):
                continue
            citation = self._hit_citation(hit, 1, sentence)
            lead = MSG_FALLBACK_LEAD if hit.region else MSG_FALLBACK_LEAD_UNNAMED
            # A clause read with the clauses before it (…；到2024年底…): each clause carries the marker.
            marked = "".join(f"{part}[1]" for part in _SENT_SPLIT.split(sentence) if part.strip())
            return Answer(
                question=query.text,
                answer=lead.format(where=hit.region, title=hit.title) + marked,
                status="answered",
                citations=[citation],
                resolved_question=query.resolved,
            )
        return None

    def _sentence_rows(self, query: Query, answer: Answer) -> Answer:
        """A quoted sentence that is one target row's own sentence: that row's answer, else ``answer`` as it is.

        The question's words may cover the row's wording too little for the lookup (基层卫生人员实训基地 beside
        “每个行政县区至少建成运行1个县（区）级实训基地”) while the reader chose its sentence: the row states the value,
        bound and year in the plan's terms. Only a sentence of one cited plan holding exactly one row's value
        (several values, 分别…, stay quoted: which one is asked is not known), and only for a question asking a value.
        """
        asked = nfkc(query.text)
        # Only a question asking for a value (多少, 几个: the words answer_shapes.toml lists as asking one).
        if len(answer.citations) != 1 or not any(w in asked for w in part_words().repeated_asks):
            return answer
        cited = answer.citations[0]
        sentence = _compact(cited.quote)
        rows = [
            r
            for r in self.index.rows.many(self.index.positions({cited.doc_id}))
            if r.kind != "baseline" and r.quote and (_compact(r.quote) in sentence or sentence in _compact(r.quote))
        ]
        rows = [r for r in rows if _compact(r.value_text) in sentence]
        values = {(r.region, r.year, r.value, r.value_max, r.unit) for r in rows}
        if len(values) != 1 or any(nfkc(r.indicator) != nfkc(rows[0].indicator) for r in rows):
            return answer
        # The row's value must be the sentence's only one: a number beside it that no row holds (a value dropped
        # from the table, a status quo) may be the one asked, and the row would stand for another indicator.
        if re.search(r"\d", _YEAR.sub("", sentence.replace(_compact(rows[0].value_text), "", 1))):
            return answer
        composed = self._compose_rows(query, rows[:1])
        return composed.model_copy(update={"question": answer.question, "resolved_question": answer.resolved_question})

    def _not_found(
        self,
        query: Query,
        message: str,
        filters: Filters | None,
        hits: list[SearchHit] | None = None,
        use_region: bool = True,
    ) -> Answer:
        suggestions = hits if hits is not None else self._search(query, filters, k=3, use_region=use_region)
        return Answer(
            question=query.text,
            answer=message,
            status="not_found",
            suggestions=suggestions[:3],
            resolved_question=query.resolved,
        )


_CLAUSE = re.compile(r"[，,；;：:]")


def number_near_asked(indicator: str, sentence: str) -> bool:
    """Whether a clause of the sentence that holds a number (read with the clause before it) names the asked.

    ``到2030年，全民健康素养水平全面提升，…，人均预期寿命达到78.5岁``: 健康素养水平 stands only in a clause
    without a number, and the numbers' clauses name other indicators, so the sentence sets no number for
    it. An empty indicator asks nothing to check.
    """
    asked = bigrams(indicator)
    if not asked:
        return True
    clauses = [c for c in _CLAUSE.split(nfkc(sentence)) if c.strip()]
    for i, clause in enumerate(clauses):
        window = clauses[i - 1] + clause if i else clause
        if parse_quantities(clause) and asked & bigrams(window):
            return True
    return False


# ---- answer paths ---------------------------------------------------------------------------------
#
# Every way of answering is a path: a function that answers or returns None, tried in the declared
# order below; the first answer wins. The numbers stage (rows, parts, baselines, sentences …) is its own
# list, walked once per scope by ``Answerer._numbers``: a follow-up first within the plan the conversation
# was about, then within the question's plans; the question's paths after it read its outcome.

C_contra = TypeVar("C_contra", contravariant=True)
C = TypeVar("C")


class AnswerPath(Protocol[C_contra]):
    """One way of answering a question: ``answer`` returns None when the path does not apply."""

    @property
    def name(self) -> str:
        """A short name, recorded in ``Answer.path`` (never shown to users)."""
        ...

    @property
    def after_steps(self) -> bool:
        """Whether the shared after-steps (whole requirement, LLM rewrite, region note) run on its answer."""
        ...

    def answer(self, ctx: C_contra) -> Answer | None:
        """The path's answer, or None to let the next path try."""
        ...


@dataclass(frozen=True)
class DeclaredPath(Generic[C]):
    """A declared path: its name, the function that answers (its docstring says when), its after-steps."""

    name: str
    answer: Callable[[C], Answer | None]
    after_steps: bool = True


class AnswerContext:
    """What the question's paths share, each part computed once, on first use.

    The question, history and caller's filters, the Answerer's services, and what earlier steps work out:
    the plans named, the parsed query, the region choice, the numbers stage's answer.
    """

    def __init__(self, answerer: Answerer, question: str, history: Sequence[Turn], filters: Filters | None) -> None:
        self.answerer = answerer
        self.question = question
        self.history = history
        self.request_filters = filters

    @cached_property
    def pinned(self) -> set[str] | None:
        """The documents the caller's filters pin the question to, if any."""
        f = self.request_filters
        return set(f.doc_ids) if f and f.doc_ids else None

    @cached_property
    def mentions(self) -> list[Mention]:
        """The plans the question names (by title, description or region)."""
        return self.answerer.mentions.find(self.question)

    @cached_property
    def restriction(self) -> tuple[set[str] | None, str]:
        """The plans the question is restricted to, and its text without their names (``plan_restriction``)."""
        return plan_restriction(self.mentions)

    @cached_property
    def asked(self) -> Query:
        """The parsed question (follow-ups carried over), before the caller's region and year are applied."""
        a = self.answerer
        _, text = self.restriction
        query = resolve(text or self.question, a._without_plan_names(self.history), a.vocab)
        query = replace(query, text=self.question.strip()) if text else query
        return a._places_of_named_plan(query, self.restriction[0])

    @cached_property
    def _settled(self) -> tuple[Query, Filters | None, set[str] | None, str]:
        """The query, filters and allowed documents after the region choice and the named plan; the region note."""
        a = self.answerer
        query = self.asked
        region_choice = choose_region(query, self.request_filters, a.vocab)  # the question's region wins, with a note
        filters = region_choice.filters
        if filters and filters.region and not query.regions:
            query = replace(query, regions=(filters.region,))
        if filters and filters.year and not query.years:
            query = replace(query, years=(filters.year,))
        allowed = set(filters.doc_ids) if filters and filters.doc_ids else None
        named, _ = self.restriction
        hinted = named or a._docs_named(query.doc_hint)
        if hinted:
            allowed = hinted if allowed is None else (allowed & hinted) or allowed
        inner = a.outer.inner_regions(self.beside, query.regions) if self.beside and not self.pinned else ()
        if inner:
            query = replace(query, regions=(*query.regions, *inner))  # 某市和乙市…分别: the city's districts answer
        if allowed is None and query.regions and not self.pinned:
            # 某市某区: the district's own plans answer, not another plan's row for the same indicator (outer_places.py)
            allowed = a.outer.own_plans(self.question, self.asked.regions, query.unknown_places) or None
        if allowed is None and self.outer is not None and not self.outer_asks_itself:
            allowed = set(self.outer.doc_ids)  # 某市那个区的方案: the plans within the place answer (outer_places.py)
        if (named or self.outer) and allowed:
            # Passages too come from the plan the question names.
            filters = (filters or Filters()).model_copy(update={"doc_ids": sorted(allowed)})
        return query, filters, allowed, region_choice.note

    @cached_property
    def outer(self) -> OuterPlace | None:
        """A place above plans' regions the question names (outer_places.py), when it names no region of its own."""
        f = self.request_filters
        if self.asked.regions or self.pinned or (f and f.region):
            return None
        return self.answerer.outer.named(self.question, self.asked.unknown_places)

    @cached_property
    def beside(self) -> OuterPlace | None:
        """An outer place asked beside regions of plans (某市和乙市的…分别), when none of them lies in it."""
        places, asked = self.answerer.outer, self.asked
        if self.outer is not None or not asked.regions or places.refers_to_plan(self.question):
            return None
        place = places.named(self.question, asked.unknown_places)
        return None if place is None or places.covers(place, asked.regions) else place

    @cached_property
    def outer_asks_itself(self) -> bool:
        """A number asked of the outer place itself (某市2025年…多少), no plan referred to: its plans set none."""
        named, _ = self.restriction
        return (
            self.outer is not None
            and not named
            and self.asked.intent != "explain"
            and not self.answerer.outer.refers_to_plan(self.question)
        )

    def outer_note(self, status: str) -> str:
        """The note naming the region of the plans an outer place's answer comes from (empty when none).

        An outer place asked beside regions of plans (某市和乙市的…分别): its side has no target of its own.
        """
        outer, allowed, places, beside = self.outer, self.allowed, self.answerer.outer, self.beside
        if beside is not None:
            inner = set(places.inner_regions(beside, self.asked.regions))
            if status == "answered" and inner & set(self.query.regions) and self.pinned is None:
                return places.inner_side(beside)
            return places.no_own_side(beside)
        if outer is None or not allowed or not allowed <= set(outer.doc_ids):
            return ""
        if status == "answered":
            return self.answerer.outer.note(outer, sorted(allowed))
        return self.answerer.outer.plans_note(outer)

    @property
    def query(self) -> Query:
        """The parsed question with the caller's region and year filled in."""
        return self._settled[0]

    @property
    def filters(self) -> Filters | None:
        """The filters to answer with (the region choice made; a named plan pinned)."""
        return self._settled[1]

    @property
    def allowed(self) -> set[str] | None:
        """The documents the answer may come from (None: any)."""
        return self._settled[2]

    @property
    def region_note(self) -> str:
        """The note saying the question's region overrode the caller's (empty when it did not)."""
        return self._settled[3]

    @cached_property
    def numbers(self) -> Answer:
        """The numbers stage's answer within the question's plans (``Answerer._numbers``)."""
        return self.answerer._numbers(self.query, self.allowed, self.filters)

    def passages(self, query: Query) -> list[SearchHit]:
        """Passages for ``query`` from the question's plans (or within the filters)."""
        scope = Filters(doc_ids=sorted(self.allowed)) if self.allowed else self.filters
        return self.answerer._search(query, scope, k=8)


class NumberScope:
    """What the number paths share: the query, where they may look, and the target-row lookup, computed once."""

    def __init__(self, answerer: Answerer, asked: Query, allowed: set[str] | None, filters: Filters | None) -> None:
        self.answerer = answerer
        self.asked = asked
        self.allowed = allowed
        self.filters = filters

    @cached_property
    def query(self) -> Query:
        """The query with a list of years (2022年和2030年) read as its years."""
        return with_year_list(self.asked)

    @cached_property
    def looked_up(self) -> tuple[Query, Lookup]:
        """The rows that answer, and the query they answer (a carried-over year dropped when it finds none)."""
        a, query, allowed = self.answerer, self.query, self.allowed
        found = lookup(query, a.index, a.doc_regions, allowed)
        if not found.indicator_found and query.indicator:
            found = reworded_lookup(query, a.index, a.doc_regions, allowed) or found
        if not found.rows and query.indicator:
            found = narrower_lookup(query, a.index, a.doc_regions, allowed) or found
        found.rows = with_stated_bounds(query.text, found.rows, a.index)
        if not found.rows and query.carried_years and query.context:
            # 乡村医生呢？ after a question about 十四五: the new subject need not share the old year.
            query = replace(query, years=(), carried_years=False)
            found = lookup(query, a.index, a.doc_regions, allowed)
        return query, found

    @cached_property
    def missing_years(self) -> list[str]:
        """Years asked that the indicator's rows do not have (empty when it has none or all of them)."""
        query, found = self.looked_up
        if found.indicator_found and query.years and found.years_available:
            return [y for y in query.years if y not in found.years_available]
        return []


# ---- the question's paths ------------------------------------------------------------------------


def _empty_question(ctx: AnswerContext) -> Answer | None:
    """An empty question: ask for one."""
    return None if ctx.question.strip() else Answer(question=ctx.question, answer=MSG_EMPTY, status="not_found")


def _help_reply(ctx: AnswerContext) -> Answer | None:
    """A greeting or an off-topic question: the help reply."""
    if not conversational(ctx.question):
        return None
    a = ctx.answerer
    return help_answer(ctx.question, a.rows.keys, list(a.docs.values()))


# An item number opening a sentence (7．发挥…, （三）…, 2、…): no number of the plan's wording, left out of a quote.
_ITEM_NUMBER = re.compile(
    r"^\s*(?:[（(][0-9一二三四五六七八九十]{1,3}[)）]|[0-9一二三四五六七八九十]{1,3}\s*[．.、](?!\d))\s*"
)


def without_item_number(sentence: str) -> str:
    """``sentence`` without the item number opening it (7．发挥家庭医生作用。 -> 发挥家庭医生作用。)."""
    rest = _ITEM_NUMBER.sub("", sentence, count=1)
    return rest if rest.strip() else sentence


def _versus_nation(ctx: AnswerContext) -> Answer | None:
    """我市…和国家比怎么样 (no documents pinned): the local and the national rows side by side."""
    return None if ctx.pinned else ctx.answerer._versus_nation(ctx.question, ctx.history)


def _plan_facts(ctx: AnswerContext) -> Answer | None:
    """某某纲要是哪天发布的？: the plan's date, 文号 or issuer, cited to where it says so."""
    a = ctx.answerer
    return plan_fact_answer(ctx.question, ctx.mentions, a.docs, a._chunks_of, ctx.pinned)


def _doc_facts(ctx: AnswerContext) -> Answer | None:
    """某某方案是在哪次会议上审议通过的 / 根据哪个文件制定的 / 分几部分: quoted from the plan itself."""
    a = ctx.answerer
    places = (*ctx.asked.regions, *ctx.asked.unknown_places)  # 依据甲省和乙市哪些文件: whose documents
    return doc_fact_answer(ctx.question, ctx.mentions, a.docs, a._chunks_of, ctx.pinned, places)


def _plan_sides(ctx: AnswerContext) -> Answer | None:
    """Plans named beside other plans or regions (甲方案和乙市的方案…分别; no documents pinned): each side."""
    return None if ctx.pinned else ctx.answerer._plan_sides(ctx.question, ctx.mentions, ctx.history)


def _unknown_plan(ctx: AnswerContext) -> Answer | None:
    """A question naming a plan the library does not hold: say so and list the plans there are."""
    named, text = ctx.restriction
    if not (ctx.mentions and named is None and text):
        return None
    outer = ctx.outer
    if outer is not None and all(ctx.answerer.outer.only_names_place(m.text, outer) for m in ctx.mentions):
        return None  # 某市那边的方案: the plans within the place (outer_places.py), not a plan the library lacks
    return ctx.answerer._unknown_plan(ctx.asked, ctx.mentions, ctx.request_filters)


def _structure(ctx: AnswerContext) -> Answer | None:
    """Not a follow-up, and the plan's structure answers (a definition, a list of measures, its parts)."""
    if ctx.query.followup:
        return None
    found = ctx.answerer.structure.answer(ctx.question, ctx.allowed)
    return None if found is None else ctx.answerer._with_suggestions(found, ctx.query, ctx.filters)


def _unknown_place(ctx: AnswerContext) -> Answer | None:
    """The question names places the library does not know, and none it does: say so.

    A place above plans' regions is known: asked a number of itself, its plans set none (say so, naming
    them); otherwise its plans answer (``AnswerContext.allowed``).
    """
    query = ctx.query
    if ctx.outer is not None:
        if not ctx.outer_asks_itself:
            return None
        msg = ctx.answerer.outer.no_own_target(ctx.outer)
        return ctx.answerer._not_found(query, msg, ctx.filters, use_region=False)
    if not query.unknown_places or query.regions:
        return None
    places = "、".join(query.unknown_places)
    return ctx.answerer._not_found(query, MSG_UNKNOWN_PLACE.format(places=places), ctx.filters, use_region=False)


def _covered_followup(ctx: AnswerContext) -> Answer | None:
    """``“县聘乡村用”的人员也能拿这个奖励吗？`` after a question about a reward: the condition or exclusion saying so.

    A yes-or-no follow-up asking whether someone is covered by the previous turn's subject is answered from
    the previous turn's plan(s) by the sentence stating who is covered or left out (sentence_reader.covered_answer),
    not by the carried subject's row.
    """
    query = ctx.query
    if not query.followup or ctx.allowed is not None:
        return None
    previous = ctx.answerer._previous_docs(ctx.history)
    if not previous or len(previous) > MAX_READ_PLANS:
        return None
    a = ctx.answerer
    hits = [h for d in sorted(previous) for h in a._plan_passages(d)]
    found = covered_answer(ctx.question, hits, a._hit_citation, query.regions)
    if found is None:
        return None
    return found.model_copy(update={"question": query.text, "resolved_question": query.resolved})


def _previous_plan(ctx: AnswerContext) -> Answer | None:
    """A follow-up naming no plan that the plan the conversation was about answers (by the number paths).

    A follow-up asking what plans state in a sentence, never a row (要享受这个补助，有啥条件没？), is left to the
    sentence paths: the carried subject's row (the amount) does not answer it.
    """
    query, filters = ctx.query, ctx.filters
    if not query.followup or ctx.allowed is not None or asks_sentence_first(query):
        return None
    previous = ctx.answerer._previous_docs(ctx.history)
    if not previous:
        return None
    scoped = Filters(doc_ids=sorted(previous), year=filters.year if filters else None)
    within = ctx.answerer._numbers(query, previous, scoped)
    if within.status == "answered":
        return within
    # About a place's plans (某市那个区的方案里…): another place's rows never answer its follow-up.
    users = [t for t in ctx.history if t.role == "user" and t.content.strip()]
    return within if ctx.answerer._previous_outer(users) else None


def _topic_sentences(ctx: AnswerContext) -> Answer | None:
    """Not a follow-up, and no target row answers: the sentences of one plan on a topic no heading names."""
    if ctx.query.followup or ctx.numbers.targets:
        return None
    return ctx.answerer.structure.topic_sentences(ctx.question, ctx.allowed)


def _numbers_answered(ctx: AnswerContext) -> Answer | None:
    """The numbers stage answers within the question's plans (a row, a passage, a sentence …)."""
    return ctx.numbers if ctx.numbers.status == "answered" else None


def _lead_unit(ctx: AnswerContext) -> Answer | None:
    """…的牵头单位是哪个: the task list's first unit, when the plan says the first listed leads (lead_units.py)."""
    if not asks_lead_unit(ctx.query):  # before the search: every question passes here
        return None
    a = ctx.answerer
    return lead_unit_answer(ctx.query, ctx.passages(ctx.query), a._chunks_of, a._hit_citation)


def _requirement(ctx: AnswerContext) -> Answer | None:
    """Nothing else answers: the plan sentence stating the requirement asked about (requirements.py).

    A question about one plan is answered from all of that plan's passages when the search's hits miss it.
    """
    a, query = ctx.answerer, ctx.query
    plans = asked_plans(query, ctx.allowed, a.doc_regions)
    return requirement_answer(query, ctx.passages(query), a._hit_citation, a._plan_passages, plans)


def _plan_goal(ctx: AnswerContext) -> Answer | None:
    """《某方案》提出到2025年要达到什么目标: the named plan's sentences setting its goal for that year."""
    named, rest = ctx.restriction
    if not named or len(named) != 1 or not rest:
        return None
    doc_id = next(iter(named))
    if ctx.pinned is not None and doc_id not in ctx.pinned:
        return None
    a = ctx.answerer
    return plan_goal_answer(ctx.query, rest, a._plan_passages(doc_id), a._hit_citation)


def _sentence_first(ctx: AnswerContext) -> Answer | None:
    """A question asking what plans state in a sentence, never a row (要满足什么条件): the requirement first."""
    return _requirement(ctx) if asks_sentence_first(ctx.query) else None


def _requirement_after_previous(ctx: AnswerContext) -> Answer | None:
    """基本标准的最多奖多少？ after 推荐标准的…: the requirement found with the previous question's words."""
    searched = with_previous_question(ctx.query, ctx.history)
    if searched is None:
        return None
    return requirement_answer(ctx.query, ctx.passages(searched), ctx.answerer._hit_citation)


READ_AFTER = frozenset({"no_target", "explanation", "pure_explanation"})
"""The number paths whose "not found" the sentence reader may replace (not a year or region the rows lack)."""
MAX_READ_PLANS = 4


def _read_sentence(ctx: AnswerContext) -> Answer | None:
    """Nothing else answers a time, agency, purpose, idea, amount, rule, ceiling or yes or no: the stating sentence.

    The sentence holding what is asked whose words best cover the question's is quoted (sentence_reader.py).
    The plans read whole are those the question names, else those of the regions it names (or of the city
    whose tables list them); with none, or too many, the search's passages. A follow-up is read only when it
    names a new subject in its own words (``白鹭镇的驿站呢，要建到啥程度？``), with the place and year it carries.
    """
    if ctx.numbers.path not in READ_AFTER or (ctx.query.followup and not switches_subject(ctx.question)):
        return None  # a follow-up leaving its subject to the conversation has too few words of its own
    a, query = ctx.answerer, ctx.query
    _, rest = ctx.restriction
    plans = set(ctx.allowed or ())
    if not plans and query.regions:
        places = set(query.regions)
        for region in query.regions:
            places |= a.vocab.within.get(region, frozenset())
        plans = {d for d, region in a.doc_regions.items() if region in places}
    if plans and len(plans) <= MAX_READ_PLANS:
        hits = [h for d in sorted(plans) for h in a._plan_passages(d)]
    else:
        hits = ctx.passages(query)
    found = sentence_answer(rest or ctx.question, hits, a._hit_citation, query.regions, query.years)
    if found is None:
        # 合署办公的那批人能不能享受？: a yes-or-no ask whether someone is covered, answered by the exclusion or
        # condition stating it (…；合署办公人员不享受), which need not cover the question as whole as a statement.
        found = covered_answer(rest or ctx.question, hits, a._hit_citation, query.regions)
    if found is None:
        return None
    found = found.model_copy(update={"question": query.text, "resolved_question": query.resolved})
    return a._sentence_rows(query, found)


def _not_found(ctx: AnswerContext) -> Answer | None:
    """Nothing answers: the numbers stage's "not found" (what is missing, with the nearest passages)."""
    return ctx.numbers


ANSWER_PATHS: tuple[AnswerPath[AnswerContext], ...] = (
    DeclaredPath("empty", _empty_question, after_steps=False),
    DeclaredPath("help", _help_reply, after_steps=False),
    DeclaredPath("versus_nation", _versus_nation, after_steps=False),
    DeclaredPath("plan_facts", _plan_facts, after_steps=False),
    DeclaredPath("doc_facts", _doc_facts, after_steps=False),
    DeclaredPath("plan_sides", _plan_sides, after_steps=False),
    DeclaredPath("unknown_plan", _unknown_plan, after_steps=False),
    DeclaredPath("structure", _structure, after_steps=False),
    DeclaredPath("unknown_place", _unknown_place, after_steps=False),
    DeclaredPath("covered_followup", _covered_followup),
    DeclaredPath("previous_plan", _previous_plan),
    DeclaredPath("lead_unit", _lead_unit),
    DeclaredPath("plan_goal", _plan_goal),
    DeclaredPath("sentence_first", _sentence_first),
    DeclaredPath("topic", _topic_sentences),
    DeclaredPath("numbers", _numbers_answered),
    DeclaredPath("requirement", _requirement),
    DeclaredPath("requirement_after_previous", _requirement_after_previous),
    DeclaredPath("read_sentence", _read_sentence),
    DeclaredPath("not_found", _not_found),
)
"""The question's paths in the order they are tried; the first answer wins (``Answerer._answer``)."""


# ---- the number paths ----------------------------------------------------------------------------


def _pure_explanation(scope: NumberScope) -> Answer | None:
    """How or why questions (怎么/为什么): the passages that explain, even when some row shares their words."""
    query = scope.asked
    if query.intent == "explain" and _pure_explain().search(nfkc(query.text)):
        return scope.answerer._explain(query, scope.filters)
    return None


def _parts(scope: NumberScope) -> Answer | None:
    """Questions of several parts (A、B和C分别, 2022年和2030年分别): each part's value (parts.py)."""
    a = scope.answerer
    return answer_parts(scope.query, a.index, a.doc_regions, scope.allowed, a._compose_rows)


def _baseline(scope: NumberScope) -> Answer | None:
    """A base-value question (现状, 基期水平): the baseline row (year_cells.py)."""
    a = scope.answerer
    return baseline_answer(scope.query, a.index, scope.allowed, a._compose_rows)


def _compare(scope: NumberScope) -> Answer | None:
    """Several regions, or each plan (各地…分别): each side looked up on its own (compare.py)."""
    a, query, allowed = scope.answerer, scope.query, scope.allowed
    return answer_regions(query, a.index, a.doc_regions, allowed, a._compose_rows) or answer_each_plan(
        query, a.index, a.doc_regions, allowed, a._compose_rows, a._title_of
    )


def _missing_regions(scope: NumberScope) -> Answer | None:
    """哪些地区不承担…: the regions of the table whose cell is empty, each citing its row."""
    query, found = scope.looked_up
    if not found.missing_regions:
        return None
    return scope.answerer._compose_missing(query, found.missing_regions, scope.allowed)


def _rows(scope: NumberScope) -> Answer | None:
    """Target rows answer (an explanation-style question only if they cover it strongly): each row cited."""
    a = scope.answerer
    query, found = scope.looked_up
    if not found.rows or (query.intent == "explain" and not a._strong(query, found.rows)):
        return None
    answer = a._compose_rows(query, found.rows)
    if not query.years and all(r.kind == "baseline" for r in found.rows):
        answer = _with_word_cells(answer, found.rows[0], a._text(found.rows[0].doc_id))
    return annotate_rows(answer, found.rows, found.unshown_regions, a._title_of)


def _inner_number(scope: NumberScope) -> Answer | None:
    """多少人口 asked of a row whose wording holds the number (2—6万人口设置1处): that number (inner_numbers.py)."""
    query, found = scope.looked_up
    return inner_number_answer(query, found.rows, scope.answerer._row_citation) if found.rows else None


def _with_word_cells(answer: Answer, row: Target, text: str) -> Answer:
    """A target question only a base value answers: add the later year cells of its row that are words (建成)."""
    cited = next((c.n for c in answer.citations if c.target_id == row.target_id), None)
    cells = later_word_cells(row, text)
    if cited is None or not cells:
        return answer
    lines = [
        MSG_WORD_CELL.format(where=row.region, when=year_label(y), label=row.indicator, cell=cell, n=cited)
        for y, cell in cells
    ]
    return answer.model_copy(update={"answer": answer.answer + "\n" + "\n".join(lines)})


def _explanation(scope: NumberScope) -> Answer | None:
    """An explanation-style question no row answers strongly: the passages that cover it."""
    query, _ = scope.looked_up
    return scope.answerer._explain(query, scope.filters) if query.intent == "explain" else None


def _word_cells(scope: NumberScope) -> Answer | None:
    """A year the indicator's rows lack, whose table cell is words (2030年：持续改善): quoted as no number.

    The years available are the indicator's anywhere; a region named (白鹭市…2025年) whose rows lack the year
    another region's plan has is tried too (``word_cell_answer`` reads that region's rows only).
    """
    query, found = scope.looked_up
    regional_gap = found.indicator_found and bool(query.regions) and not found.rows
    if not (scope.missing_years or regional_gap):
        return None
    a = scope.answerer
    return word_cell_answer(query, a.index, scope.allowed, a._row_citation, a._text)


def _sentence(scope: NumberScope) -> Answer | None:
    """No row answers: one sentence that clearly states the number asked for (or one per part).

    A question asking for a thing by its kind (搞啥制度) asks no number: the sentence reader answers it.
    """
    query, _ = scope.looked_up
    if asks_named_thing(query.text):
        return None
    found = scope.answerer._sentence_fallback(query, scope.filters)
    return None if found is None else scope.answerer._sentence_rows(query, found)


def _year_not_found(scope: NumberScope) -> Answer | None:
    """Years the indicator's rows lack: not found, naming the years the plan does set."""
    missing = scope.missing_years
    if not missing:
        return None
    a, allowed = scope.answerer, scope.allowed
    query, found = scope.looked_up
    one_plan = a.docs.get(next(iter(allowed))) if allowed and len(allowed) == 1 else None
    msg = (MSG_PLAN_NO_YEAR if one_plan else MSG_NO_TARGET_FOR_YEAR).format(
        title=one_plan.meta.title if one_plan else "",
        what=query.indicator or query.text,
        years="、".join(year_label(y) for y in missing),
        available="、".join(year_label(y) for y in found.years_available),
    )
    return a._not_found(query, msg, scope.filters)


def _region_not_found(scope: NumberScope) -> Answer | None:
    """The indicator exists, but not for the regions asked about: not found, naming them."""
    query, found = scope.looked_up
    if not (found.indicator_found and query.regions):
        return None
    msg = MSG_NO_TARGET_FOR_REGION.format(what=query.indicator or query.text, regions="、".join(query.regions))
    return scope.answerer._not_found(query, msg, scope.filters)


def _no_target(scope: NumberScope) -> Answer | None:
    """Nothing states it: not found, with the nearest passages."""
    query, _ = scope.looked_up
    return scope.answerer._not_found(query, MSG_NO_TARGET.format(what=query.indicator or query.text), scope.filters)


NUMBER_PATHS: tuple[AnswerPath[NumberScope], ...] = (
    DeclaredPath("pure_explanation", _pure_explanation),
    DeclaredPath("parts", _parts),
    DeclaredPath("baseline", _baseline),
    DeclaredPath("compare", _compare),
    DeclaredPath("missing_regions", _missing_regions),
    DeclaredPath("inner_number", _inner_number),
    DeclaredPath("rows", _rows),
    DeclaredPath("explanation", _explanation),
    DeclaredPath("word_cells", _word_cells),
    DeclaredPath("sentence", _sentence),
    DeclaredPath("year_not_found", _year_not_found),
    DeclaredPath("region_not_found", _region_not_found),
    DeclaredPath("no_target", _no_target),
)
"""The numbers stage's paths in the order they are tried (``Answerer._numbers``); the last always answers."""


_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?=年|[—–-]|至)")
"""A year as plans write it (2025 of 到2025年, both of 2023—2025年)."""


def _compact(text: str) -> str:
    """``text`` normalised (NFKC) without whitespace, so a row's quote and a passage's sentence compare."""
    return re.sub(r"\s+", "", nfkc(text))
