"""Prototype: Pagefind's Python API, documents indexed from memory (measured against search.Indexer)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import shutil
import threading
from pathlib import Path

from pagefind.service import PagefindService

from threadline.errors import BuildError, Problem
from threadline.inputs.model import Project
from threadline.publish.search import BUNDLE, _document_of
from threadline.text.annotate import Annotated
from threadline.text.prose import Prose


class _Service(PagefindService):
    """The API's service, reading each answer as it comes (its own loop sleeps 0.1 s before each one)."""

    async def _wait_for_responses(self) -> None:
        while True:
            message = await self._backend.stdout.readuntil(b",")
            answer = json.loads(base64.b64decode(message[:-1]))
            future = self._responses.pop(answer["message_id"])
            payload = answer["payload"]
            if payload["type"] == "Error":
                future.set_exception(RuntimeError(payload["message"]))
            else:
                future.set_result(payload)


class ApiIndexer:
    def __init__(self, project: Project, docs: dict[str, Annotated], folder: Path, kept: str | None = None):
        items = [("page", slug) for slug in project.pages] + [("dossier", slug) for slug in docs]
        items += [("entity", entity_id) for entity_id in project.entities]
        self.project, self.docs, self.items, self.folder, self.kept = project, docs, items, folder, kept
        self.thread: threading.Thread | None = None
        self.error: str | None = None
        self.digest = ""
        self.service: _Service | None = None

    def __enter__(self) -> ApiIndexer:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            asyncio.run(self._index())
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"

    async def _index(self) -> None:
        context = (self.project, self.docs, Prose(), Path())
        documents = [_document_of(context, item) for item in self.items]
        self.digest = hashlib.blake2b("\0".join(f"{path}\0{html}" for path, html in documents).encode(
            "utf-8", "surrogateescape")).hexdigest()
        bundle = self.folder / BUNDLE
        if self.digest == self.kept and bundle.is_dir():
            return
        shutil.rmtree(bundle, ignore_errors=True)
        self.service = service = await _Service().launch()
        try:
            index = await service.create_index(None)
            await asyncio.gather(*(index.add_html_file(content=html, source_path=path) for path, html in documents))
            await index.write_files(str(bundle))
        finally:
            await service.close()

    def finish(self) -> str:
        if self.thread:
            self.thread.join()
        if self.error:
            raise BuildError([Problem("pagefind", 0, 0, f"search indexing failed: {self.error}")])
        return self.digest

    def __exit__(self, *exc: object) -> None:
        if self.thread and self.thread.is_alive():
            if self.service:
                self.service._backend.kill()
            self.thread.join()
