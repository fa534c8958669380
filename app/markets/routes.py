"""Markets of a commune with their coverage, a market's stalls with quick 4T toggles, and a stall's trader."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.digital import services as digital
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.forms import CleanForm, choices
from app.markets import bp, demo, importer, indicators, learning, personal, services  # noqa: F401  (registrations)
from app.markets.forms import MarketForm, StallForm
from app.markets.models import Market, Stall
from app.people.models import Person
from app.places.models import Commune
from app.transactions import read_only
from app.vietnam import local_today


def _reach(commune_id: int, action: str) -> set[int] | None:
    return policy.village_ids(current_user, action, commune_id)


@bp.get("/communes/<int:commune_id>/markets")
@read_only
@policy.requires("markets.view")
def index(commune_id: int) -> str:
    """List the commune's markets with how many stalls hold each 4T fact."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("markets.view", commune)
    rows = services.coverage(commune.id, _reach(commune.id, "markets.view"))
    return render_template("markets/index.html", commune=commune, rows=rows, total=services.total(rows),
                           facts=services.FACTS, kinds=services.KINDS)


def _market_form(commune: Commune, market: Market | None) -> MarketForm:
    data = None
    if market is not None and request.method == "GET":
        data = {"name": market.name, "kind": market.kind, "village_id": market.village_id or 0,
                "address": market.address}
    form = MarketForm(data=data)
    form.village_id.choices = choices([(0, _("Cả xã (không thuộc thôn nào)"))] +
                                      [(v.id, v.name) for v in commune.villages])
    return form


def _save_market(form: MarketForm, commune: Commune, market: Market | None) -> Any:
    if form.validate_on_submit():
        fields = services.MarketFields(form.name.data or "", form.kind.data or "", form.village_id.data or None,
                                       form.address.data or "")
        try:
            market = services.save_market(commune, fields, actor=current_user, market=market)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "name")
        else:
            db.session.commit()
            flash(_("Đã lưu “%(name)s”.", name=market.name), "success")
            return redirect(url_for("markets.show", market_id=market.id))
    return render_template("markets/market_form.html", form=form, commune=commune, market=market)


@bp.route("/communes/<int:commune_id>/markets/new", methods=["GET", "POST"])
@policy.requires("markets.manage")
def new_market(commune_id: int) -> Any:
    """Add a market or trading point to the commune."""
    commune = db.get_or_404(Commune, commune_id)
    policy.authorize("markets.manage", commune)
    return _save_market(_market_form(commune, None), commune, None)


@bp.route("/markets/<int:market_id>/edit", methods=["GET", "POST"])
@policy.requires("markets.manage")
def edit_market(market_id: int) -> Any:
    """Change a market's name, kind, village or address."""
    market = db.get_or_404(Market, market_id)
    policy.authorize("markets.manage", market)
    return _save_market(_market_form(market.commune, market), market.commune, market)


def _missing() -> str | None:
    wanted = request.values.get("missing")
    return wanted if wanted in services.FACTS else None


@bp.get("/markets/<int:market_id>")
@read_only
@policy.requires("markets.update")
def show(market_id: int) -> str:
    """Show a market's stalls with a big toggle per 4T fact, and the market's coverage."""
    market = db.get_or_404(Market, market_id)
    policy.authorize("markets.update", market)
    missing = _missing()
    stalls = services.market_stalls(market, missing=missing)
    coverage = services.market_coverage(market)
    modules = learning.track_modules()
    done = learning.completed({s.trader_id for s in stalls if s.trader_id}, [m.id for m in modules])
    return render_template("markets/show.html", market=market, stalls=stalls, coverage=coverage, missing=missing,
                           facts=services.FACTS, kinds=services.KINDS, platforms=services.PLATFORMS,
                           done=done, modules=modules, form=CleanForm())


