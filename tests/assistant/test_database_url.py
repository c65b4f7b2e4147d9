"""The catalogue lives where ``database_url`` says: the SQLite file under data_dir unless set."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.library import Library
from ingestion.text.errors import ConfigurationError
from tests.conftest import make_settings


def test_default_url_is_the_sqlite_file_under_data_dir(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    assert s.database_url == f"sqlite:///{tmp_path / 'data' / 'store.sqlite'}"


def test_library_opens_the_configured_url(tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared" / "catalogue.sqlite"
    s = make_settings(tmp_path, database_url=f"sqlite:///{elsewhere}")
    library = Library(s)
    assert library.catalogue.count_documents() == 0
    assert elsewhere.is_file()
    assert not (tmp_path / "data" / "store.sqlite").exists()


def test_a_missing_database_driver_says_what_to_install(tmp_path: Path) -> None:
    """A URL whose driver is not installed (pg8000 here) is a configuration error naming the extra."""
    s = make_settings(tmp_path, database_url="postgresql+pg8000://user@127.0.0.1:1/catalogue")
    with pytest.raises(ConfigurationError, match=r"pg8000.*\.\[postgres\]"):
        Library(s).catalogue.count_documents()
