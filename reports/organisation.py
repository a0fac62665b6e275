"""Who publishes the reports: the optional `<data>/reference/organisation.yml` (sources.md §1).

    load_organisation(data_dir) -> Organisation

The masthead, the document number and the signature block come from it. Without the
file (or without a key) the documents print what to fill in, never a blank that a
clerk could overlook before signing.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

FILE_NAME = "organisation.yml"
KEYS = ("province_name", "department_name", "signatory_title", "signatory_name", "document_prefix")

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {key: {"type": "string", "minLength": 1} for key in KEYS},
    "additionalProperties": False,
}


class OrganisationError(ValueError):
    """organisation.yml is unreadable or invalid; the message names the file and each key."""


@dataclass(frozen=True)
class Organisation:
    """The publisher's settings; a key that is not set is None."""

    province_name: str | None = None
    department_name: str | None = None
    signatory_title: str | None = None
    signatory_name: str | None = None
    document_prefix: str | None = None

    def text(self, key: str) -> str:
        """The value of `key`, or a bracketed note saying which key to fill in where."""
        value = getattr(self, key)
        return value if value else f"[điền {key} trong reference/{FILE_NAME}]"

    def upper(self, key: str) -> str:
        """The value in capitals (masthead lines), or the note saying what to fill in."""
        value = getattr(self, key)
        return value.upper() if value else self.text(key)


def _errors(document: object) -> list[str]:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    messages = []
    for error in validator.iter_errors(document):
        if error.validator == "additionalProperties":
            unknown = sorted(set(document) - set(KEYS))  # type: ignore[arg-type]
            messages += [f"key {key}: unknown key (allowed: {', '.join(KEYS)})" for key in unknown]
        elif error.absolute_path:
            key = error.absolute_path[0]
            messages.append(f"key {key}: value {document[key]!r} must be non-empty text")
        else:
            messages.append(f"the file must be a mapping of keys to text, not {error.instance!r}")
    return sorted(messages)


def parse_organisation(document: object, source: str = FILE_NAME) -> Organisation:
    """Validate a parsed organisation.yml; raises `OrganisationError` listing every problem."""
    document = {} if document is None else document
    errors = _errors(document)
    if errors:
        raise OrganisationError(
            f"{source} is invalid / {source} không hợp lệ:\n- " + "\n- ".join(errors)
        )
    # Vietnamese typed on some keyboards arrives decomposed; the documents print NFC.
    return Organisation(**{k: unicodedata.normalize("NFC", v) for k, v in document.items()})


def load_organisation(data_dir: str | os.PathLike | None) -> Organisation:
    """`<data_dir>/reference/organisation.yml`, validated; all keys unset when it is absent."""
    if data_dir is None:
        return Organisation()
    path = Path(data_dir) / "reference" / FILE_NAME
    if not path.is_file():
        return Organisation()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise OrganisationError(f"{path}: cannot be read / không đọc được: {exc}") from exc
    return parse_organisation(document, str(path))
