"""The rules of mentoring: one active ambassador per mentee, consent, the target, contacts exactly once, erasure."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import outbox
from app.digital import services as digital
from app.errors import DomainError
from app.extensions import db
from app.mentoring import helpdesk, services
from app.mentoring.models import Contact, HelpdeskEntry, Mentorship
from app.people import services as people
from app.vietnam import local_today
from tests import factories

TODAY = local_today()


def contact(place, mentee, *, skill="0.1", on=None, note="", can_now=(), client_id=None, by=None):
    fields = services.ContactFields(mentee.id, skill, on or TODAY, note, tuple(can_now))
    by = by or place.thu
    return services.record_contact(by, fields, actor=by, client_id=client_id or outbox.new_client_id("t"))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_ambassador_links_a_consenting_resident_of_the_commune(place) -> None:
    link = services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=place.thu)
    assert link.ambassador_id == place.thu.id and link.since == TODAY and link.ended_at is None


def test_a_mentee_linked_to_another_ambassador_is_refused_naming_that_ambassador(place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=place.thu)
    with pytest.raises(DomainError) as error:
        services.link(place.tam, place.residents[0], commune_id=place.commune.id, actor=place.tam)
    assert "Vũ Thị Thu" in str(error.value.message) and "Phạm Văn Đức" in str(error.value.message)
    assert count(Mentorship) == 1


def test_linking_the_same_mentee_twice_says_so_and_writes_nothing(place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=place.thu)
    with pytest.raises(DomainError, match="đã là người bạn hướng dẫn"):
        services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=place.thu)
    assert count(Mentorship) == 1


def test_the_database_refuses_a_second_active_link_for_a_mentee(place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None)
    db.session.add(Mentorship(commune_id=place.commune.id, ambassador_id=place.tam.id,
                              mentee_id=place.residents[0].id, since=TODAY))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_after_a_link_ends_another_ambassador_may_take_the_mentee_on(place) -> None:
    first = services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None)
    services.end(first, actor=place.lan)
    second = services.link(place.tam, place.residents[0], commune_id=place.commune.id, actor=None)
    assert first.ended_at is not None and second.ended_at is None


def test_a_resident_without_consent_to_digital_support_is_not_linked(place) -> None:
    with pytest.raises(DomainError, match="chưa đồng ý"):
        services.link(place.thu, place.refused, commune_id=place.commune.id, actor=None)
    assert count(Mentorship) == 0


def test_a_resident_of_another_commune_is_not_linked(place) -> None:
    other = factories.commune(factories.COMMUNE_CODES[1])
    stranger = factories.person(other, name="Mai Văn Khách")
    with pytest.raises(DomainError, match="Không tìm thấy"):
        services.link(place.thu, stranger, commune_id=place.commune.id, actor=None)


def test_an_ambassador_cannot_mentor_themself(place) -> None:
    from tests.mentoring.conftest import consent

    consent(place.thu)
    with pytest.raises(DomainError, match="chính mình"):
        services.link(place.thu, place.thu, commune_id=place.commune.id, actor=None)


def test_the_target_defaults_to_five_and_is_settable_between_1_and_50(place) -> None:
    assert services.target_for(place.commune.id) == 5
    services.save_target(place.commune, 8, actor=place.lan)
    assert services.target_for(place.commune.id) == 8
    for wrong in (0, 51, "7", True, None):
        with pytest.raises(DomainError, match="từ 1 đến 50"):
            services.save_target(place.commune, wrong, actor=place.lan)
    assert services.target_for(place.commune.id) == 8


def test_ambassadors_below_the_target_are_flagged_and_listed_first(place) -> None:
    services.save_target(place.commune, 2, actor=place.lan)
    for mentee in place.residents[:2]:
        services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    services.link(place.tam, place.residents[2], commune_id=place.commune.id, actor=None)
    contact(place, place.residents[0])
    rows = services.ambassadors(place.commune.id)
    assert [(r.full_name, r.mentees, bool(r.below), r.contacts) for r in rows] == [
        ("Lê Văn Tâm", 1, True, 0), ("Vũ Thị Thu", 2, False, 1)]


def test_a_contact_is_logged_for_the_ambassadors_own_mentee(place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None)
    row = contact(place, place.residents[0], skill="2.6", note="Cài VNeID")
    assert (row.mentee_id, row.skill, row.note, row.contacted_on) == (place.residents[0].id, "2.6", "Cài VNeID", TODAY)


def test_a_contact_with_someone_elses_mentee_is_refused(place) -> None:
    services.link(place.tam, place.residents[0], commune_id=place.commune.id, actor=None)
    with pytest.raises(DomainError, match="không phải người bạn đang hướng dẫn"):
        contact(place, place.residents[0])
    assert count(Contact) == 0


@pytest.mark.parametrize(("skill", "days", "message"), [
    ("9.9", 0, "khung kỹ năng số"),
    ("0.1", -1, "tương lai"),
    ("0.1", 90, "ngày gần đây"),
])
def test_a_contact_with_a_bad_skill_or_date_is_refused(place, skill, days, message) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None,
                  today=TODAY - dt.timedelta(days=100))
    with pytest.raises(DomainError, match=message):
        contact(place, place.residents[0], skill=skill, on=TODAY - dt.timedelta(days=days))
    assert count(Contact) == 0


def test_a_contact_after_consent_is_withdrawn_is_refused(place) -> None:
    mentee = place.residents[0]
    services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    people.withdraw_consent(people.active_consent(mentee, "digital_support"), by=None)
    with pytest.raises(DomainError, match="rút lại"):
        contact(place, mentee)
    assert count(Contact) == 0


def test_what_the_mentee_can_now_do_updates_their_digital_facts_with_source_contact(place) -> None:
    mentee = place.residents[0]
    services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    row = contact(place, mentee, skill="2.6", can_now=("vneid", "smartphone"))
    facts = digital.current(mentee)
    vneid = facts["vneid"]
    assert (vneid.value, vneid.source, vneid.reference) == (2, "contact", f"contact:{row.id}")
    assert facts["smartphone"].value == 1


@pytest.mark.parametrize(("raw", "message"), [
    ({"skill": "0.1"}, "chọn người"),
    ({"mentee_id": "abc", "skill": "0.1"}, "chọn người"),
    ({"mentee_id": "²", "skill": "0.1"}, "chọn người"),  # isdigit() says yes, int() says no
    ({"mentee_id": 10**30, "skill": "0.1"}, "chọn người"),
    ({"mentee_id": 1}, "chọn kỹ năng"),
    ({"mentee_id": 1, "skill": "0.1", "contacted_on": "31/02/2026"}, "Ngày không hợp lệ"),
    ({"mentee_id": 1, "skill": "0.1", "note": "x" * 201}, "tối đa 200"),
    ({"mentee_id": 1, "skill": "0.1", "note": 5}, "Ghi chú"),
    ({"mentee_id": 1, "skill": "0.1", "can_now": ["fly"]}, "làm được"),
])
def test_a_contact_read_from_a_device_names_what_is_wrong(raw, message) -> None:
    with pytest.raises(DomainError, match=message):
        services.read_contact(raw)


def test_a_batch_of_contacts_sent_twice_is_stored_once(place) -> None:
    services.link(place.thu, place.residents[0], commune_id=place.commune.id, actor=None)
    items = [{"client_id": f"phone-contact-000{i}", "device_time": "2026-01-01T08:00:00+07:00",
              "mentee_id": place.residents[0].id, "skill": "0.1", "note": f"lần {i}"} for i in range(2)]

    def handle(item):
        services.record_contact(place.thu, services.read_contact(item.fields), actor=place.thu,
                                client_id=item.client_id, device_time=item.device_time)

    for _ in range(2):
        answer, status = outbox.receive({"device": "d", "items": items}, known=services.known_contacts, handle=handle)
        assert status == 200 and answer["stored"] == ["phone-contact-0000", "phone-contact-0001"]
    assert count(Contact) == 2


def test_mentee_progress_counts_lessons_modules_quizzes_and_basic_completion(place) -> None:
    from app.catalog import services as catalog
    from app.certificates.models import SkillMilestone

    mentee, other = place.residents[0], place.residents[1]
    for m in (mentee, other):
        services.link(place.thu, m, commune_id=place.commune.id, actor=None)
    module = catalog.module_by_code("NCT-01")
    for lesson in module.current.lessons[:2]:
        catalog.mark_read(mentee.id, lesson)
    db.session.add(SkillMilestone(person_id=mentee.id, milestone="basic",
                                  framework_version_id=module.current.framework_version_id,
                                  reached_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    contact(place, mentee)
    rows = {r.id: r for r in services.mentees(place.thu.id)}
    assert (rows[mentee.id].lessons, rows[mentee.id].modules, bool(rows[mentee.id].basic),
            rows[mentee.id].contacts, rows[mentee.id].last_contact) == (2, 1, True, 1, TODAY)
    assert (rows[other.id].lessons, rows[other.id].quizzes, bool(rows[other.id].basic)) == (0, 0, False)


def test_a_known_resident_at_the_help_desk_needs_consent_else_is_logged_anonymously(place) -> None:
    fields = helpdesk.HelpdeskFields(TODAY, "vneid", phone=place.refused.phone)
    with pytest.raises(DomainError, match="ẩn danh"):
        helpdesk.record(place.commune, place.lan, fields, client_id="web-help-0001")
    helpdesk.record(place.commune, place.lan, helpdesk.HelpdeskFields(TODAY, "vneid", age_band="60_plus",
                                                                               village_id=place.west.id),
                             client_id="web-help-0002")
    known = helpdesk.record(place.commune, place.lan,
                                     helpdesk.HelpdeskFields(TODAY, "payment", phone=place.residents[4].phone),
                                     client_id="web-help-0003")
    assert (known.person_id, known.village_id, known.age_band) == (place.residents[4].id, place.east.id, "60_plus")
    rows, counts = helpdesk.month(place.commune.id)
    assert counts == {"vneid": 1, "payment": 1} and len(rows) == 2


@pytest.mark.parametrize(("fields", "message"), [
    (helpdesk.HelpdeskFields(TODAY + dt.timedelta(days=1), "vneid"), "tương lai"),
    (helpdesk.HelpdeskFields(TODAY, "teleport"), "chọn việc"),
    (helpdesk.HelpdeskFields(TODAY, "vneid", phone="0999999999"), "Không có người dân"),
    (helpdesk.HelpdeskFields(TODAY, "vneid", age_band="ancient"), "Nhóm tuổi"),
])
def test_a_bad_help_desk_entry_is_refused(place, fields, message) -> None:
    with pytest.raises(DomainError, match=message):
        helpdesk.record(place.commune, place.lan, fields, client_id="web-help-0009")
    assert count(HelpdeskEntry) == 0


def test_a_village_of_another_commune_is_refused_at_the_help_desk(place) -> None:
    other = factories.village(factories.commune(factories.COMMUNE_CODES[1]), "Thôn Khác")
    with pytest.raises(DomainError, match="không thuộc xã"):
        helpdesk.record(place.commune, place.lan, helpdesk.HelpdeskFields(TODAY, "vneid", village_id=other.id),
                                 client_id="web-help-0010")


def test_the_export_shows_the_mentees_guidance_and_only_counts_for_the_ambassador(place) -> None:
    mentee = place.residents[0]
    services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    contact(place, mentee, note="Cài Zalo")
    mine = people.personal_data(mentee)["mentoring"]
    assert mine["guided_by"][0]["ambassador"] == "Vũ Thị Thu" and mine["contacts"][0]["note"] == "Cài Zalo"
    theirs = people.personal_data(place.thu)["mentoring"]
    assert theirs["as_ambassador"] == {"mentees_now": 1, "contacts_logged": 1}
    assert "Phạm Văn Đức" not in str(theirs)


def test_erasing_a_mentee_deletes_their_links_contacts_and_help_desk_identity(place) -> None:
    mentee = place.residents[0]
    services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    contact(place, mentee)
    helpdesk.record(place.commune, place.lan, helpdesk.HelpdeskFields(TODAY, "vneid", phone=mentee.phone,
                                                                               note="Quên mật khẩu"),
                             client_id="web-help-0011")
    people.erase_person(mentee, actor=place.lan)
    assert count(Mentorship) == 0 and count(Contact) == 0
    entry = db.session.scalar(select(HelpdeskEntry))
    assert (entry.person_id, entry.note, entry.age_band) == (None, "", "60_plus")


def test_erasing_an_ambassador_keeps_the_contacts_without_their_identity(place) -> None:
    mentee = place.residents[0]
    services.link(place.thu, mentee, commune_id=place.commune.id, actor=None)
    contact(place, mentee)
    people.erase_person(place.thu, actor=place.lan)
    assert count(Mentorship) == 0
    kept = db.session.scalar(select(Contact))
    assert kept.ambassador_id is None and kept.mentee_id == mentee.id
