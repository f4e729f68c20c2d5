"""Errors an extractor raises for input it cannot read. The message is the reason only; the pipeline
prefixes the file name, so the user sees one line: `FILE: reason`."""


class ExtractionError(Exception):
    """The bytes could not be read as the format they claim to be (corrupt, encrypted, empty...)."""


class UnsupportedFormat(ExtractionError):
    """The bytes are of a format nianbao does not read (or needs a tool that is not installed)."""
