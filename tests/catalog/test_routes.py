"""The catalogue pages: browse, module, lesson, marking lessons read, images."""
from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from app.catalog.models import LessonRead
from app.extensions import db
from tests import factories
from tests.conftest import login


def test_catalogue_lists_modules_for_everyone(client: FlaskClient, curriculum) -> None:
    html = client.get("/catalog").get_data(as_text=True)
    assert "Làm quen với điện thoại thông minh" in html and "Thanh toán bằng mã QR" in html


def test_catalogue_filters_by_audience(client: FlaskClient, curriculum) -> None:
    html = client.get("/catalog?audience=trader").get_data(as_text=True)
    assert "Thanh toán không dùng tiền mặt và VietQR" in html
    assert "Làm quen với điện thoại thông minh" not in html


def test_module_page_lists_lessons_and_practical_tasks(client: FlaskClient, curriculum) -> None:
    html = client.get("/catalog/modules/NCT-05").get_data(as_text=True)
    assert "Trả tiền ở chợ bằng mã VietQR" in html and "Bài thực hành" in html
    assert client.get("/catalog/modules/nct-05").status_code == 200  # codes are case-insensitive
    assert client.get("/catalog/modules/KHONG-CO").status_code == 404


def test_lesson_page_has_read_aloud_and_alt_text(client: FlaskClient, curriculum) -> None:
    module = client.get("/catalog/modules/NCT-01").get_data(as_text=True)
    assert "/catalog/modules/NCT-01/lessons/" in module
    html = client.get("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa").get_data(as_text=True)
    assert 'data-speak="#lesson-body"' in html and "speech.js" in html
    assert 'lang="vi"' in html
    assert '<img alt="' in html and 'src="/catalog/media/nct-01/' in html
    assert "<script>" not in html.split('id="lesson-body"')[1].split("</article>")[0]


def test_lesson_images_are_served_and_cached(client: FlaskClient, curriculum) -> None:
    html = client.get("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa").get_data(as_text=True)
    src = html.split('src="/catalog/media/nct-01/')[1].split('"')[0].replace("&amp;", "&")
    response = client.get("/catalog/media/nct-01/" + src)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    response.close()
    assert client.get("/catalog/media/nct-01/../module.yaml").status_code == 404


def test_finishing_a_lesson_records_progress_and_moves_on(client: FlaskClient, curriculum) -> None:
    learner = factories.person(factories.commune())
    db.session.commit()
    login(client, learner)
    response = client.post("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa/done")
    assert response.status_code == 302 and "/lessons/cham-vuot-nhan-giu" in response.location
    client.post("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa/done")
    assert len(db.session.scalars(select(LessonRead)).all()) == 1
    assert "1/5 bài đã đọc" in client.get("/catalog/modules/NCT-01").get_data(as_text=True)


def test_visitors_are_asked_to_sign_in_to_keep_progress(client: FlaskClient, curriculum) -> None:
    html = client.get("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa").get_data(as_text=True)
    assert "Đăng nhập để lưu lại bài đã học." in html
    response = client.post("/catalog/modules/NCT-01/lessons/bo-phan-bat-tat-mo-khoa/done")
    assert response.status_code == 302 and "/login" in response.location
