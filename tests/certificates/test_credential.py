"""Open Badges 3.0 credentials: RFC 8785 canonicalisation, eddsa-jcs-2022 signing, verification."""
from __future__ import annotations

import base64
import copy
import gzip
import json
import math
import struct
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from app.certificates.credential import (
    CRYPTOSUITE,
    FRAMEWORK_NAME,
    MESSAGES,
    OB3_CONTEXT,
    VC_CONTEXT,
    Reason,
    build_credential,
    build_status_list_credential,
    canonicalize,
    generate_key,
    private_key_from_pem,
    private_key_to_pem,
    public_jwk,
    public_key_from_jwk,
    public_key_multibase,
    sign_credential,
    verify_credential,
)

ISSUER = "https://hocvuso.example.vn/don-vi/xa-phu-dong"
METHOD = f"{ISSUER}#khoa-2026"
SKILLS = [("0.1", "Sử dụng thiết bị"), ("0.2", "Sử dụng phần mềm trên thiết bị"),
          ("1.1", "Tìm kiếm và lựa chọn thông tin")]


def unsigned(**changes: object) -> dict:
    args = dict(
        credential_id="urn:uuid:5b0f7c1e-2f43-4e0a-9d47-0c1f6f7e2a10", issuer_id=ISSUER,
        issuer_name="Ủy ban nhân dân xã Phù Đổng", holder_name="Lê Thị Ánh Tuyết", holder_id=None,
        achievement_id="https://hocvuso.example.vn/thanh-tich/nct-01",
        achievement_name="Làm quen với điện thoại thông minh",
        achievement_description="Hoàn thành mô-đun NCT-01 của chương trình Bình dân học vụ số.",
        skill_codes_with_titles=SKILLS,
        criteria_narrative="Hoàn thành các bài học và đạt bài kiểm tra cuối mô-đun.",
        valid_from=datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=7))),
        verify_url="https://hocvuso.example.vn/xac-minh/HVS-2026-000123")
    args.update(changes)
    return build_credential(**args)


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return generate_key()


@pytest.fixture(scope="module")
def signed(key) -> dict:
    return sign_credential(unsigned(), key, METHOD)


def resolver(*keys_by_method):
    table = dict(keys_by_method)
    return lambda method: table.get(method)


# ---- RFC 8785 ------------------------------------------------------------------------------

def test_rfc8785_section_3_2_2_example():
    data = json.loads(r'''{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }''')
    expected = ('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
                '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
    assert canonicalize(data) == expected.encode("utf-8")


def test_rfc8785_sorts_keys_by_utf16_code_units():
    data = json.loads(r'''{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }''')
    values = [v for _k, v in json.loads(canonicalize(data)).items()]
    assert values == ["Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                      "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh"]
    # The emoji (a surrogate pair, D83D...) sorts before U+FB33 in UTF-16, after it by code point.
    assert canonicalize({"\ufb33": 1, "\U0001f600": 2}) == '{"\U0001f600":2,"\ufb33":1}'.encode()


def test_rfc8785_utf8_output_is_not_normalised():
    assert canonicalize({"Unnormalized Unicode": "A\u030a"}).hex(" ") == (
        "7b 22 55 6e 6e 6f 72 6d 61 6c 69 7a 65 64 20 55 6e 69 63 6f 64 65 22 3a 22 41 cc 8a 22 7d")


@pytest.mark.parametrize(("bits", "expected"), [
    ("0000000000000000", "0"), ("8000000000000000", "0"), ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"), ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"), ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"), ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"), ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"), ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"), ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"), ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"), ("43143ff3c1cb0959", "1424953923781206.2"),
])
def test_rfc8785_appendix_b_numbers(bits, expected):
    assert canonicalize(struct.unpack(">d", bytes.fromhex(bits))[0]) == expected.encode()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 2**53 + 1, "\ud800", {1: "x"}, object()])
