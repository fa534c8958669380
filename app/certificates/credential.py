"""Open Badges 3.0 credentials for certificates: build, sign and verify, offline.

Each certificate is also an Open Badges 3.0 `OpenBadgeCredential`, a W3C Verifiable Credential
(data model 2.0) issued by the commune and signed with the commune's Ed25519 key.

Why an embedded Data Integrity proof with the `eddsa-jcs-2022` cryptosuite (W3C VC-DI-EDDSA):

* OB 3.0 allows two proof formats: VC-JWT (an external proof that wraps the credential in a
  compact JWS whose baseline algorithm is RS256) and embedded "Linked Data" proofs, for which it
  names the VC-DI-EDDSA suite. An embedded proof keeps `credential.json` a plain, readable JSON
  document that wallets and verifiers store and display as-is, with the signature inside it.
* VC-DI-EDDSA has two variants. `eddsa-rdfc-2022` canonicalises through RDF, which means
  expanding JSON-LD and loading every `@context` document: a network fetch or a pinned cache,
  and a large dependency. `eddsa-jcs-2022` canonicalises the JSON itself with RFC 8785 (JSON
  Canonicalization Scheme), implemented below in a few dozen lines: nothing is ever fetched,
  and the same bytes are signed and verified on every machine.
* The limit, stated plainly: verifiers that implement only `eddsa-rdfc-2022` will not check
  this proof, and OB 3.0 certification requires a proof its conformance suite accepts (VC-DI-EDDSA;
  confirm the JCS variant before applying). A VC-JWT or an rdfc proof could be added beside this
  one later (OB 3.0 permits several proofs) without changing what this module signs.

The proof follows VC-DI-EDDSA section 3.3 (eddsa-jcs-2022): the proof options (without
`proofValue`, with the document's `@context`) and the document (without `proof`) are each
JCS-canonicalised and SHA-256 hashed; the Ed25519 signature over hash(options) || hash(document)
is stored base58btc-multibase encoded ("z...") in `proofValue`. Public keys are published as
JWKs at `/.well-known/jwks.json`; `verificationMethod` is expected to be "<issuer id>#<kid>".
"""
from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from json.encoder import encode_basestring
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
FRAMEWORK_NAME = "Khung kiến thức, kỹ năng số cơ bản (QĐ 757/QĐ-BKHCN)"
CRYPTOSUITE = "eddsa-jcs-2022"
STATUS_LIST_BITS = 131_072  # Bitstring Status List v1.0: at least 16 KiB, for herd privacy

# ---- RFC 8785: JSON Canonicalization Scheme -----------------------------------------------


