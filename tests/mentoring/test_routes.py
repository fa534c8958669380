"""The mentoring pages: the ambassador's phone page and contact form, linking, the outbox endpoint, the officer's
view and target, the help desk; refusals show a clear message and write nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mentoring import helpdesk, services
from app.mentoring.models import Contact, HelpdeskEntry, Mentorship
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.statements import counting

TODAY = local_today()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def linked(place, *mentees, ambassador=None):
    for m in mentees:
        services.link(ambassador or place.thu, m, commune_id=place.commune.id, actor=None)
    db.session.commit()


def test_the_ambassadors_page_lists_mentees_with_progress_and_a_contact_form(client, place) -> None:
    linked(place, *place.residents[:2])
    page = login(client, place.thu).get(f"/communes/{place.commune.id}/mentoring").get_data(as_text=True)
    assert "Phạm Văn Đức" in page and "Vũ Thị Nga" in page and "Tiến độ học" in page
    assert "2 / 5" in page and "Chưa đủ chỉ tiêu" in page
    assert 'name="mentee_id"' in page and "outbox.js" in page and "mentoring.js" in page


def test_a_contact_posted_without_a_script_is_stored_once(client, place) -> None:
    linked(place, place.residents[0])
    login(client, place.thu)
    response = client.post(f"/communes/{place.commune.id}/mentoring/contacts",
                           data={"mentee_id": place.residents[0].id, "skill": "0.1",
                                 "contacted_on": TODAY.isoformat(), "note": "Tập gọi video"})
    assert response.status_code == 302
    assert count(Contact) == 1


def test_a_contact_dated_in_the_future_gets_a_message_and_nothing_is_written(client, place) -> None:
    linked(place, place.residents[0])
    login(client, place.thu)
    response = client.post(f"/communes/{place.commune.id}/mentoring/contacts",
                           data={"mentee_id": place.residents[0].id, "skill": "0.1",
                                 "contacted_on": (TODAY + dt.timedelta(days=2)).isoformat()})
    assert response.status_code == 422 and "tương lai" in response.get_data(as_text=True)
    assert count(Contact) == 0


def test_the_outbox_endpoint_stores_a_batch_once_and_refuses_a_stranger(client, place) -> None:
    linked(place, place.residents[0])
    linked(place, place.residents[1], ambassador=place.tam)
    login(client, place.thu)
    url = f"/communes/{place.commune.id}/mentoring/contacts.json"
    batch = {"device": "phone", "items": [
        {"client_id": "phone-aaaa-0001", "device_time": "2026-01-01T01:00:00Z", "mentee_id": place.residents[0].id,
         "skill": "0.1", "contacted_on": TODAY.isoformat()},
        {"client_id": "phone-aaaa-0002", "mentee_id": place.residents[1].id, "skill": "0.1"}]}
    for _ in range(2):
        answer = client.post(url, json=batch).get_json()
        assert answer["stored"] == ["phone-aaaa-0001"]
        assert answer["failed"] == [{"client_id": "phone-aaaa-0002",
                                     "message": "Người này không phải người bạn đang hướng dẫn."}]
    assert count(Contact) == 1
    assert client.post(url, json={"items": "nope"}).status_code == 400


def test_linking_a_mentee_of_another_ambassador_names_them_and_changes_nothing(client, place) -> None:
    linked(place, place.residents[0], ambassador=place.tam)
    login(client, place.thu)
    url = f"/communes/{place.commune.id}/mentoring/link"
    found = client.get(url, query_string={"q": "Đức"}).get_data(as_text=True)
    assert "Đang được Lê Văn Tâm hướng dẫn" in found
    page = client.post(url, data={"person_id": place.residents[0].id}, follow_redirects=True).get_data(as_text=True)
    assert "đang được đại sứ số Lê Văn Tâm hướng dẫn" in page
    assert db.session.scalar(select(Mentorship.ambassador_id)) == place.tam.id and count(Mentorship) == 1


def test_linking_a_consenting_resident_from_the_search(client, place) -> None:
    login(client, place.thu)
    response = client.post(f"/communes/{place.commune.id}/mentoring/link", data={"person_id": place.residents[0].id})
    assert response.status_code == 302 and count(Mentorship) == 1


@pytest.mark.parametrize("forged", ["²", "99999999999999999999", "-1"])
def test_a_forged_person_id_on_the_link_form_is_refused_with_a_message(client, place, forged: str) -> None:
    login(client, place.thu)
    page = client.post(f"/communes/{place.commune.id}/mentoring/link", data={"person_id": forged})
    assert page.status_code == 200 and "Không tìm thấy người này trong xã." in page.get_data(as_text=True)
    assert count(Mentorship) == 0


def test_a_village_ambassador_cannot_link_a_resident_of_another_village(client, place) -> None:
    login(client, place.tam)
    east = place.residents[4]
    assert "Trần Văn Bình" not in client.get(f"/communes/{place.commune.id}/mentoring/link",
                                             query_string={"q": "Bình"}).get_data(as_text=True)
    assert client.post(f"/communes/{place.commune.id}/mentoring/link", data={"person_id": east.id}).status_code == 403
    assert count(Mentorship) == 0


def test_forged_ids_get_a_message_not_an_error(client, place) -> None:
    login(client, place.thu)
    for forged in ("999999", "abc", ""):
        response = client.post(f"/communes/{place.commune.id}/mentoring/link", data={"person_id": forged},
                               follow_redirects=True)
        assert response.status_code == 200 and "Không tìm thấy" in response.get_data(as_text=True)


def test_an_ambassador_ends_their_own_link_but_not_anothers(client, place) -> None:
    linked(place, place.residents[0])
    linked(place, place.residents[1], ambassador=place.tam)
    own, other = (db.session.scalar(select(Mentorship.id).where(Mentorship.mentee_id == m.id))
                  for m in place.residents[:2])
    login(client, place.thu)
    assert client.post(f"/mentoring/links/{other}/end").status_code == 403
    assert client.post(f"/mentoring/links/{own}/end").status_code == 302
    db.session.expire_all()
    assert db.session.get(Mentorship, own).ended_at is not None and db.session.get(Mentorship, other).ended_at is None


def test_the_officer_sees_ambassadors_below_target_and_sets_it(client, place) -> None:
    linked(place, *place.residents[:3])
    login(client, place.lan)
    page = client.get(f"/communes/{place.commune.id}/mentoring/ambassadors").get_data(as_text=True)
    assert "Lê Văn Tâm" in page and "3 / 5" in page and page.count("Chưa đủ chỉ tiêu") >= 2
    bad = client.post(f"/communes/{place.commune.id}/mentoring/settings", data={"mentee_target": "99"})
    assert "từ 1 đến 50" in bad.get_data(as_text=True) and services.target_for(place.commune.id) == 5
    client.post(f"/communes/{place.commune.id}/mentoring/settings", data={"mentee_target": "3"})
    page = client.get(f"/communes/{place.commune.id}/mentoring/ambassadors").get_data(as_text=True)
    assert "3 / 3" in page


def test_an_officer_of_another_commune_is_refused(client, place) -> None:
    other = factories.commune(factories.COMMUNE_CODES[1])
    outsider = factories.person(other, name="Mai Văn Khách", role=factories.Role.OFFICER)
    db.session.commit()
    login(client, outsider)
    for path in ("mentoring/ambassadors", "mentoring/settings", "helpdesk"):
        assert client.get(f"/communes/{place.commune.id}/{path}").status_code == 403


def test_the_help_desk_logs_an_anonymous_citizen_and_lists_the_month(client, place) -> None:
    login(client, place.lan)
    url = f"/communes/{place.commune.id}/helpdesk"
    response = client.post(url, data={"service": "vneid", "helped_on": TODAY.isoformat(), "age_band": "60_plus",
                                      "village_id": str(place.west.id), "note": "Quên mật khẩu"})
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Quên mật khẩu" in page and "Từ 60 tuổi" in page and "Thôn Tây" in page


def test_the_help_desk_refuses_a_resident_without_consent(client, place) -> None:
    login(client, place.lan)
    response = client.post(f"/communes/{place.commune.id}/helpdesk",
                           data={"service": "vneid", "helped_on": TODAY.isoformat(), "phone": place.refused.phone})
    assert response.status_code == 422 and "ẩn danh" in response.get_data(as_text=True)
    assert count(HelpdeskEntry) == 0


def _statements(client, url: str) -> int:
    db.session.commit()
    db.session.expire_all()  # the test's session is the app's: start every measurement from the same cold state
    with counting() as ran:
        assert client.get(url).status_code == 200
    return len(ran)


def test_the_ambassadors_page_runs_as_many_statements_for_six_mentees_as_for_one(client, place) -> None:
    linked(place, place.residents[0])
    login(client, place.thu)
    url = f"/communes/{place.commune.id}/mentoring"
    _statements(client, url)  # warm caches (framework, menu)
    one = _statements(client, url)
    linked(place, *place.residents[1:])
    mentees = place.residents
    for m in mentees:
        services.record_contact(place.thu, services.ContactFields(m.id, "0.1", TODAY), actor=None,
                                client_id=f"count-{m.id:08d}")
    db.session.commit()
    assert _statements(client, url) == one


def test_the_officers_page_runs_as_many_statements_for_many_ambassadors_as_for_one(client, place) -> None:
    login(client, place.lan)
    url = f"/communes/{place.commune.id}/mentoring/ambassadors"
    _statements(client, url)
    before = _statements(client, url)
    for i in range(5):
        factories.person(place.commune, name=f"Đại sứ {i}", role=factories.Role.AMBASSADOR)
    linked(place, *place.residents)
    db.session.commit()
    assert _statements(client, url) == before


def test_the_help_desk_page_runs_as_many_statements_for_many_entries_as_for_none(client, place) -> None:
    login(client, place.lan)
    url = f"/communes/{place.commune.id}/helpdesk"
    _statements(client, url)
    before = _statements(client, url)
    for i in range(8):
        helpdesk.record(place.commune, place.lan, helpdesk.HelpdeskFields(TODAY, "vneid", age_band="35_59"),
                                 client_id=f"count-help-{i:04d}")
    db.session.commit()
    assert _statements(client, url) == before
