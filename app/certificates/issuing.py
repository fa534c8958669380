"""Issuing certificates: serials that are never reused, signed credentials, revisions, revocation."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

from app.catalog.models import FrameworkVersion, Module
from app.certificates import completion, credential, keys, status
from app.certificates.layout import CertificateFields
from app.certificates.models import COMPLETION, VOLUNTEER, Certificate, CertificateRevision, Completion, SerialCounter
from app.classes.models import Class
from app.errors import DomainError
from app.extensions import db, utcnow
from app.people.models import Person
from app.people.services import audit
from app.places.models import Commune


@dataclass(frozen=True)
class Signer:
    """Who signs certificates, as printed."""

    name: str
    title: str


def next_serials(commune: Commune, year: int, count: int = 1) -> list[str]:
    """Take the next `count` serials of a commune's year (e.g. 11791-2026-000042); never reused, even when
    several officers issue at once."""
    # One atomic UPDATE … RETURNING: PostgreSQL locks the row, SQLite takes its write lock, so no two
    # transactions can ever read the same numbers. A whole batch costs one round trip.
    bump = (update(SerialCounter).where(SerialCounter.commune_id == commune.id, SerialCounter.year == year)
            .values(last=SerialCounter.last + count).returning(SerialCounter.last))
    last = db.session.scalar(bump)
    if last is None:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(SerialCounter).values(commune_id=commune.id, year=year, last=count))
            last = count
        except IntegrityError:  # someone else created this year's counter a moment ago
            last = db.session.scalar(bump)
    return [f"{commune.code}-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def next_serial(commune: Commune, year: int) -> str:
    """Take one serial (see `next_serials`)."""
    return next_serials(commune, year)[0]


def verify_url(base_url: str, serial: str) -> str:
    """The public page anyone reaches from the certificate's QR code."""
    return f"{base_url.rstrip('/')}/verify/{serial}"


def issuer_id(base_url: str, commune: Commune) -> str:
    """The commune's issuer profile URL, which also names its keys (`…#kid`)."""
    return keys.issuer_id(base_url, commune)


def credential_id(base_url: str, serial: str) -> str:
    """The signed credential's id: where its holder downloads it."""
    return f"{base_url.rstrip('/')}/certificates/{serial}/credential.json"


def skill_groups(framework: FrameworkVersion, skills: Sequence[str]) -> list[str]:
    """Name the framework's skill groups the given skill codes belong to ("5. …")."""
    groups = framework.group_titles("vi")
    wanted = sorted({s.split(".")[0] for s in skills}, key=lambda c: int(c) if c.isdigit() else 99)
    return [f"{code}. {groups.get(code, '')}".strip() for code in wanted]


def hours_text(hours: float | None) -> str:
    """Hours as printed in Vietnamese: "4", "3,5"; empty when none are recorded."""
    if hours is None:
        return ""
    return f"{hours:.2f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True)
class Wording:
    """What a kind of certificate says in its signed credential (Vietnamese: the credential is the record)."""

    achievement_type: str  # OB 3.0's
    description: Callable[[Certificate], str]
    criteria: str
    subject: str  # the printed PDF's subject


WORDINGS: dict[str, Wording] = {
    COMPLETION: Wording(
        "CertificateOfCompletion", lambda cert: "Hoàn thành chương trình Bình dân học vụ số: " + cert.achievement,
        "Tham dự lớp học, đạt bài kiểm tra và thực hành các kỹ năng cùng người hướng dẫn; được Ủy ban nhân dân xã "
        "xác nhận hoàn thành.", "Hoàn thành chương trình Bình dân học vụ số"),
    VOLUNTEER: Wording(
        "CommunityService",
        lambda cert: f"Tình nguyện viên hướng dẫn người dân học tập số tại {cert.achievement}: "
                     f"{hours_text(cert.hours)} giờ.",
        "Có tên trong danh sách phân công tình nguyện viên của hoạt động; số giờ theo các ca được phân công.",
        "Tình nguyện viên Bình dân học vụ số"),
}


