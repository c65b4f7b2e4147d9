"""Every error the product raises on purpose: one base class, each with a stable ``code``.

They live at the bottom of the layers so every layer can raise them; the HTTP API maps them to
status codes in one table (``assistant/api/errors.py``), the CLI prints the message and exits 1.
"""

from __future__ import annotations


class PolicyAssistantError(Exception):
    """Base of every error the product raises on purpose; the message says how to fix it."""

    code = "error"


class ConfigurationError(PolicyAssistantError):
    """A setting is wrong or a configured backend cannot be reached."""

    code = "configuration_error"


class IngestError(PolicyAssistantError):
    """A file could not be ingested (empty, unreadable, unsupported, too large, corrupt)."""

    code = "ingest_error"


class UnsupportedFileError(IngestError):
    """The file's type is not one the product reads."""

    code = "unsupported_file"


class FileTooLargeError(IngestError):
    """The file is over the configured size limit."""

    code = "file_too_large"


class NotFoundError(PolicyAssistantError):
    """A document, job or row id that does not exist."""

    code = "not_found"


class InvalidRequestError(PolicyAssistantError):
    """A request that is well-formed JSON but asks for something impossible."""

    code = "invalid_request"


class EmptyFileError(IngestError):
    """The file has no bytes, or only whitespace."""

    code = "empty_file"


class CorruptFileError(IngestError):
    """The file's bytes do not form a valid document of its type (truncated, wrong content)."""

    code = "corrupt_file"


class EncryptedFileError(IngestError):
    """The document is password-protected and cannot be read without the password."""

    code = "encrypted_file"


class TextDecodingError(IngestError):
    """A text file whose bytes are neither UTF-8 nor GB18030."""

    code = "text_decoding_error"


class NoTextError(IngestError):
    """The file opened but holds no extractable text (e.g. a scanned PDF that needs OCR)."""

    code = "no_text"


class ArchiveTooLargeError(FileTooLargeError):
    """A DOCX (zip) whose declared uncompressed size is over the limit (a zip bomb, or a huge document)."""

    code = "archive_too_large"


class CompressionRatioError(FileTooLargeError):
    """A DOCX (zip) member that expands far more than documents do: refused as a likely zip bomb."""

    code = "compression_ratio_too_high"


class TooManyPagesError(FileTooLargeError):
    """A PDF with more pages than the limit; refused before any page is read."""

    code = "too_many_pages"


class TooManyOcrPagesError(FileTooLargeError):
    """A PDF with more scanned pages (to be read by OCR) than the OCR page limit."""

    code = "too_many_ocr_pages"


class TooMuchTextError(FileTooLargeError):
    """More extracted text than the limit; reading stops as soon as the limit is passed."""

    code = "too_much_text"


class MissingToolError(UnsupportedFileError):
    """A format that needs a system tool (antiword for .doc) which is not installed."""

    code = "missing_tool"


class ConversionError(IngestError):
    """A converter (antiword, LibreOffice) failed or ran over its time limit on a file."""

    code = "conversion_failed"


class OcrError(IngestError):
    """The OCR engine failed on a scanned page (broken image, engine not installed)."""

    code = "ocr_failed"


class IngestTimeoutError(IngestError):
    """Parsing a file took longer than the wall-time limit; the parse was stopped."""

    code = "ingest_timeout"


class IngestMemoryError(FileTooLargeError):
    """Parsing a file needed more memory than the limit (a zip bomb, a huge document)."""

    code = "ingest_memory"


class ParserCrashedError(IngestError):
    """The parser failed unexpectedly on a file (a damaged file, a reader bug)."""

    code = "parser_crashed"


class IngestCancelledError(IngestError):
    """The parse was stopped because the server is shutting down; the job is queued again."""

    code = "ingest_cancelled"


class InvalidSidecarError(IngestError):
    """The maintainer's ``.meta.json`` file beside a plan cannot be read."""

    code = "invalid_sidecar"


class StorageError(PolicyAssistantError):
    """Something the product keeps on disk (feedback, caches) cannot be written."""

    code = "storage_error"


class AuthenticationError(PolicyAssistantError):
    """No API key, or one the server does not know."""

    code = "unauthorized"


class PermissionDeniedError(PolicyAssistantError):
    """A valid key that may not do this (upload and delete can be limited to admin keys)."""

    code = "forbidden"


class RateLimitedError(PolicyAssistantError):
    """Too many requests for one key in the current minute."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UnsupportedParameterError(PolicyAssistantError):
    """An OpenAI request parameter this server cannot honour (e.g. ``n`` > 1, JSON mode, forced tools)."""

    code = "unsupported_parameter"

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


class BusyError(PolicyAssistantError):
    """The server cannot take more work of this kind now (e.g. too many queued ingest jobs)."""

    code = "busy"

    def __init__(self, message: str, retry_after: int = 30) -> None:
        super().__init__(message)
        self.retry_after = retry_after
