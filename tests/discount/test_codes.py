"""Offer codes: keyed (nobody without the secret can mint one), unique per decision, verifiable from the
audit log; the secret's sources and file permissions; durable audit writes committed before an answer."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from sgr.core.config import ModelEntry
from sgr.core.errors import ConfigError
from sgr.core.llm import get_backend
from sgr.discount.agent import DiscountAgent, Outcome
from sgr.discount.audit import AuditLog
from sgr.discount.codes import (
    DRAFT_ISSUER,
    SECRET_ENV,
    SECRET_FILE,
    canonical,
    load_secret,
    offer_code,
    verify,
)
from sgr.discount.errors import StoreCorrupt
from sgr.discount.stores import AUDIT_FILE, Stores

KEY = b"a fixed test secret, 32 bytes ok"
CROCKFORD = "[0-9A-HJKMNP-TV-Z]"
SHAPE = re.compile(rf"^SAVE\d+(P\d)?(-{CROCKFORD}{{4}}){{4}}$")


@pytest.fixture(autouse=True)
def _no_env_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SECRET_ENV, raising=False)


def offline_agent(store_dir: Path, *, secret: bytes | None = KEY) -> DiscountAgent:
    backend = get_backend(ModelEntry(name="offline", backend="offline"))
    return DiscountAgent(Stores(store_dir), AuditLog(store_dir), backend, secret=secret)


def priced(agent: DiscountAgent, customer: str = "C0000003") -> Outcome:
    out = agent.decide(customer, "too expensive, any discount? I might cancel")
    assert out.decision is not None and out.decision.offer_code, out.customer_message
    return out


def close(agent: DiscountAgent) -> None:
    agent.audit.close()
    agent.stores.close()


# --- the code itself ------------------------------------------------------------------------------------

def test_code_is_readable_and_carries_an_80_bit_tag() -> None:
    code = offer_code("C0000042", 12.0, key=KEY, serial=1) or ""
    assert SHAPE.match(code), code
    assert code.startswith("SAVE12-") and (offer_code("C1", 7.5, key=KEY, serial=1) or "").startswith("SAVE7P5-")
    assert len(code.split("-", 1)[1].replace("-", "")) * 5 >= 80
    assert offer_code("C0000042", 0.0, key=KEY, serial=1) is None


def test_code_depends_on_every_input_and_on_the_key() -> None:
    base = offer_code("C0000042", 12.0, key=KEY, serial=5)
    assert base == offer_code("C0000042", 12.0, key=KEY, serial=5)  # deterministic
    variants = {offer_code("C0000043", 12.0, key=KEY, serial=5), offer_code("C0000042", 12.5, key=KEY, serial=5),
                offer_code("C0000042", 12.0, key=KEY, serial=6), offer_code("C0000042", 12.0, key=KEY + b"x", serial=5)}
    assert base not in variants and len(variants) == 4
    tags = {(offer_code("C0000042", 12.0, key=KEY, serial=i) or "")[7:] for i in range(20_000)}
    assert len(tags) == 20_000  # no collisions where a 16-bit tag would have hundreds


@pytest.mark.parametrize("typed", ["save12-{t}", "SAVE12-{t}".replace("-", " - ", 1), "  SAVE12-{t}  ",
                                   "SAVE12-{u}"])
def test_people_may_retype_a_code_loosely(typed: str) -> None:
    code = offer_code("C1", 12.0, key=KEY, serial=3) or ""
    tag = code.split("-", 1)[1]
    no_dashes_with_typos = tag.replace("-", "").replace("0", "O").replace("1", "I")
    assert canonical(typed.format(t=tag.lower(), u=no_dashes_with_typos)) == code


@pytest.mark.parametrize("junk", ["VIPDEAL", "SAVE12", "SAVE12-ABCD", "SAVE12-ABCD-EFGH-JKMN-PQRSX",
                                  "SAVE12-ABCD-EFGH-JKMN-PQR!", "FREE100-ABCD-EFGH-JKMN-PQRS", ""])
def test_things_that_cannot_be_codes(junk: str) -> None:
    assert canonical(junk) is None


# --- issuing and verifying through the agent -----------------------------------------------------------

def test_issued_code_verifies_with_who_what_when(store_dir: Path) -> None:
    agent = offline_agent(store_dir)
    try:
        out = priced(agent)
        code = out.decision.offer_code  # type: ignore[union-attr]
        assert code and SHAPE.match(code) and code in out.customer_message
        v = verify(code.lower(), key=KEY, audit=agent.audit)
        assert v.issued and v.code == code
        assert (v.customer_id, v.percent, v.audit_id) == ("C0000003", out.decision.max_discount_percent,  # type: ignore[union-attr]
                                                          out.audit_id)
        row = next(r for r in agent.audit.list(limit=5) if r["id"] == out.audit_id)
        assert v.issued_at == row["ts"] and row["decision"]["offer_code"] == code
    finally:
        close(agent)


def test_forged_and_altered_codes_are_not_issued(store_dir: Path) -> None:
    agent = offline_agent(store_dir)
    try:
        out = priced(agent)
        code = out.decision.offer_code or ""  # type: ignore[union-attr]
        prefix, tag = code.split("-", 1)
        last = tag[-1]
        altered = f"{prefix}-{tag[:-1]}{'0' if last != '0' else '1'}"
        higher = code.replace(prefix, "SAVE50", 1)
        # minted with the right key, for a decision that was never made (no audit row has that id)
        minted = offer_code("C0000003", 50.0, key=KEY, serial=(out.audit_id or 0) + 1000) or ""
        draft = DRAFT_ISSUER("C0000003", out.decision.max_discount_percent) or ""  # type: ignore[union-attr]
        for fake in (altered, higher, minted, draft, "VIPDEAL"):
            v = verify(fake, key=KEY, audit=agent.audit)
            assert not v.issued and v.customer_id is None, (fake, v)
        assert verify(code, key=KEY, audit=agent.audit).issued
    finally:
        close(agent)


def test_a_different_secret_does_not_vouch_for_a_code(store_dir: Path) -> None:
    agent = offline_agent(store_dir)
    try:
        code = priced(agent).decision.offer_code or ""  # type: ignore[union-attr]
        v = verify(code, key=b"another secret entirely!", audit=agent.audit)
        assert not v.issued and "secret" in v.reason
    finally:
        close(agent)


def test_codes_are_unique_per_decision_and_deterministic_per_fresh_log(tmp_path: Path) -> None:
    """Same stores, same requests, same secret, fresh audit logs: the same codes, byte for byte."""
    from sgr.discount.setup_data import setup_data

    runs = []
    for name in ("a", "b"):
        d = tmp_path / name
        setup_data(d, users=12, seed=5)
        agent = offline_agent(d)
        try:
            runs.append([agent.decide(f"C{i:07d}", "this is too expensive, any discount?") for i in (1, 2, 1, 3)])
        finally:
            close(agent)
    a, b = ([(o.audit_id, o.decision.to_dict() if o.decision else None, o.customer_message) for o in run]
            for run in runs)
    assert a == b
    codes = [o.decision.offer_code for o in runs[0] if o.decision and o.decision.offer_code]
    assert len(codes) == len(set(codes)) >= 3  # the same customer asking twice gets two codes


# --- the secret ------------------------------------------------------------------------------------------

def test_secret_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_secret(tmp_path)
    assert first.created and first.source == str(tmp_path / SECRET_FILE)
    if os.name == "posix":
        assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    again = load_secret(tmp_path)
    assert not again.created and again.key == first.key and len(first.key) >= 32


def test_concurrent_first_starts_agree_on_one_secret(tmp_path: Path) -> None:
    keys: list[bytes] = []
    start = threading.Barrier(8)

    def load() -> None:
        start.wait()
        keys.append(load_secret(tmp_path / "d").key)

    threads = [threading.Thread(target=load) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert [p.name for p in (tmp_path / "d").iterdir()] == [SECRET_FILE]  # no temp files left


def test_env_then_config_then_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_secret(tmp_path, configured="from-the-config-0123").key == b"from-the-config-0123"
    monkeypatch.setenv(SECRET_ENV, "from-the-environment-01")
    assert load_secret(tmp_path, configured="from-the-config-0123").key == b"from-the-environment-01"
    assert not (tmp_path / SECRET_FILE).exists()
    monkeypatch.setenv(SECRET_ENV, "short")
    with pytest.raises(ConfigError, match="at least 16"):
        load_secret(tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_secret_file_others_can_read_is_refused(tmp_path: Path) -> None:
    load_secret(tmp_path)
    (tmp_path / SECRET_FILE).chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_secret(tmp_path)


def test_agent_without_a_secret_uses_the_file_next_to_the_audit_log(store_dir: Path) -> None:
    agent = offline_agent(store_dir, secret=None)
    try:
        code = priced(agent).decision.offer_code or ""  # type: ignore[union-attr]
        assert verify(code, key=load_secret(store_dir).key, audit=agent.audit).issued
    finally:
        close(agent)


# --- durable audit ---------------------------------------------------------------------------------------

def test_audit_syncs_on_every_commit(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    try:
        assert log._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert log._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        log.close()


def test_decision_is_committed_before_it_is_returned(store_dir: Path) -> None:
    agent = offline_agent(store_dir)
    try:
        out = priced(agent)
        # another connection (as another process would) sees the row and the code's index entry right away
        with sqlite3.connect(store_dir / AUDIT_FILE) as other:
            row = other.execute("SELECT customer_id FROM audit WHERE id = ?", (out.audit_id,)).fetchone()
            indexed = other.execute("SELECT count(*) FROM offer_codes WHERE audit_id = ?", (out.audit_id,)).fetchone()
        assert row == ("C0000003",) and indexed == (1,)
    finally:
        close(agent)


def test_no_offer_leaves_when_the_audit_write_fails(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    agent = offline_agent(store_dir)

    def broken(*args: object, **kwargs: object) -> int:
        raise StoreCorrupt("disk full")

    monkeypatch.setattr(agent.audit, "record", broken)
    try:
        with pytest.raises(StoreCorrupt):
            agent.decide("C0000003", "too expensive, any discount?")
    finally:
        close(agent)


def test_reserved_ids_are_never_handed_out_twice(tmp_path: Path) -> None:
    """Two connections (as two processes) and many threads reserving at once, plus plain inserts."""
    logs = [AuditLog(tmp_path), AuditLog(tmp_path)]
    got: list[int] = []
    lock = threading.Lock()

    def work(log: AuditLog) -> None:
        for _ in range(25):
            rid = log.reserve()
            with lock:
                got.append(rid)

    threads = [threading.Thread(target=work, args=(logs[i % 2],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == len(set(got)) == 200
    from sgr.discount.audit import AuditRecord

    rec = AuditRecord("t", "C1", "m", "respond", {}, {}, {}, None, [], [], "offline", False, 0.0)
    plain = logs[0].record(rec)  # an unreserved row skips every reserved id
    assert plain > max(got)
    for log in logs:
        log.close()
