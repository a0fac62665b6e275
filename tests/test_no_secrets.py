"""#11 item 7: no token, password or key is committed. Scans every tracked file.

The sample's own API tokens are derived at run time (`sampledata.generate.api_token`), so
the test derives them too and proves none was written into the tree; the embedded server's
and the pipeline's passwords are generated or derived at run time under `.local/`.
"""
from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess

import pytest

from cchc.settings import PROJECT_ROOT
from sampledata.generate import api_token

#: (what, pattern); a pattern's last group is the value that would be the secret.
PATTERNS = [
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("AWS access key", re.compile(r"\bAKIA[0-9A-Z]{16}\b")),
    ("password in a URL", re.compile(r"\b[a-z+]+://[^\s:/@'\"]+:([^\s@/'\"{}$]+)@")),
    ("secret in a string literal", re.compile(
        r"(?i)\b\w*(?:password|passwd|secret|token|api_key|fernet_key|applicant_key)\w*"
        r"\s*[:=]\s*['\"]([^'\"\s{]{8,})['\"]")),
    ("secret in an env file", re.compile(
        r"(?m)^[ \t]*\w*(?:PASSWORD|SECRET|TOKEN|_KEY)\w*=([^\s$'\"#{][^\s#]{5,})")),
    ("bearer token", re.compile(r"Bearer\s+([A-Za-z0-9._\-]{20,})")),
    ("Fernet key", re.compile(r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{43}=")),
]
#: Matched values that are not secrets, and why.
NOT_SECRETS = {
    "scram-sha-256": "the name of an authentication method",
    "pg-superuser.password": "the name of the file holding a generated password",
    "password": "a placeholder in an error message's example DSN",
    "p%40ss": "a made-up password in a DSN-parsing test",
}


#: A value that names an environment variable (token_env: "TOKEN_H99_S01") holds no secret.
_VARIABLE_NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")


def _tracked_files():
    names = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        path = PROJECT_ROOT / name
        if path.is_file() and path.suffix not in {".xlsx", ".png", ".pdf", ".ttf"}:
            yield name, path.read_text(encoding="utf-8", errors="replace")


def _findings(text: str) -> list[str]:
    found = []
    for what, pattern in PATTERNS:
        for match in pattern.finditer(text):
            value = match.group(match.lastindex) if match.lastindex else ""
            if value in NOT_SECRETS or _VARIABLE_NAME.match(value):
                continue
            found.append(f"{what}: {match.group(0)[:60]}")
    return found


def _planted() -> list[str]:
    """Secrets made at run time: written literally here, this file would trip the scan."""
    word = secrets.token_hex(8)
    return [
        f"WAREHOUSE_DSN=postgresql://cchc:{word}@db:5432/cchc",
        f"password = '{word}'",
        "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
        f"AIRFLOW__CORE__FERNET_KEY: {base64.urlsafe_b64encode(os.urandom(32)).decode()}",
    ]


@pytest.mark.parametrize("sample", _planted())
def test_the_scanner_catches_a_planted_secret(sample):
    assert _findings(sample), sample


def test_no_secret_in_the_tracked_tree():
    findings = [f"{name}: {finding}" for name, text in _tracked_files() for finding in _findings(text)]
    assert findings == []


def test_the_samples_api_tokens_are_not_committed():
    from sampledata.feeds import FEEDS
    from sampledata.generate import DEFAULT_SEED

    tokens = {api_token(DEFAULT_SEED, f.unit_code) for f in FEEDS if f.kind == "api"}
    assert tokens
    leaked = [name for name, text in _tracked_files() for token in tokens if token in text]
    assert leaked == []
