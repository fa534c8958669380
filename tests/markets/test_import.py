"""Stalls from a market survey file: every row checked first, nothing written when one is wrong, re-runs are safe."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.imports import services as imports
from app.markets.models import Stall
from app.vietnam import local_today
from tests.conftest import login
from tests.markets.conftest import World

HEADER = "Số quầy,Mặt hàng,Tên cửa hàng,Nhận thanh toán QR,Bán hàng trực tuyến,Nền tảng,Tiết kiệm số,Hóa đơn điện tử," \
         "Ngày kiểm tra\n"


def _upload(world: World, body: str, market=None):
    return imports.upload(imports.kind_of("stalls"), world.commune, filename="quay.csv",
                          data=(HEADER + body).encode(), target=market or world.market, actor=world.officer)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Stall))


def test_a_survey_file_adds_stalls_with_their_4t_facts_and_a_rerun_adds_nothing(world: World) -> None:
    day = local_today().strftime("%d/%m/%Y")
    body = (f"1,Rau củ,Rau sạch,Có,Có,\"Zalo, TikTok Shop\",Không,Không,{day}\n"
            "2,Cá tươi,,Không,,,,Có,\n"
            "3,Thịt,,x,,Facebook,,,\n")
    batch, preview = _upload(world, body)
    assert preview.ok and preview.ready == 3
    assert imports.apply(batch, target=world.market, actor=world.officer)["created"] == 3
    stalls = {s.label: s for s in db.session.scalars(select(Stall))}
    assert stalls["1"].qr_payment and stalls["1"].platform_codes == ["zalo", "tiktok"]
    assert stalls["2"].e_invoice and not stalls["2"].qr_payment and stalls["2"].qr_payment_on == local_today()
    assert stalls["3"].online_sales and stalls["3"].platform_codes == ["facebook"]  # a platform named: sells online
    again, preview = _upload(world, body)
    assert preview.existing == 3 and preview.ready == 0
    assert _count() == 3


@pytest.mark.parametrize(("body", "problem"), [
    ("1,Rau,,Có,,,,,\n1,Cá,,,,,,,\n", "trùng số quầy với dòng 3"),
    (",Rau,,Có,,,,,\n", "thiếu số quầy"),
    ("1,Rau,,Hay lắm,,,,,\n", "không hiểu"),
    ("1,Rau,,Có,Có,MySpace,,,\n", "nền tảng \"MySpace\""),
    ("1,Rau,,Có,,,,,31/12/2999\n", "ở tương lai"),
    ("1,Rau,,Có,,,,,hôm qua\n", "không hợp lệ"),
])
def test_a_bad_row_is_named_and_nothing_is_written(world: World, body: str, problem: str) -> None:
    batch, preview = _upload(world, "9,Hoa quả,,Có,,,,,\n" + body)
    assert not preview.ok
    assert any(problem in issue.message for issue in preview.issues), preview.issues
    with pytest.raises(DomainError):
        imports.apply(batch, target=world.market, actor=world.officer)
    db.session.rollback()
    assert _count() == 0


def test_a_file_for_another_communes_market_is_not_found(client: FlaskClient, world: World) -> None:
    login(client, world.officer)
    url = f"/communes/{world.commune.id}/imports/stalls?target={world.other_market.id}"
    assert client.get(url).status_code == 404
    assert client.get(f"/communes/{world.commune.id}/imports/stalls?target={world.market.id}").status_code == 200
