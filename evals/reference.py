"""The reference a user would otherwise build: a plain dense-retrieval LangChain pipeline.

RecursiveCharacterTextSplitter (500/50) over the raw plan text, Chroma, the same embedding model,
and the top passage as the answer. Scored by the same runner, it shows what the product adds.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from assistant.schema import Turn
from assistant.settings import Settings


class ReferencePipeline:
    """Top-passage answers from a vanilla splitter + Chroma + embedding pipeline."""

    name = "reference: splitter 500/50 + Chroma + same embedding, top passage"

    def __init__(self, settings: Settings, plan_files: list[Path], persist_dir: Path | None = None) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from ingestion.readers import read_file
        from vectorstore.embeddings import make_embeddings

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        docs: list[Document] = []
        max_bytes = int(settings.max_file_mb * 1024 * 1024)
        for path in plan_files:
            raw = read_file(path, max_bytes=max_bytes)
            docs.extend(splitter.create_documents([raw.text], metadatas=[{"source": path.name}]))
        self._tmp = None if persist_dir else tempfile.TemporaryDirectory(prefix="reference-")
        folder = persist_dir or Path(self._tmp.name)  # type: ignore[union-attr]
        client = chromadb.PersistentClient(
            path=str(folder), settings=chromadb.config.Settings(anonymized_telemetry=False)
        )
        self.store = Chroma(
            client=client,
            collection_name=f"reference_{uuid.uuid4().hex[:8]}",
            embedding_function=make_embeddings(settings.embedding),
        )
        self.store.add_documents(docs)

    def hits(self, question: str, k: int) -> list[dict[str, Any]]:
        """Dense top-k passages."""
        found = self.store.similarity_search(question, k=k)
        return [{"text": d.page_content, "source": d.metadata.get("source", "")} for d in found]

    def answer(self, question: str, history: list[Turn]) -> dict[str, Any]:
        """The top passage, cited as itself (the usual naive RAG answer without an LLM)."""
        top = self.hits(question, 1)
        if not top:
            return {"answer": "", "status": "not_found", "citations": [], "targets": []}
        passage = top[0]
        citation = {"n": 1, "doc_id": passage["source"], "source": passage["source"], "quote": passage["text"]}
        return {"answer": passage["text"] + "[1]", "status": "answered", "citations": [citation], "targets": []}
