"""Offer codes: keyed, so nobody can mint one, and verifiable against the audit log.

A code is `SAVE<percent>-XXXX-XXXX-XXXX-XXXX`: the percent for people, then an 80-bit HMAC-SHA256 tag over
(customer id, percent, the decision's audit id) under a server secret, in Crockford base32 (no I, L, O, U,
so it reads aloud and survives being retyped; verification maps O->0 and I/L->1). The audit id makes every
code unique to one decision, and it is deterministic: the same requests against a fresh audit log with the
same secret give the same codes, so offline runs stay byte-identical.

Verifying needs the audit log (who, what percent, when) and the secret: the code is looked up by its
sha256 (so the lookup compares no secret text), the tag is recomputed from the row and compared in
constant time. A forged, altered or foreign-secret code is "not issued".

The secret: $SGR_DISCOUNT_SECRET, else `discount.secret`, else `<discount dir>/offer_secret`, generated
once with mode 0600 (and reported, so an operator knows to keep it: a new secret orphans every code).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgr.core.errors import ConfigError
from sgr.discount.message import fmt_percent

if TYPE_CHECKING:
    from sgr.discount.audit import Audit

SECRET_ENV = "SGR_DISCOUNT_SECRET"
SECRET_FILE = "offer_secret"
MIN_SECRET_CHARS = 16
TAG_BYTES = 10  # 80 bits
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SHAPE = re.compile(r"^SAVE(?P<pct>\d{1,3}(?:P\d)?)-(?P<tag>[0-9A-Z-]+)$")
#: per process, for PriceContexts built without the agent (tests, previews): never in any audit log
_DRAFT_KEY = secrets.token_bytes(32)


@dataclass(frozen=True)
class Secret:
    """The HMAC key and where it came from."""

    key: bytes = field(repr=False)
    source: str
    created: bool = False


def load_secret(directory: str | Path, *, configured: str | None = None) -> Secret:
    """The offer-code key: $SGR_DISCOUNT_SECRET > `configured` > the file in `directory` (made if absent)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        if len(env) < MIN_SECRET_CHARS:
            raise ConfigError(f"${SECRET_ENV} must be at least {MIN_SECRET_CHARS} characters")
        return Secret(env.encode("utf-8"), f"${SECRET_ENV}")
    if configured:
        return Secret(configured.encode("utf-8"), "discount.secret in the config")
    path = Path(directory).expanduser() / SECRET_FILE
    created = not path.exists() and _create_secret(path)
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the offer-code secret {path}: {exc}") from exc
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"offer-code secret {path} is readable by others (mode {stat.S_IMODE(mode):o}); "
                          f"run: chmod 600 {path}")
    if len(text) < MIN_SECRET_CHARS:
        raise ConfigError(f"offer-code secret {path} is shorter than {MIN_SECRET_CHARS} characters")
    return Secret(text.encode("utf-8"), str(path), created)


def _create_secret(path: Path) -> bool:
    """Write a fresh secret with mode 0600, atomically: a temp file hard-linked into place, so two
    processes starting at once agree on one secret (the loser's link fails and it reads the winner's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(32) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


def _tag(key: bytes, customer_id: str, percent: float, serial: int) -> str:
    message = "\x1f".join(("sgr-offer-v1", customer_id, fmt_percent(percent), str(serial))).encode("utf-8")
    number = int.from_bytes(hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES], "big")
    chars = "".join(_ALPHABET[(number >> shift) & 31] for shift in range(TAG_BYTES * 8 - 5, -1, -5))
    return "-".join(chars[i:i + 4] for i in range(0, len(chars), 4))


def offer_code(customer_id: str, percent: float, *, key: bytes, serial: int) -> str | None:
    """The code for one decision (None for 0%): SAVE12-7K3M-Q9D2-W4XR-ZP8A, SAVE7P5-..."""
    if percent <= 0:
        return None
    return f"SAVE{fmt_percent(percent).replace('.', 'P')}-{_tag(key, customer_id, percent, serial)}"


@dataclass(frozen=True)
class CodeIssuer:
    """Issues the codes of one decision: the key and the audit id are fixed, the percent is not yet."""

    key: bytes = field(repr=False)
    serial: int

    def __call__(self, customer_id: str, percent: float) -> str | None:
        return offer_code(customer_id, percent, key=self.key, serial=self.serial)


#: the issuer of a PriceContext built outside the agent: valid-looking codes that verify as "not issued"
DRAFT_ISSUER = CodeIssuer(_DRAFT_KEY, 0)


def canonical(code: str) -> str | None:
    """What a person typed, as the code we issued would be written; None if it cannot be one."""
    text = "".join(code.split()).upper()
    m = _SHAPE.match(text)
    if not m:
        return None
    tag = m.group("tag").replace("-", "").translate(_TYPO)
    if len(tag) != TAG_BYTES * 8 // 5 or any(c not in _ALPHABET for c in tag):
        return None
    return f"SAVE{m.group('pct')}-" + "-".join(tag[i:i + 4] for i in range(0, len(tag), 4))


def lookup_key(code: str) -> str:
    """sha256 of the canonical code: how the audit log indexes codes."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """Whether a code was issued, and to whom, for what, when."""

    code: str
    issued: bool
    reason: str
    customer_id: str | None = None
    percent: float | None = None
    issued_at: str | None = None
    audit_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def verify(code: str, *, key: bytes, audit: Audit) -> Verdict:
    """Look the code up in the audit log and re-derive its tag from the audited decision."""
    shown = code.strip()[:64]
    canon = canonical(code)
    if canon is None:
        return Verdict(shown, False, "not an offer code (expected SAVE<percent>-XXXX-XXXX-XXXX-XXXX)")
    row = audit.find_code(lookup_key(canon))
    if row is None:
        return Verdict(canon, False, "no audited decision issued this code")
    percent = float(row["decision"].get("max_discount_percent") or 0.0)
    expected = offer_code(row["customer_id"], percent, key=key, serial=int(row["id"])) or ""
    if not hmac.compare_digest(expected.encode("ascii"), canon.encode("ascii")):
        return Verdict(canon, False, "the audit log lists this code, but its tag does not match this server's "
                                     "secret (changed secret, or an edited audit log)")
    return Verdict(canon, True, "issued", row["customer_id"], percent, row["ts"], int(row["id"]))