def sign(cert: Certificate, revision: CertificateRevision, *, commune: Commune, framework: FrameworkVersion | None,
         base_url: str, secret: str, signing: tuple[Any, Any] | None = None) -> dict[str, Any]:
    """Build and sign a revision's credential, worded for the certificate's kind."""
    titles = framework.skill_titles("vi") if framework else {}
    issuer = issuer_id(base_url, commune)
    wording = WORDINGS[cert.kind or COMPLETION]  # a new row has no default yet: that comes when it is flushed
    unsigned = credential.build_credential(
        credential_id=credential_id(base_url, cert.serial),
        issuer_id=issuer, issuer_name=f"Ủy ban nhân dân {commune.name}, {commune.province.name}",
        holder_name=revision.holder_name, holder_id=None,
        achievement_id=f"{verify_url(base_url, cert.serial)}#thanh-tich", achievement_name=cert.achievement,
        achievement_description=wording.description(cert),
        skill_codes_with_titles=[(code, titles.get(code, code)) for code in cert.skills],
        criteria_narrative=wording.criteria, achievement_type=wording.achievement_type,
        valid_from=revision.issued_at, verify_url=verify_url(base_url, cert.serial),
        status_list_credential=status.list_url(base_url, commune) if cert.status_index is not None else None,
        status_list_index=cert.status_index)
    key, private = signing or keys.active_key(commune, secret)
    return credential.sign_credential(unsigned, private, f"{issuer}#{key.kid}")


@dataclass
class _Batch:
    """What every certificate of one bulk issue shares, looked up once (and held, so the session keeps it)."""

    klass: Class
    commune: Commune
    signer: Signer
    actor: Person | None
    now: dt.datetime
    today: dt.date
    base_url: str
    secret: str
    signing: tuple[Any, Any]
    modules: dict[int, Module]
    frameworks: dict[int, FrameworkVersion]


def issue_many(klass: Class, people: Sequence[Person], *, signer: Signer, actor: Person | None, base_url: str,
               secret: str, today: dt.date) -> list[Certificate]:
    """Issue certificates to the class's learners whose completion is confirmed; those who already have one keep it.

    Serials for the whole batch are taken in one statement, shared lookups are made once, and every
    certificate is signed before anything is written, so a thousand cost a few round trips, not thousands.
    A second officer issuing the same class at once waits for the first and gets the same certificates.
    """
    status.lock(klass.commune_id)  # before reading who already has one, so that read is up to date
    # After a commit the people are expired; read their ids from the identity map and reload the whole
    # batch in one query, rather than one query each on first touch.
    ids = [(inspect(p).identity or (p.id,))[0] for p in people]
    if ids:
        db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
    existing = {c.person_id: c for c in db.session.scalars(select(Certificate).where(
        Certificate.class_id == klass.id, Certificate.person_id.in_(ids)))} if ids else {}
    confirmed: dict[int, list[Completion]] = {}
    for row in db.session.scalars(select(Completion).where(Completion.class_id == klass.id,
                                                           Completion.person_id.in_(ids),
                                                           Completion.status == "confirmed")) if ids else []:
        confirmed.setdefault(row.person_id, []).append(row)
    waiting = [p for p in people if p.id not in existing]
    missing = [p.full_name for p in waiting if p.id not in confirmed]
    if missing:
        raise DomainError(_l("Chỉ cấp giấy chứng nhận khi việc hoàn thành đã được xác nhận (chưa: %(names)s).",
                             names=", ".join(missing[:5])))
    if not waiting:
        return [existing[p.id] for p in people]
    commune = db.session.get(Commune, klass.commune_id)
    rows = [c for p in waiting for c in confirmed[p.id]]
    batch = _Batch(klass=klass, commune=commune, signer=signer, actor=actor, now=utcnow(), today=today,
                   base_url=base_url, secret=secret, signing=keys.active_key(commune, secret),
                   modules={m: db.session.get(Module, m) for m in {c.module_id for c in rows}},
                   frameworks={f: db.session.get(FrameworkVersion, f) for f in {c.framework_version_id for c in rows}})
    serials = next_serials(commune, today.year, len(waiting))
    indexes = status.allocate(commune.id, len(waiting))
    with db.session.no_autoflush:  # one flush for the batch: inserts go in a few multi-row statements
        made = {person.id: _new_certificate(person, confirmed[person.id], serial, index, batch)
                for person, serial, index in zip(waiting, serials, indexes, strict=True)}
    try:
        db.session.flush()
    except IntegrityError as error:  # issued meanwhile without the lock (another class, a script): no 500
        raise DomainError(status.BUSY) from error
    return [existing.get(p.id) or made[p.id] for p in people]


@dataclass(frozen=True)
class Progress:
    """Where issuing a class's certificates stands: `done` of the class's `total` confirmed learners."""

    done: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.done