def test_values_jcs_cannot_represent_are_refused(bad):
    with pytest.raises((ValueError, TypeError, UnicodeEncodeError)):
        canonicalize({"v": bad})


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))), inner, max_size=4),
    max_leaves=20)


@given(_json)
def test_jcs_matches_sorted_compact_json_for_bmp_text_and_integers(value):
    # For these values RFC 8785 and Python's sorted, compact, non-ASCII-escaping dump agree.
    assert canonicalize(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---- the credential ------------------------------------------------------------------------

def test_credential_follows_the_open_badges_3_data_model():
    c = unsigned(holder_id="urn:uuid:0e3c5a52-8a8a-4d2b-b1b8-3d8f7c2a9e11")
    assert c["@context"] == [VC_CONTEXT, OB3_CONTEXT]
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["issuer"] == {"id": ISSUER, "type": ["Profile"], "name": "Ủy ban nhân dân xã Phù Đổng"}
    assert c["validFrom"] == "2026-11-22T02:30:00Z"
    subject = c["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"] and subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["criteria"]["narrative"]
    assert [(a["targetCode"], a["targetName"]) for a in achievement["alignment"]] == SKILLS
    assert {a["targetFramework"] for a in achievement["alignment"]} == {FRAMEWORK_NAME}
    assert all(a["type"] == ["Alignment"] and a["targetUrl"].startswith("https://") for a in achievement["alignment"])
    assert c["evidence"][0]["id"] == "https://hocvuso.example.vn/xac-minh/HVS-2026-000123"


def test_holder_without_id_is_named_by_an_identity_object():
    subject = unsigned()["credentialSubject"]
    assert "id" not in subject
    assert subject["identifier"] == [{"type": "IdentityObject", "identityType": "name",
                                      "hashed": False, "identityHash": "Lê Thị Ánh Tuyết"}]


def test_skills_may_be_given_as_a_mapping_and_framework_url():
    c = unsigned(skill_codes_with_titles=dict(SKILLS), framework_url="https://khung.example.vn/757")
    assert c["credentialSubject"]["achievement"]["alignment"][0]["targetUrl"] == "https://khung.example.vn/757#0.1"


def test_naive_valid_from_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        unsigned(valid_from=datetime(2026, 11, 22, 9, 30))


def test_revocation_status_list():
    c = unsigned(status_list_credential="https://hocvuso.example.vn/trang-thai/1", status_list_index=42)
    assert c["credentialStatus"] == {
        "id": "https://hocvuso.example.vn/trang-thai/1#42", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "42",
        "statusListCredential": "https://hocvuso.example.vn/trang-thai/1"}
    status = build_status_list_credential(list_id="https://hocvuso.example.vn/trang-thai/1",
                                          issuer_id=ISSUER, revoked_indexes=[42, 131071],
                                          valid_from=datetime(2026, 11, 22, tzinfo=UTC))
    encoded = status["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == 16384 and bits[5] == 0b00100000 and bits[-1] == 1 and sum(bits) == 33


# ---- signing and verifying -----------------------------------------------------------------

def test_round_trip_and_vietnamese_names_survive(key, signed):
    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == CRYPTOSUITE
    assert signed["proof"]["proofValue"].startswith("z")
    assert signed["credentialSubject"]["name"] == "Lê Thị Ánh Tuyết"
    good = resolver((METHOD, key.public_key()))
    result = verify_credential(signed, good)
    assert result.ok and result.reason is Reason.VALID and result.message == MESSAGES[Reason.VALID]
    for ensure_ascii in (True, False):  # whatever escaping a server or wallet uses in transit
        text = json.dumps(signed, ensure_ascii=ensure_ascii, indent=2)
        assert verify_credential(json.loads(text), good).ok
    assert "Lê Thị Ánh Tuyết" in json.dumps(signed, ensure_ascii=False)


def test_decomposed_input_is_signed_composed(key):
    c = sign_credential(unsigned(holder_name=unicodedata.normalize("NFD", "Nguyễn Thị Hương")), key, METHOD)
    assert c["credentialSubject"]["name"] == "Nguyễn Thị Hương"


def test_signing_does_not_touch_the_input_and_refuses_a_second_proof(key, signed):
    original = unsigned()
    before = copy.deepcopy(original)
    sign_credential(original, key, METHOD)
    assert original == before
    with pytest.raises(ValueError, match="already has a proof"):
        sign_credential(signed, key, METHOD)


def _tamper(doc: dict, path: tuple, value: object) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return doc


@pytest.mark.parametrize(("path", "value"), [
    (("credentialSubject", "name"), "Lê Thị Ánh Tuyến"),
    (("credentialSubject", "identifier", 0, "identityHash"), "Trần Văn Bình"),
    (("credentialSubject", "achievement", "name"), "Sử dụng máy tính"),
    (("credentialSubject", "achievement", "alignment", 0, "targetCode"), "6.1"),
    (("validFrom",), "2025-01-01T00:00:00Z"),
    (("issuer", "name"), "Ủy ban nhân dân xã Khác"),
    (("evidence", 0, "id"), "https://gia-mao.example/xac-minh"),
    (("proof", "created"), "2026-01-01T00:00:00Z"),
    (("@context",), [VC_CONTEXT, OB3_CONTEXT, "https://example.org/extra"]),
])
def test_tampering_with_any_field_is_detected(key, signed, path, value):
    result = verify_credential(_tamper(signed, path, value), resolver((METHOD, key.public_key())))
    assert not result.ok and result.reason is Reason.TAMPERED


def test_adding_a_field_is_detected(key, signed):
    forged = {**signed, "description": "Thêm một dòng"}
    assert verify_credential(forged, resolver((METHOD, key.public_key()))).reason is Reason.TAMPERED


def test_tampered_proof_value_is_detected(key, signed):
    value = signed["proof"]["proofValue"]
    flipped = value[:-3] + ("2" if value[-3] != "2" else "3") + value[-2:]
    result = verify_credential(_tamper(signed, ("proof", "proofValue"), flipped), resolver((METHOD, key.public_key())))
    assert result.reason is Reason.TAMPERED


@pytest.mark.parametrize("value", ["", "abc", "z0OIl", "z" + "1" * 10, 42])
def test_malformed_proof_value_is_reported(key, signed, value):
    result = verify_credential(_tamper(signed, ("proof", "proofValue"), value), resolver((METHOD, key.public_key())))
    assert result.reason is Reason.MALFORMED_PROOF and not result.ok


@pytest.mark.parametrize(("path", "value"), [
    (("proof", "proofPurpose"), "authentication"), (("proof", "verificationMethod"), ""),
    (("proof", "created"), "hôm qua"),
])
def test_malformed_proof_options_are_reported(key, signed, path, value):
    result = verify_credential(_tamper(signed, path, value), resolver((METHOD, key.public_key())))
    assert result.reason is Reason.MALFORMED_PROOF


def test_missing_proof_is_malformed(key, signed):
    unsigned_doc = {k: v for k, v in signed.items() if k != "proof"}
    assert verify_credential(unsigned_doc, resolver((METHOD, key.public_key()))).reason is Reason.MALFORMED_PROOF
    assert verify_credential({**signed, "proof": [signed["proof"]]}, lambda m: None).reason is Reason.MALFORMED_PROOF


@pytest.mark.parametrize(("field", "value"), [("cryptosuite", "eddsa-rdfc-2022"), ("type", "Ed25519Signature2020")])
def test_wrong_cryptosuite_is_reported(key, signed, field, value):
    result = verify_credential(_tamper(signed, ("proof", field), value), resolver((METHOD, key.public_key())))
    assert result.reason is Reason.WRONG_CRYPTOSUITE


def test_unknown_key_id_is_reported(key, signed):
    result = verify_credential(signed, resolver((f"{ISSUER}#khoa-cu", key.public_key())))
    assert result.reason is Reason.UNKNOWN_KEY and result.verification_method == METHOD
    moved = _tamper(signed, ("proof", "verificationMethod"), f"{ISSUER}#khoa-khong-co")
    assert verify_credential(moved, resolver((METHOD, key.public_key()))).reason is Reason.UNKNOWN_KEY


def test_verification_method_swapped_to_another_known_key_fails(key, signed):
    other = generate_key()
    moved = _tamper(signed, ("proof", "verificationMethod"), f"{ISSUER}#khoa-khac")
    result = verify_credential(moved, resolver((METHOD, key.public_key()), (f"{ISSUER}#khoa-khac", other.public_key())))
    assert result.reason is Reason.TAMPERED


def test_credential_signed_by_another_key_fails(key):
    forged = sign_credential(unsigned(), generate_key(), METHOD)  # someone else's key, our key id
    assert verify_credential(forged, resolver((METHOD, key.public_key()))).reason is Reason.TAMPERED


def test_every_reason_has_a_vietnamese_message():
    assert set(MESSAGES) == set(Reason)
    assert all(any(ch in msg for ch in "ăâđêôơư") for msg in MESSAGES.values())


def test_known_answer_with_rfc8032_test_key():
    # RFC 8032 section 7.1, TEST 1. Ed25519 is deterministic, so this pins the whole pipeline
    # (JCS, hashing order, multibase): a change here would invalidate every issued credential.
    secret = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    key = Ed25519PrivateKey.from_private_bytes(secret)
    assert public_jwk(key.public_key(), "k")["x"] == base64.urlsafe_b64encode(bytes.fromhex(
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")).rstrip(b"=").decode()
    doc = {"@context": [VC_CONTEXT], "id": "urn:uuid:00000000-0000-0000-0000-000000000001",
           "type": ["VerifiableCredential"], "issuer": ISSUER, "validFrom": "2026-11-22T00:00:00Z",
           "credentialSubject": {"name": "Nguyễn Thị Hương"}}
    proof = sign_credential(doc, key, METHOD)["proof"]
    assert proof["proofValue"] == KNOWN_PROOF_VALUE


KNOWN_PROOF_VALUE = ("z5Hrg9Dia8tHnZS9r6khVF5nUMGjsN6RGyRVWRN4apoXh4cN5aWmHcMLb9ZyLtxtT8VATpF7nB7YhCYvppWn3rVws")


# ---- keys ----------------------------------------------------------------------------------

def test_pem_round_trip_with_and_without_password(key):
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    for password in (None, b"mat-khau-xa"):
        pem = private_key_to_pem(key, password)
        assert pem.startswith(b"-----BEGIN " + (b"ENCRYPTED " if password else b"") + b"PRIVATE KEY")
        loaded = private_key_from_pem(pem, password)
        assert loaded.public_key().public_bytes(*raw) == key.public_key().public_bytes(*raw)


def test_pem_of_another_key_type_is_refused():
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    with pytest.raises(ValueError, match="Ed25519"):
        private_key_from_pem(other)


def test_public_jwk_and_back(key, signed):
    jwk = public_jwk(key.public_key(), "khoa-2026")
    assert {k: jwk[k] for k in ("kty", "crv", "kid", "use", "alg")} == {
        "kty": "OKP", "crv": "Ed25519", "kid": "khoa-2026", "use": "sig", "alg": "EdDSA"}
    assert "d" not in jwk and len(base64.urlsafe_b64decode(jwk["x"] + "=")) == 32
    jwks = {"keys": [jwk]}  # what /.well-known/jwks.json serves
    by_kid = {k["kid"]: public_key_from_jwk(k) for k in json.loads(json.dumps(jwks))["keys"]}
    assert verify_credential(signed, lambda method: by_kid.get(method.rpartition("#")[2])).ok
    with pytest.raises(ValueError):
        public_key_from_jwk({**jwk, "d": "secret"})
    assert public_key_multibase(key.public_key()).startswith("z6Mk")
