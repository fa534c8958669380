"""Quizzes: opaque per-attempt option keys; one open attempt per learner and module.

Reviewed: attempts gain `option_keys`, the random keys the quiz page uses instead of each answer's place in
the question bank. Attempts still in progress get fresh keys here (drawn from their `answer_orders`, which list
every answer index of every question), so learners carry on where they were: their saved answers are stored
as indexes and keep working; answers still queued offline in a browser under the old numbers are refused
once and dropped from the queue. Submitted attempts keep the column's default (no keys): their results read
the stored indexes. The column is added in place, never by copying the table (see upgrade).
Open attempts that raced each other before this fix (the same learner and module, more than one in progress)
keep the one with the most answers (then the earliest); the others become `abandoned`, kept but never counted,
so that the partial unique index can be built. Downgrading drops the keys and the index; abandoned attempts
stay abandoned.

Revision ID: 5ec1a0000002
Revises: 5ec1a0000001
Create Date: 2026-12-03 10:45:00

"""
import json
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ec1a0000002'
down_revision = '5ec1a0000001'
branch_labels = None
depends_on = None

attempts = sa.table('attempts', sa.column('id', sa.Integer()), sa.column('person_id', sa.Integer()),
                    sa.column('module_id', sa.Integer()), sa.column('status', sa.String(20)),
                    sa.column('answer_orders', sa.JSON()), sa.column('option_keys', sa.JSON()))
attempt_answers = sa.table('attempt_answers', sa.column('attempt_id', sa.Integer()))


def _new_key(taken):
    while True:
        key = secrets.token_urlsafe(6)
        if key not in taken and not key.isdigit():
            taken.add(key)
            return key


def _keys(orders):
    orders = json.loads(orders) if isinstance(orders, str) else (orders or {})
    drawn = {}
    for question_id, order in orders.items():
        taken = set()
        drawn[question_id] = {'options': [_new_key(taken) for _ in order], 'items': [_new_key(taken) for _ in order]}
    return drawn


def _set_aside_racing_open_attempts(conn):
    answered = (sa.select(sa.func.count()).select_from(attempt_answers)
                .where(attempt_answers.c.attempt_id == attempts.c.id).scalar_subquery())
    rows = conn.execute(sa.select(attempts.c.id, attempts.c.person_id, attempts.c.module_id, answered)
                        .where(attempts.c.status == 'in_progress')).all()
    best = {}
    for attempt_id, person_id, module_id, count in rows:
        kept = best.get((person_id, module_id))
        if kept is None or (count, -attempt_id) > (kept[1], -kept[0]):
            best[(person_id, module_id)] = (attempt_id, count)
    kept_ids = {attempt_id for attempt_id, _count in best.values()}
    extra = [row[0] for row in rows if row[0] not in kept_ids]
    if extra:
        conn.execute(attempts.update().where(attempts.c.id.in_(extra)).values(status='abandoned'))


INDEX = 'uq_attempts_open_person_id_module_id'


def upgrade():
    # Added in place with a default, never by copying the table: on SQLite a batch copy drops the old
    # table, and with foreign keys on that deletes every saved answer (ON DELETE CASCADE).
    op.add_column('attempts', sa.Column('option_keys', sa.JSON(), server_default='{}', nullable=False))

    conn = op.get_bind()
    _set_aside_racing_open_attempts(conn)
    for attempt_id, orders in conn.execute(sa.select(attempts.c.id, attempts.c.answer_orders)
                                           .where(attempts.c.status == 'in_progress')).all():
        conn.execute(attempts.update().where(attempts.c.id == attempt_id).values(option_keys=_keys(orders)))

    op.create_index(INDEX, 'attempts', ['person_id', 'module_id'], unique=True,
                    sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))


def downgrade():
    op.drop_index(INDEX, table_name='attempts')
    if op.get_bind().dialect.name == 'sqlite':  # in place (SQLite 3.35+), for the same reason as above
        op.execute('ALTER TABLE attempts DROP COLUMN option_keys')
    else:
        op.drop_column('attempts', 'option_keys')
