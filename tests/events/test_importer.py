"""A village's sign-up list for an event, from a file: every row checked before any is written, bad rows named,
people already known found again, people already signed up counted once, rows without consent refused."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.errors import DomainError
from app.events import services
from app.events.importer import KIND
from app.events.models import Participant
from app.extensions import db
from app.imports import services as imports
from app.imports.models import ImportBatch
from app.people.models import Consent, Person
from app.vietnam import local_today
from tests import factories
from tests.conftest import login
from tests.events.conftest import Day, build

HEADER = "Họ và tên,Năm sinh,Thôn/Tổ dân phố,Số điện thoại,Đã đồng ý,Muốn học lớp\n"


@pytest.fixture
def soon(ctx: Any) -> Day:
    return build(local_today() + dt.timedelta(days=7))


def _upload(d: Day, body: str, event: Any = None, filename: str = "thon-dong.csv") -> Any:
    return imports.upload(imports.kind_of(KIND), d.commune, filename=filename, data=(HEADER + body).encode(),
                          target=event or d.event, actor=d.youth)


def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Person, Participant, Consent))


def test_a_village_list_registers_everyone_not_yet_arrived(soon: Day) -> None:
    before = _counts()
    body = ("Phạm Văn Tư,1957,Thôn Đông,0987 654 321,Có,Có\n"
            "Lý Thị Mai,1962,thon tay,,x,\n"
            "nguyen thi huong,1955,Thôn Đông,,Có,Không\n")  # Hương, known already: found, not created
    batch, preview = _upload(soon, body)
    assert preview.ok and (preview.total, preview.ready, preview.existing) == (3, 3, 0)
    assert [row["Người"] for row in preview.sample] == ["mới", "mới", "đã có"]
    assert _counts() == before  # the preview wrote nothing but the stored file
    summary = imports.apply(batch, target=soon.event, actor=soon.youth)
    db.session.commit()
    assert summary == {"created": 3, "existing": 0}
    rows = {p.person.full_name: p for p in db.session.scalars(select(Participant))}
    assert set(rows) == {"Phạm Văn Tư", "Lý Thị Mai", "Nguyễn Thị Hương"}
    assert all(p.source == "import" and p.arrived_at is None and p.registered_by_id == soon.youth.id
               for p in rows.values())
    assert rows["Phạm Văn Tư"].wants_class and not rows["Lý Thị Mai"].wants_class
    assert rows["Phạm Văn Tư"].person.phone == "0987654321" and rows["Lý Thị Mai"].village_id == soon.tay.id
    assert rows["Nguyễn Thị Hương"].person_id == soon.huong.id
    assert _counts()[0] == before[0] + 2
    methods = set(db.session.scalars(select(Consent.method).where(Consent.purpose == services.CONSENT,
                                                                  Consent.person_id != soon.huong.id)))
    assert methods == {"paper"}


def test_applying_the_same_list_again_registers_nobody_twice(soon: Day) -> None:
    body = "Phạm Văn Tư,1957,Thôn Đông,,Có,\nTrần Văn Bình,1950,Thôn Tây,,Có,Có\n"
    batch, _preview = _upload(soon, body)
    imports.apply(batch, target=soon.event, actor=soon.youth)
    db.session.commit()
    before = _counts()
    again, preview = _upload(soon, body)
    assert preview.ok and (preview.ready, preview.existing) == (0, 2)
    assert imports.apply(again, target=soon.event, actor=soon.youth) == {"created": 0, "existing": 2}
    assert _counts() == before
    binh = db.session.scalar(select(Participant).where(Participant.person_id == soon.binh.id))
    assert binh.wants_class  # a list may add the wish to join a class


def test_someone_signed_up_online_is_counted_not_registered_again(soon: Day) -> None:
    services.register(soon.event, soon.huong, source="signup", actor=None, arrived=False)
    db.session.commit()
    _batch, preview = _upload(soon, "Nguyễn Thị Hương,1955,Thôn Đông,,Có,\n")
    assert preview.ok and (preview.ready, preview.existing) == (0, 1)


@pytest.mark.parametrize(("row", "problem"), [
    ("Phạm Văn Tư,1957,Thôn Đông,,Không,\n", "chưa có sự đồng ý tham gia"),
    ("Phạm Văn Tư,1957,Thôn Đông,,,\n", "chưa có sự đồng ý tham gia"),
    (",1957,Thôn Đông,,Có,\n", "thiếu họ và tên"),
    (f"{'Phạm ' * 30}Tư,1957,Thôn Đông,,Có,\n", "họ và tên dài quá 120 ký tự"),
    ("Phạm Văn Tư,,Thôn Đông,,Có,\n", "thiếu năm sinh"),
    ("Phạm Văn Tư,57,Thôn Đông,,Có,\n", "năm sinh \"57\" không hợp lệ"),
    ("Phạm Văn Tư,1850,Thôn Đông,,Có,\n", "năm sinh 1850 không hợp lệ"),
    ("Phạm Văn Tư,1957,,,Có,\n", "thiếu thôn/tổ dân phố"),
    ("Phạm Văn Tư,1957,Thôn Bắc,,Có,\n", "thôn/tổ dân phố \"Thôn Bắc\" chưa có trong xã"),
    ("Phạm Văn Tư,1957,Thôn Đông,12345,Có,\n", "số điện thoại \"12345\" không hợp lệ"),
    ("Phạm Văn Tư,1957,Thôn Đông,,Có,Chắc vậy\n", "\"Chắc vậy\" không hiểu"),
    ("Lý Thị Mai,1962,Thôn Tây,,Có,\n", "trùng họ tên, năm sinh và thôn với dòng 2"),
    ("Lý Thị Mai,1970,Thôn Tây,0987654321,Có,\n", "trùng số điện thoại với dòng 2"),
])
def test_a_bad_row_is_named_by_its_number_and_nothing_is_written(soon: Day, row: str, problem: str) -> None:
    before = _counts()
    batch, preview = _upload(soon, "Lý Thị Mai,1962,Thôn Tây,0987654321,Có,\n" + row)
    assert not preview.ok
    assert [(i.row, problem in i.message) for i in preview.issues] == [(3, True)], preview.issues
    with pytest.raises(DomainError):
        imports.apply(batch, target=soon.event, actor=soon.youth)
    db.session.rollback()
    assert _counts() == before


def test_a_phone_of_someone_else_is_named_for_the_organiser(soon: Day) -> None:
    stranger = factories.person(soon.other_commune, name="Mai Thị Lụa")
    db.session.commit()
    body = f"Phạm Văn Tư,1957,Thôn Đông,{soon.binh.phone},Có,\nLý Thị Mai,1962,Thôn Tây,{stranger.phone},Có,\n"
    _batch, preview = _upload(soon, body)
    messages = {i.row: i.message for i in preview.issues}
    assert soon.binh.full_name in messages[2]  # the organiser may know who in the commune holds it
    assert "không ở xã này" in messages[3] and stranger.full_name not in messages[3]


def test_a_list_for_a_past_event_is_refused(ctx: Any) -> None:
    past = build(local_today() - dt.timedelta(days=1))
    before = _counts()
    batch, preview = _upload(past, "Phạm Văn Tư,1957,Thôn Đông,,Có,\n")
    assert not preview.ok and "đã diễn ra" in preview.issues[0].message and preview.issues[0].row == 2
    with pytest.raises(DomainError):
        imports.apply(batch, target=past.event, actor=past.youth)
    db.session.rollback()
    assert _counts() == before


def test_a_file_for_another_communes_event_is_not_found(client: FlaskClient, soon: Day) -> None:
    from app.events import planning

    theirs = planning.create_event(soon.other_commune, kind="day", name="Ngày hội xã bạn", held_on=local_today(),
                                   opens_at=dt.time(8), closes_at=dt.time(11), actor=None)
    db.session.commit()
    login(client, soon.youth)
    mine = f"/communes/{soon.commune.id}/imports/{KIND}?target={soon.event.id}"
    assert client.get(mine).status_code == 200
    assert client.get(f"/communes/{soon.commune.id}/imports/{KIND}?target={theirs.id}").status_code == 404
    assert client.get(f"/communes/{soon.other_commune.id}/imports/{KIND}?target={theirs.id}").status_code == 403
    assert client.get(f"/communes/{soon.commune.id}/imports/{KIND}").status_code == 404  # which event? none


def test_the_whole_round_through_the_pages(client: FlaskClient, soon: Day) -> None:
    login(client, soon.youth)
    page = client.get(f"/events/{soon.event.id}/participants").get_data(as_text=True)
    assert f"/communes/{soon.commune.id}/imports/{KIND}?target={soon.event.id}" in page.replace("&amp;", "&")
    template = client.get(f"/imports/{KIND}/template.csv")
    assert template.status_code == 200 and HEADER.strip() in template.data.decode("utf-8-sig").replace('"', "")
    assert client.get(f"/imports/{KIND}/template.xlsx").data[:2] == b"PK"
    data = (HEADER + "Phạm Văn Tư,1957,Thôn Đông,,Có,Có\n").encode()
    import io

    reply = client.post(f"/communes/{soon.commune.id}/imports/{KIND}?target={soon.event.id}",
                        data={"file": (io.BytesIO(data), "thon-dong.csv")}, content_type="multipart/form-data")
    assert reply.status_code == 302
    batch = db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))
    assert "Phạm Văn Tư" in client.get(f"/imports/{batch.id}").get_data(as_text=True)
    done = client.post(f"/imports/{batch.id}/apply")
    assert done.status_code == 302 and done.location.endswith(f"/events/{soon.event.id}/participants")
    assert "Phạm Văn Tư" in client.get(done.location).get_data(as_text=True)