@bp.post("/stalls/<int:stall_id>/toggle")
@policy.requires("markets.update")
def toggle(stall_id: int) -> Any:
    """Flip one 4T fact of a stall (checked today) and come back to the same stall in the list."""
    stall = db.get_or_404(Stall, stall_id)
    policy.authorize("markets.update", stall)
    fact = request.form.get("fact", "")
    if CleanForm().validate_on_submit():
        try:
            value = services.toggle(stall, fact, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            state = _("có") if value else _("chưa")
            flash(_("Quầy %(label)s – %(fact)s: %(state)s.", label=stall.label, fact=services.FACTS[fact].label,
                    state=state), "success")
    else:
        flash(_("Phiên làm việc đã hết hạn. Vui lòng tải lại trang và thử lại."), "error")
    return redirect(url_for("markets.show", market_id=stall.market_id, missing=_missing()) + f"#stall-{stall.id}")


def _stall_form(market: Market, stall: Stall | None) -> StallForm:
    data: dict[str, Any] = {"checked_on": local_today()}
    if stall is not None and request.method == "GET":
        data.update(label=stall.label, goods=stall.goods, business_name=stall.business_name,
                    trader_id=stall.trader_id or 0, platforms=stall.platform_codes,
                    **{code: getattr(stall, code) for code in services.FACTS})
    form = StallForm(data=data if request.method == "GET" else None)
    reach = _reach(market.commune_id, "markets.update")
    candidates = services.trader_candidates(market.commune_id, reach, keep=stall.trader_id if stall else None)
    form.trader_id.choices = choices([(0, _("— Chưa gắn người bán —"))] + [
        (p.id, f"{p.full_name} ({p.village.name})" if p.village else p.full_name) for p in candidates])
    return form


def _trader(form: StallForm, market: Market, stall: Stall | None) -> Person | None:
    """The person picked as the stall's trader; raise DomainError for one the user may not act on."""
    if not form.trader_id.data:
        return None
    person = db.session.get(Person, form.trader_id.data)
    if person is None or person.commune_id != market.commune_id:  # no names across communes: the same answer
        raise DomainError(_("Người bán phải là người dân của xã này."), field="trader_id")
    if (stall is None or stall.trader_id != person.id) and not policy.outranks(current_user, person):
        raise DomainError(_("Bạn không thể gắn %(name)s với quầy: người này ở ngoài phạm vi bạn phụ trách.",
                            name=person.full_name), field="trader_id")
    return person


def _save_stall(form: StallForm, market: Market, stall: Stall | None) -> Any:
    needs_consent = None  # a trader picked who has not consented yet: the form links to their page to record it
    if form.validate_on_submit():
        trader = None
        try:
            trader = _trader(form, market, stall)
            before = {code: getattr(stall, code) for code in services.FACTS} if stall else {}
            stall = services.save_stall(market, services.StallFields(
                form.label.data or "", form.goods.data or "", form.business_name.data or "", trader),
                actor=current_user, stall=stall)
            values = {code: bool(getattr(form, code).data) for code in services.FACTS}
            checked = values if form.recheck.data or not before else {
                code: value for code, value in values.items() if before[code] != value}
            platforms = form.platforms.data or []
            if checked or set(platforms) != set(stall.platform_codes):
                services.set_facts(stall, checked, on=form.checked_on.data, actor=current_user, platforms=platforms)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error, "label")
            if trader is not None and error.field == "trader_id" and not digital.may_record(trader):
                needs_consent = trader
        else:
            db.session.commit()
            flash(_("Đã lưu quầy %(label)s.", label=stall.label), "success")
            return redirect(url_for("markets.show", market_id=market.id) + f"#stall-{stall.id}")
    return render_template("markets/stall_form.html", form=form, market=market, stall=stall,
                           needs_consent=needs_consent)


@bp.route("/markets/<int:market_id>/stalls/new", methods=["GET", "POST"])
@policy.requires("markets.update")
def new_stall(market_id: int) -> Any:
    """Add a stall to a market."""
    market = db.get_or_404(Market, market_id)
    policy.authorize("markets.update", market)
    return _save_stall(_stall_form(market, None), market, None)


@bp.route("/stalls/<int:stall_id>/edit", methods=["GET", "POST"])
@policy.requires("markets.update")
def edit_stall(stall_id: int) -> Any:
    """Change a stall: number, goods, trader, and the 4T facts as checked on a day."""
    stall = db.get_or_404(Stall, stall_id)
    policy.authorize("markets.update", stall)
    return _save_stall(_stall_form(stall.market, stall), stall.market, stall)


@bp.get("/stalls/<int:stall_id>")
@read_only
@policy.requires("markets.update")
def stall(stall_id: int) -> str:
    """Show a stall's 4T facts (when and by whom checked) and what its trader can learn: 4T modules and classes."""
    stall = db.get_or_404(Stall, stall_id)
    policy.authorize("markets.update", stall)
    modules = learning.track_modules()
    classes = learning.trader_classes(stall.market.commune_id, modules)
    trader = stall.trader
    progress = learning.trader_progress(trader, modules) if trader is not None else {}
    enrolled = learning.enrolled_in(trader, classes) if trader is not None else set()
    checkers = {pid: db.session.get(Person, pid) for code in services.FACTS
                if (pid := getattr(stall, f"{code}_by_id")) is not None}
    return render_template("markets/stall.html", stall=stall, market=stall.market, facts=services.FACTS,
                           platforms=services.PLATFORMS, modules=modules, progress=progress, classes=classes,
                           enrolled=enrolled, checkers=checkers)


@bp.post("/stalls/<int:stall_id>/delete")
@policy.requires("markets.manage")
def delete_stall(stall_id: int) -> Any:
    """Remove a stall that no longer trades."""
    stall = db.get_or_404(Stall, stall_id)
    policy.authorize("markets.manage", stall)
    market_id = stall.market_id
    if not CleanForm().validate_on_submit():
        abort(400)
    label = stall.label
    services.delete_stall(stall, actor=current_user)
    db.session.commit()
    flash(_("Đã xóa quầy %(label)s.", label=label), "success")
    return redirect(url_for("markets.show", market_id=market_id))