def _number(value: float) -> str:
    """Serialise a number the way ECMAScript's Number.prototype.toString does (RFC 8785 3.2.2.3)."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("JCS cannot represent NaN or Infinity")
    if value == 0:
        return "0"  # also -0
    if value < 0:
        return "-" + _number(-value)
    # repr gives the shortest digits that round-trip, as ECMAScript requires; only the layout
    # differs. Write the value as 0.DIGITS × 10^n (k digits), then lay it out as ECMA-262 does.
    mantissa, _, exp = repr(value).partition("e")
    whole, _, frac = mantissa.partition(".")
    all_digits = whole + frac
    digits = all_digits.rstrip("0").lstrip("0")
    k = len(digits)
    n = int(exp or 0) - len(frac) + (len(all_digits) - len(all_digits.rstrip("0"))) + k
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    return digits[0] + ("." + digits[1:] if k > 1 else "") + ("e+" if e > 0 else "e-") + str(abs(e))


def _string(value: str) -> str:
    # Only the quote, the backslash and C0 controls are escaped (\b \f \n \r \t, else \u00xx in lower
    # case); everything else stays literal UTF-8, with no Unicode normalisation — RFC 8785 3.2.2.2.
    # That is exactly what the json module's (C) string encoder does with ensure_ascii off.
    return encode_basestring(value)


def _serialise(value: Any, out: list[str]) -> None:
    if value is None or isinstance(value, bool):
        out.append({None: "null", True: "true", False: "false"}[value])
    elif isinstance(value, int):
        if abs(value) > 2**53:  # I-JSON: larger integers do not survive a round trip as doubles
            raise ValueError(f"integer {value} is outside the I-JSON range")
        out.append(str(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            out.append("," if i else "")
            _serialise(item, out)
        out.append("]")
    elif isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("JSON object keys must be strings")
        out.append("{")
        # Members sorted by their UTF-16 code units, which UTF-16-BE bytes compare like.
        for i, key in enumerate(sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))):
            out.append(("," if i else "") + _string(key) + ":")
            _serialise(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def canonicalize(value: Any) -> bytes:
    """Serialise a JSON value per RFC 8785 (JCS) as UTF-8 bytes."""
    out: list[str] = []
    _serialise(value, out)
    return "".join(out).encode("utf-8")  # lone surrogates raise here, as RFC 8785 requires


# ---- keys ----------------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _b58encode(data: bytes) -> str:
    number, out = int.from_bytes(data, "big"), ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _b58decode(text: str) -> bytes:
    number = 0
    for ch in text:
        number = number * 58 + _B58.index(ch)  # ValueError on a character outside the alphabet
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_key() -> Ed25519PrivateKey:
    """Generate a new Ed25519 signing key for a commune."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(private_key: Ed25519PrivateKey, password: bytes | None = None) -> bytes:
    """Serialise a private key as PKCS#8 PEM, encrypted when a password is given."""
    encryption = (serialization.BestAvailableEncryption(password) if password
                  else serialization.NoEncryption())
    return private_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def private_key_from_pem(data: bytes, password: bytes | None = None) -> Ed25519PrivateKey:
    """Load a PKCS#8 PEM private key; anything but Ed25519 is refused."""
    key = serialization.load_pem_private_key(data, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the PEM does not hold an Ed25519 private key")
    return key


def public_jwk(public_key: Ed25519PublicKey, kid: str) -> dict[str, str]:
    """Describe a public key as an OKP/Ed25519 JWK for /.well-known/jwks.json (RFC 8037)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": kid, "use": "sig", "alg": "EdDSA"}


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    """Read an OKP/Ed25519 public JWK back into a key; refuse anything else, and private keys."""
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise ValueError("expected a public OKP JWK on curve Ed25519")
    x = str(jwk.get("x", ""))
    raw = base64.urlsafe_b64decode(x + "=" * (-len(x) % 4))
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """Encode a public key as a Multikey `publicKeyMultibase` ("z6Mk..."), for DID documents."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + _b58encode(b"\xed\x01" + raw)


# ---- building ------------------------------------------------------------------------------

def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("credential times must be timezone-aware (e.g. datetime.now(UTC))")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _nfc(text: str) -> str:
    # Decomposed Vietnamese (from some keyboards) would sign different bytes for the same name.
    return unicodedata.normalize("NFC", text).strip()


def build_credential(
    *, credential_id: str, issuer_id: str, issuer_name: str, holder_name: str, holder_id: str | None,
    achievement_id: str, achievement_name: str, achievement_description: str,
    skill_codes_with_titles: Iterable[tuple[str, str]] | Mapping[str, str], criteria_narrative: str,
    valid_from: datetime, verify_url: str, framework_url: str | None = None,
    status_list_credential: str | None = None, status_list_index: int | None = None,
    achievement_type: str = "CertificateOfCompletion",
) -> dict[str, Any]:
    """Build an unsigned OB 3.0 OpenBadgeCredential for one completed achievement.

    Skills become `alignment` entries (targetCode, targetName, targetFramework); each needs a
    targetUrl, which is `framework_url#code` or, by default, `achievement_id#ky-nang-code`.
    `verify_url` is given as evidence: the commune's public page for this certificate. With
    `status_list_credential` and `status_list_index` the credential carries a W3C
    BitstringStatusListEntry for revocation (see `build_status_list_credential`). `achievement_type` is one of
    OB 3.0's achievement types: "CertificateOfCompletion", or "CommunityService" for a volunteer's certificate.
    """
    skills = skill_codes_with_titles
    if isinstance(skills, Mapping):
        skills = skills.items()
    alignment = [{
        "type": ["Alignment"], "targetCode": str(code), "targetName": _nfc(title),
        "targetFramework": FRAMEWORK_NAME,
        "targetUrl": f"{framework_url}#{code}" if framework_url else f"{achievement_id}#ky-nang-{code}",
    } for code, title in skills]
    name = _nfc(holder_name)
    subject: dict[str, Any] = {"type": ["AchievementSubject"]}
    if holder_id:
        subject["id"] = holder_id
    subject["name"] = name  # what wallets display; `identifier` below is the OB 3.0 form
    subject["identifier"] = [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                              "identityHash": name}]
    subject["achievement"] = {
        "id": achievement_id, "type": ["Achievement"], "achievementType": achievement_type,
        "name": _nfc(achievement_name), "description": _nfc(achievement_description),
        "criteria": {"narrative": _nfc(criteria_narrative)}, "alignment": alignment, "inLanguage": "vi",
    }
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB3_CONTEXT], "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{_nfc(achievement_name)} – {name}",
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": _nfc(issuer_name)},
        "validFrom": _timestamp(valid_from), "credentialSubject": subject,
        "evidence": [{"id": verify_url, "type": ["Evidence"], "name": "Trang xác minh giấy chứng nhận",
                      "narrative": "Trang công khai của Ủy ban nhân dân xác nhận giấy chứng nhận "
                                   "và tình trạng còn hiệu lực hay đã thu hồi."}],
        "credentialSchema": [{"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if status_list_credential is not None and status_list_index is not None:
        credential["credentialStatus"] = {
            "id": f"{status_list_credential}#{status_list_index}", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": str(status_list_index),
            "statusListCredential": status_list_credential}
    return credential


def build_status_list_credential(*, list_id: str, issuer_id: str, revoked_indexes: Iterable[int],
                                 valid_from: datetime, size: int = STATUS_LIST_BITS) -> dict[str, Any]:
    """Build an unsigned BitstringStatusListCredential marking the given indexes revoked."""
    bits = bytearray(max(size, STATUS_LIST_BITS) // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)  # index 0 is the left-most bit
    encoded = "u" + _b64url(gzip.compress(bytes(bits), mtime=0))
    return {"@context": [VC_CONTEXT], "id": list_id,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer_id,
            "validFrom": _timestamp(valid_from),
            "credentialSubject": {"id": f"{list_id}#list", "type": "BitstringStatusList",
                                  "statusPurpose": "revocation", "encodedList": encoded}}


# ---- signing and verifying -----------------------------------------------------------------

def _hash_data(proof_options: Mapping[str, Any], document: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(canonicalize(proof_options)).digest() + hashlib.sha256(canonicalize(document)).digest()


def sign_credential(credential: Mapping[str, Any], private_key: Ed25519PrivateKey,
                    verification_method: str, *, created: datetime | None = None) -> dict[str, Any]:
    """Return a copy of the credential with an eddsa-jcs-2022 DataIntegrityProof added."""
    if "proof" in credential:
        raise ValueError("the credential already has a proof")
    document = copy.deepcopy(dict(credential))
    proof: dict[str, Any] = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE}
    if created is not None:  # optional in Data Integrity; left out, signing is deterministic
        proof["created"] = _timestamp(created)
    proof.update(verificationMethod=verification_method, proofPurpose="assertionMethod")
    if "@context" in document:
        proof["@context"] = copy.deepcopy(document["@context"])
    proof["proofValue"] = "z" + _b58encode(private_key.sign(_hash_data(proof, document)))
    return {**document, "proof": proof}


class Reason(StrEnum):
    """Why a credential did or did not verify."""

    VALID = "valid"
    TAMPERED = "tampered"
    UNKNOWN_KEY = "unknown_key"
    MALFORMED_PROOF = "malformed_proof"
    WRONG_CRYPTOSUITE = "wrong_cryptosuite"
    MISMATCH = "mismatch"  # a good signature, but over another certificate's or issuer's credential


MESSAGES: Mapping[Reason, str] = {
    Reason.VALID: "Chữ ký hợp lệ: giấy chứng nhận do đơn vị cấp ký và không bị sửa đổi.",
    Reason.TAMPERED: "Chữ ký không khớp: nội dung đã bị sửa đổi sau khi ký hoặc không do khóa này ký.",
    Reason.UNKNOWN_KEY: "Không tìm thấy khóa công khai của đơn vị cấp để kiểm tra chữ ký.",
    Reason.MALFORMED_PROOF: "Phần chữ ký (proof) bị thiếu hoặc sai định dạng.",
    Reason.WRONG_CRYPTOSUITE: "Chữ ký dùng thuật toán không được hỗ trợ (chỉ chấp nhận eddsa-jcs-2022).",
    Reason.MISMATCH: "Chữ ký hợp lệ nhưng thuộc về một chứng nhận khác, không phải chứng nhận này.",
}


@dataclass(frozen=True)
class VerificationResult:
    """Outcome of verify_credential: a reason code and a message in Vietnamese for people."""

    ok: bool
    reason: Reason
    message: str
    verification_method: str | None = None


def _result(reason: Reason, method: str | None = None) -> VerificationResult:
    return VerificationResult(reason is Reason.VALID, reason, MESSAGES[reason], method)


def verify_credential(signed: Mapping[str, Any],
                      resolve_public_key: Callable[[str], Ed25519PublicKey | None]) -> VerificationResult:
    """Check a credential's eddsa-jcs-2022 proof with the key its verificationMethod names."""
    proof = signed.get("proof") if isinstance(signed, Mapping) else None
    if not isinstance(proof, Mapping):
        return _result(Reason.MALFORMED_PROOF)
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return _result(Reason.WRONG_CRYPTOSUITE)
    method, value = proof.get("verificationMethod"), proof.get("proofValue")
    if (not isinstance(method, str) or not method or proof.get("proofPurpose") != "assertionMethod"
            or not isinstance(value, str) or not value.startswith("z")):
        return _result(Reason.MALFORMED_PROOF, method if isinstance(method, str) else None)
    try:
        signature = _b58decode(value[1:])
        if "created" in proof:
            datetime.fromisoformat(str(proof["created"]).replace("Z", "+00:00"))
    except ValueError:
        return _result(Reason.MALFORMED_PROOF, method)
    if len(signature) != 64:
        return _result(Reason.MALFORMED_PROOF, method)
    document = {k: v for k, v in signed.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    # The spec lets a document gain trailing contexts after signing; we accept none at all.
    if "@context" in options and options["@context"] != document.get("@context"):
        return _result(Reason.TAMPERED, method)
    key = resolve_public_key(method)
    if key is None:
        return _result(Reason.UNKNOWN_KEY, method)
    try:
        key.verify(signature, _hash_data(options, document))
    except (InvalidSignature, ValueError, TypeError):  # bad JSON values cannot have been signed
        return _result(Reason.TAMPERED, method)
    return _result(Reason.VALID, method)
