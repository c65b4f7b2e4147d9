"""Domain errors: one base class, mapped to HTTP status codes in one place (the API layer)."""

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
