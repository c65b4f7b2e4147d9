"""A persistent key -> bytes cache on disk (``diskcache``), shared by the embedding and token caches.

Both caches map a hash of a text to something costly to recompute (a vector, a token list) and look
keys up in batches: ``get_many`` and ``set_many`` each run in one transaction. ``diskcache`` keeps
the data in SQLite (WAL: readers never block each other, several processes may share it); values
are stored as raw bytes (never pickled by this code), and nothing is ever evicted.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ingestion.text.errors import ConfigurationError


class KeyValueCache:
    """Bytes by string key in the folder ``directory`` (created, with its database, on first use)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._cache: Any = None
        self._lock = threading.Lock()

    def _open(self) -> Any:
        with self._lock:
            if self._cache is None:
                import diskcache

                try:
                    self._cache = diskcache.Cache(str(self.directory), eviction_policy="none", statistics=False)
                except (OSError, sqlite3.Error) as e:
                    msg = f"Cannot open the cache at {self.directory} ({e}); check that DATA_DIR is writable."
                    raise ConfigurationError(msg) from e
            return self._cache

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The stored value of each key that has one."""
        cache = self._open()
        found: dict[str, bytes] = {}
        try:
            with cache.transact():
                for key in dict.fromkeys(keys):
                    value = cache.get(key)
                    if value is not None:
                        found[key] = bytes(value)
        except (OSError, sqlite3.Error) as e:
            msg = f"The cache at {self.directory} cannot be read ({e}); delete the folder, it is rebuilt."
            raise ConfigurationError(msg) from e
        return found

    def set_many(self, items: Mapping[str, bytes]) -> None:
        """Store every item (replacing a value a key already had)."""
        if not items:
            return
        cache = self._open()
        try:
            with cache.transact():
                for key, value in items.items():
                    cache.set(key, value)
        except (OSError, sqlite3.Error) as e:
            msg = f"The cache at {self.directory} cannot be written ({e}); check that DATA_DIR is writable."
            raise ConfigurationError(msg) from e

    def __len__(self) -> int:
        return len(self._open())

    def close(self) -> None:
        """Close the database connection (it reopens on the next use)."""
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None