def issue_next(klass: Class, *, batch: int, signer: Signer, actor: Person | None, base_url: str, secret: str,
               today: dt.date) -> Progress:
    """Issue the next `batch` certificates of the class's confirmed learners who have none; return the progress.

    The page's progress bar (a call per request) and `flask certificates issue` (calls until none remain) both
    use this, so they agree on who is waiting and in which order; each call is a batch the caller commits.
    """
    rules = completion.rules_for(klass.commune_id)
    learners = [s.person for s in completion.class_standing(klass, rules) if s.confirmed]
    issued = set(db.session.scalars(select(Certificate.person_id).where(Certificate.class_id == klass.id)))
    waiting = [p for p in learners if p.id not in issued]
    if waiting:
        issue_many(klass, waiting[:batch], signer=signer, actor=actor, base_url=base_url, secret=secret, today=today)
    return Progress(done=len(learners) - max(0, len(waiting) - batch), total=len(learners))


def _new_certificate(person: Person, completions: list[Completion], serial: str, index: int,
                     batch: _Batch) -> Certificate:
    """Build, sign and add one certificate with its first revision (flushed with the batch)."""
    completions = sorted(completions, key=lambda c: c.module_id)
    modules = [batch.modules[c.module_id] for c in completions]
    skills = sorted({s for c in completions for s in c.skills}, key=lambda s: [int(p) for p in s.split(".")])
    framework = batch.frameworks[completions[0].framework_version_id]
    cert = Certificate(
        serial=serial, commune_id=batch.commune.id, person_id=person.id, class_id=batch.klass.id,
        framework_version_id=framework.id,
        achievement="; ".join(m.current.title_vi for m in modules if m and m.current)[:300],
        module_codes=[m.code for m in modules if m], skills=skills, skill_groups=skill_groups(framework, skills),
        issued_on=batch.today, officer_name=batch.signer.name, officer_title=batch.signer.title, status_index=index)
    revision = CertificateRevision(number=1, holder_name=person.full_name, birth_year=person.birth_year,
                                   reason="issued", issued_at=batch.now,
                                   issued_by_id=batch.actor.id if batch.actor else None)
    revision.credential = sign(cert, revision, commune=batch.commune, framework=framework,
                           base_url=batch.base_url, secret=batch.secret, signing=batch.signing)
    cert.revisions.append(revision)
    db.session.add(cert)
    audit(batch.actor, person, "certificate.issue", cert.serial)
    return cert


def issue(person: Person, klass: Class, *, signer: Signer, actor: Person | None, base_url: str, secret: str,
          today: dt.date) -> Certificate:
    """Issue one learner's certificate for a class; issuing again returns the same one."""
    return issue_many(klass, [person], signer=signer, actor=actor, base_url=base_url, secret=secret, today=today)[0]


def reissue(cert: Certificate, *, actor: Person | None, reason: str, base_url: str, secret: str) -> CertificateRevision:
    """Issue a new revision under the same serial with the person's corrected name; earlier ones stay on record.

    A certificate made before status lists gets its status list index here, so its new credential names it.
    """
    status.lock(cert.commune_id)
    db.session.refresh(cert)  # another officer may have reissued or revoked it while we waited
    db.session.expire(cert, ["revisions"])
    if cert.status == "revoked":
        raise DomainError(_l("Giấy chứng nhận đã thu hồi, không cấp lại được."))
    person = db.session.get(Person, cert.person_id)
    if person.full_name == cert.current.holder_name and person.birth_year == cert.current.birth_year:
        raise DomainError(_l("Họ tên và năm sinh chưa thay đổi; không cần cấp lại."))
    revision = CertificateRevision(number=cert.current.number + 1, holder_name=person.full_name,
                                   birth_year=person.birth_year, reason=reason.strip()[:200] or "name corrected",
                                   issued_at=utcnow(), issued_by_id=actor.id if actor else None)
    commune = db.session.get(Commune, cert.commune_id)
    if cert.status_index is None:
        cert.status_index = status.allocate(commune.id, 1)[0]
    framework = db.session.get(FrameworkVersion, cert.framework_version_id) if cert.framework_version_id else None
    revision.credential = sign(cert, revision, commune=commune, base_url=base_url, secret=secret,
                           framework=framework)
    cert.revisions.append(revision)
    db.session.flush()
    audit(actor, person, "certificate.reissue", cert.serial)
    return revision


