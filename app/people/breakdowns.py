"""Counting people for the commune's indicators: one SQL aggregate per commune and group, never a loop over rows."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, case, distinct, exists, func, literal, null, select, union_all

from app.extensions import db
from app.indicators import ADULT_AGE, AGE_BANDS, Counts, Dimension
from app.people.audiences import ELDERLY_AGE, Audience
from app.people.models import DisabilityRecord, Household, Person, PersonTag


def count_people(chosen: Select, commune_ids: Sequence[int], *, year: int, by: Dimension | None,
                 where: Sequence[ColumnElement[bool]] = ()) -> Counts:
    """Count the distinct residents `chosen` selects (one column: person ids) who also meet `where` (conditions on
    the person: `adult`, `tagged`), per commune and group of `by`.

    People count in the commune they live in; erased people never count. For audiences a person may fall
    in several groups (an elderly trader), so the groups do not add up to the total.
    """
    ids = chosen.subquery()
    counted = func.count(distinct(Person.id))
    base = (select(Person.commune_id).join(ids, ids.c[0] == Person.id)
            .where(Person.commune_id.in_(commune_ids), Person.erased_at.is_(None), *where))
    if by is None:
        query = base.add_columns(null(), counted).group_by(Person.commune_id)
    elif by is Dimension.AUDIENCE:
        groups = audience_groups(year).subquery()
        query = (base.add_columns(groups.c.audience, counted).join(groups, groups.c.person_id == Person.id)
                 .group_by(Person.commune_id, groups.c.audience))
    else:
        key = group_key(by, year)
        query = base.add_columns(key, counted).group_by(Person.commune_id, key)
    return {(commune, key): n for commune, key, n in db.session.execute(query)}


def group_key(by: Dimension, year: int):  # noqa: ANN201 (a SQL expression)
    """The column a person's group is read from, for every dimension except audience."""
    if by is Dimension.VILLAGE:
        return Person.village_id
    if by is Dimension.GENDER:
        return Person.gender
    if by is Dimension.AGE_BAND:
        whens = []
        for key, low, high in AGE_BANDS:
            born_after = year - high if high is not None else None
            condition = Person.birth_year <= year - low
            if born_after is not None:
                condition = condition & (Person.birth_year >= born_after)
            whens.append((condition, literal(key)))
        return case(*whens, else_=null())
    raise ValueError(by)


def audience_groups(year: int) -> Select:
    """Person id and audience, one row per audience a person belongs to (tags, age, a disability record)."""
    return union_all(
        select(PersonTag.person_id.label("person_id"), PersonTag.tag.label("audience")),
        select(Person.id, literal(Audience.ELDERLY.value)).where(Person.birth_year <= year - ELDERLY_AGE),
        select(DisabilityRecord.person_id, literal(Audience.DISABLED.value)),
    )


def adult(year: int, age: int) -> ColumnElement[bool]:
    """A resident who is `age` or older in `year` (one with no birth year counts: adults' classes enrol them)."""
    return (Person.birth_year <= year - age) | Person.birth_year.is_(None)


def tagged(tag: str) -> ColumnElement[bool]:
    """A resident carrying an audience tag (public staff, pupil, enterprise worker, trader)."""
    return exists().where(PersonTag.person_id == Person.id, PersonTag.tag == tag)


def known_population(commune_id: int, village_id: int | None, year: int) -> dict[str, int]:
    """How many of each population the app already knows in a village or the whole commune (one statement)."""
    people = select(Person.id).where(Person.commune_id == commune_id, Person.erased_at.is_(None))
    homes = select(Household.id).where(Household.commune_id == commune_id)
    if village_id is not None:
        people = people.where(Person.village_id == village_id)
        homes = homes.where(Household.village_id == village_id)
    people_ids = people.scalar_subquery()

    def tag_count(tag: str):  # noqa: ANN202
        return (select(func.count()).select_from(PersonTag)
                .where(PersonTag.tag == tag, PersonTag.person_id.in_(people_ids)).scalar_subquery())

    def aged(age: int, *, unknown: bool = False):  # noqa: ANN202
        born = Person.birth_year <= year - age
        if unknown:  # as `adults` counts them, so a population is never below what the adults' figures count
            born = born | Person.birth_year.is_(None)
        return select(func.count()).select_from(Person).where(Person.id.in_(people_ids), born).scalar_subquery()

    row = db.session.execute(select(
        aged(ADULT_AGE, unknown=True).label("adults"), aged(16).label("aged_16"),
        select(func.count()).select_from(homes.subquery()).scalar_subquery().label("households"),
        tag_count(Audience.PUBLIC_STAFF).label("public_staff"),
        tag_count(Audience.ENTERPRISE_WORKER).label("enterprise_workers"),
        tag_count(Audience.PUPIL).label("pupils"),
    )).one()
    return dict(row._mapping)
