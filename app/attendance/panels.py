"""Home-page tasks from attendance for a commune's officers and organisers: roll calls still missing this week,
learners marked absent twice, and the quarterly report coming due. One query each at most, whatever the number of
classes and communes."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from app import policy
from app.attendance import reports
from app.attendance.models import AttendanceMark
from app.classes import queries
from app.classes.models import Class, ClassSession, Enrolment
from app.extensions import db
from app.home import panels
from app.vietnam import local_now

MARKS_DAYS = 7  # sessions that ended in the last week and still have no mark at all
SHOWN = 5  # rows listed on the home page; the rest are one link away
REPORT_NOTICE_DAYS = 21  # the quarterly report appears this long before the quarter ends


def unmarked_sessions(where: Any, now: dt.datetime) -> list[ClassSession]:
    """Sessions of the classes matching `where` that ended in the last week, have learners, and no mark yet."""
    today, time_now = now.date(), now.time().replace(tzinfo=None)
    ended = or_(ClassSession.date < today, and_(ClassSession.date == today, ClassSession.end_time <= time_now))
    learners = exists().where(Enrolment.class_id == ClassSession.class_id, Enrolment.status == "enrolled")
    marked = exists().where(AttendanceMark.session_id == ClassSession.id)
    return list(db.session.scalars(  # one statement: the class and venue joined, the class's staff left unloaded
        select(ClassSession).join(Class, Class.id == ClassSession.class_id)
        .where(where, ClassSession.status == "scheduled", ClassSession.date > today - dt.timedelta(days=MARKS_DAYS),
               ended, learners, ~marked)
        .options(contains_eager(ClassSession.class_).lazyload(Class.staff), joinedload(ClassSession.venue))
        .order_by(ClassSession.date, ClassSession.start_time, ClassSession.id)))


def quarter_end(day: dt.date) -> dt.date:
    """Return the last day of the quarter a date falls in."""
    last_month = (day.month - 1) // 3 * 3 + 3
    after = dt.date(day.year + 1, 1, 1) if last_month == 12 else dt.date(day.year, last_month + 1, 1)
    return after - dt.timedelta(days=1)


# --- panels --------------------------------------------------------------------------------------

def marks_panel(person: Any) -> dict[str, Any] | None:
    """Sessions this week whose roll call was never taken."""
    sessions = unmarked_sessions(queries.within_reach(person, "classes.manage"), local_now())
    return {"sessions": sessions} if sessions else None


def absences_panel(person: Any) -> dict[str, Any] | None:
    """Learners marked absent twice or more (unmarked sessions never count): someone should call or visit."""
    communes = queries.communes_of(person, "attendance.reports")
    if not communes:
        return None
    found = reports.absent_twice(communes={commune_id: policy.village_ids(person, "attendance.reports", commune_id)
                                           for commune_id in sorted(communes)})
    if not found:
        return None
    commune_id = person.commune_id if person.commune_id in communes else min(communes)
    return {"shown": found[:SHOWN], "total": len(found), "commune_id": commune_id}


def report_panel(person: Any) -> dict[str, Any] | None:
    """The quarterly report for the city, in the last weeks of the quarter."""
    today = local_now().date()
    due = quarter_end(today)
    if (due - today).days > REPORT_NOTICE_DAYS:
        return None
    communes = queries.communes_of(person, "attendance.reports")
    if not communes:
        return None
    return {"due": due, "days": (due - today).days, "quarter": (due.month - 1) // 3 + 1,
            "commune_id": person.commune_id if person.commune_id in communes else min(communes)}


panels.add(panels.Panel("marks_waiting", "attendance/_panel_marks_waiting.html", "classes.manage", 2,
                        marks_panel, task=True))
panels.add(panels.Panel("absent_twice", "attendance/_panel_absent_twice.html", "attendance.reports", 4,
                        absences_panel, task=True))
panels.add(panels.Panel("report_due", "attendance/_panel_report_due.html", "classes.manage", 6,
                        report_panel, task=True))