def revoke(cert: Certificate, *, reason: str, actor: Person | None) -> None:
    """Revoke a certificate; the reason is required and kept."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise DomainError(_l("Vui lòng ghi rõ lý do thu hồi."), field="reason")
    if cert.status == "revoked":
        return
    cert.status, cert.revoked_at, cert.revocation_reason = "revoked", utcnow(), reason[:1000]
    cert.revoked_by_id = actor.id if actor else None
    db.session.flush()
    audit(actor, db.session.get(Person, cert.person_id), "certificate.revoke", cert.serial)


def by_serial(serial: str) -> Certificate | None:
    """Find a certificate by its serial, typed with any case and stray spaces."""
    return db.session.scalar(select(Certificate).where(Certificate.serial == serial.strip().upper()))


def fields(cert: Certificate, base_url: str) -> CertificateFields:
    """What is printed on the certificate's current revision."""
    commune = db.session.get(Commune, cert.commune_id)
    revision = cert.current
    return CertificateFields(
        holder_name=revision.holder_name, birth_year=revision.birth_year, achievement_title=cert.achievement,
        skill_groups=tuple(cert.skill_groups), commune_name=commune.name, province_name=commune.province.name,
        issued_on=revision.issued_at.date() if revision.number > 1 else cert.issued_on,
        officer_name=cert.officer_name, officer_title=cert.officer_title, serial=cert.serial,
        verify_url=verify_url(base_url, cert.serial), revoked=cert.status == "revoked", hours=hours_text(cert.hours),
        subject=WORDINGS[cert.kind or COMPLETION].subject)


# Why a signature did or did not verify, for people (the JSON keeps the reason code).
SIGNATURE_MESSAGES = {
    credential.Reason.VALID: _l("Hợp lệ: chứng nhận số được ký bằng khóa công bố của xã."),
    credential.Reason.TAMPERED: _l("Không hợp lệ: nội dung đã bị sửa sau khi ký, hoặc không do khóa của xã ký."),
    credential.Reason.UNKNOWN_KEY: _l("Không kiểm tra được: không tìm thấy khóa công khai của đơn vị cấp."),
    credential.Reason.MALFORMED_PROOF: _l("Không hợp lệ: phần chữ ký bị thiếu hoặc sai định dạng."),
    credential.Reason.WRONG_CRYPTOSUITE: _l("Không hợp lệ: chữ ký dùng thuật toán không được chấp nhận."),
    credential.Reason.MISMATCH: _l("Không hợp lệ: chứng nhận số đã ký không thuộc giấy chứng nhận mang số hiệu này."),
    "removed": _l("Chứng nhận số đã được xóa cùng dữ liệu cá nhân của người được cấp."),
}


def check_signature(cert: Certificate) -> credential.VerificationResult | None:
    """Verify the current revision's signed credential against the commune's published keys, and that it is this
    certificate's (a row holding another certificate's credential must not verify); None when it was erased."""
    signed = cert.current.credential
    if not signed:
        return None
    issuer = (signed.get("issuer") or {}).get("id", "") if isinstance(signed, dict) else ""
    commune = db.session.get(Commune, cert.commune_id)
    memo = _memo_key(cert, commune, signed)
    with _checks_lock:
        if memo in _checks:
            _checks.move_to_end(memo)
            return _checks[memo]
    result = credential.verify_credential(signed, keys.resolver(issuer, cert.commune_id))
    # The URLs' host follows PUBLIC_BASE_URL, which may change; their paths name the serial and commune.
    own = (str(signed.get("id", "")).endswith(credential_id("", cert.serial))
           and str(issuer).endswith(issuer_id("", commune)))
    if result.ok and not own:
        reason = credential.Reason.MISMATCH
        result = credential.VerificationResult(False, reason, credential.MESSAGES[reason], result.verification_method)
    if memo is not None and result.reason is not credential.Reason.UNKNOWN_KEY:  # a key may yet be found
        with _checks_lock:
            _checks[memo] = result
            while len(_checks) > CHECKS_KEPT:
                _checks.popitem(last=False)
    return result


# The public page checks a certificate's signature on every visit. The answer depends only on the signed
# credential (which names the key), the certificate's serial and commune, and the key, which is never changed once
# made (only retired, and retired keys still verify): each process keeps its last answers, keyed by all of these.
# Revocation is never in here: the page always reads it from the certificate's row.
CHECKS_KEPT = 4096
_checks: OrderedDict[tuple[Any, ...], credential.VerificationResult] = OrderedDict()
_checks_lock = threading.Lock()


def _memo_key(cert: Certificate, commune: Commune, signed: Any) -> tuple[Any, ...] | None:
    """What a signature check depends on, or None when the credential cannot be fingerprinted (not cached)."""
    try:
        text = json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    method = ((signed.get("proof") or {}) if isinstance(signed, dict) else {}).get("verificationMethod")
    return (cert.serial, cert.commune_id, commune.code, cert.current.number, str(method),
            hashlib.sha256(text.encode()).hexdigest())
