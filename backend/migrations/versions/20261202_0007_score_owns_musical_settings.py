"""The score alone owns tempo, key, mode and meter: drop them from projects.

Until now they were stored on the project row and in the score and synced both ways.
Before the columns go, every project's score is made to carry all four:

- a project without a score row gets one in the row's settings (version 1, "created"),
  as the app used to create on first use;
- a score that lacks one of the four takes it from the row, as a new score version
  (reason "edited"), so the history still shows every state the score was in;
- where both have a value and they disagree, the score's value stays. The score is what
  is played, exported and engraved; the row only lagged it where it could not hold the
  score's value (a tempo outside 20-400 or with a fraction, a tonic such as C##).

Lists read the four from columns that PostgreSQL generates from the score JSON, so a
list never decompresses whole scores.

The downgrade restores the columns from the score, within what they can hold: the tempo
rounded and clamped to 20-400, a tonic or meter the columns refuse falls back to the
column's default.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An empty score (what `Score()` dumps) in the project row's settings.
_SCORE_FROM_ROW = """
    jsonb_build_object(
        'ppq', 480, 'tempo', p.tempo::float8, 'tempo_changes', '[]'::jsonb,
        'key', jsonb_build_object('tonic', p.key, 'mode', p.mode),
        'meter', jsonb_build_object('numerator', split_part(p.meter, '/', 1)::int,
                                    'denominator', split_part(p.meter, '/', 2)::int),
        'meter_changes', '[]'::jsonb, 'bars', 8, 'sections', '[]'::jsonb,
        'chord_symbols', '[]'::jsonb, 'tracks', '[]'::jsonb)
"""

# The f-strings below join this module's own constants; nothing comes from input.
CREATE_MISSING_SCORES = f"""
WITH created AS (
    INSERT INTO project_scores (project_id, data, revision)
    SELECT p.id, {_SCORE_FROM_ROW}, 1 FROM projects p
    WHERE NOT EXISTS (SELECT 1 FROM project_scores s WHERE s.project_id = p.id)
    RETURNING project_id, data)
INSERT INTO score_versions (id, project_id, number, data, reason, summary)
SELECT gen_random_uuid(), project_id, 1, data, 'created', 'score created' FROM created
ON CONFLICT (project_id, number) DO NOTHING
"""  # noqa: S608

# JSON null counts as missing, as it does for the app (the Score model refuses it).
_TEMPO = "NULLIF(s.data -> 'tempo', 'null'::jsonb)"
_TONIC = "s.data -> 'key' ->> 'tonic'"
_MODE = "s.data -> 'key' ->> 'mode'"
_NUMERATOR = "NULLIF(s.data -> 'meter' -> 'numerator', 'null'::jsonb)"
_DENOMINATOR = "NULLIF(s.data -> 'meter' -> 'denominator', 'null'::jsonb)"


def _kept_object(field: str) -> str:
    """The score's `field` object to fill in, or an empty one if it is not an object."""
    return (f"COALESCE(CASE WHEN jsonb_typeof(s.data -> '{field}') = 'object' "
            f"THEN s.data -> '{field}' END, '{{}}'::jsonb)")


FILL_INCOMPLETE_SCORES = f"""
WITH filled AS (
    UPDATE project_scores s SET
        data = s.data || jsonb_build_object(
            'tempo', COALESCE({_TEMPO}, to_jsonb(p.tempo::float8)),
            'key', {_kept_object('key')} || jsonb_build_object(
                'tonic', COALESCE({_TONIC}, p.key), 'mode', COALESCE({_MODE}, p.mode)),
            'meter', {_kept_object('meter')} || jsonb_build_object(
                'numerator', COALESCE({_NUMERATOR},
                                      to_jsonb(split_part(p.meter, '/', 1)::int)),
                'denominator', COALESCE({_DENOMINATOR},
                                        to_jsonb(split_part(p.meter, '/', 2)::int)))),
        revision = s.revision + 1,
        updated_at = now()
    FROM projects p
    WHERE p.id = s.project_id AND jsonb_typeof(s.data) = 'object'
      AND ({_TEMPO} IS NULL OR {_TONIC} IS NULL OR {_MODE} IS NULL
           OR {_NUMERATOR} IS NULL OR {_DENOMINATOR} IS NULL)
    RETURNING s.project_id, s.revision, s.data)
INSERT INTO score_versions (id, project_id, number, data, reason, summary)
SELECT gen_random_uuid(), project_id, revision, data, 'edited',
       'tempo, key and meter carried over from the project'
FROM filled
"""  # noqa: S608

# What the dropped columns accepted (ariaforge.projects.schemas before this revision).
_PROJECT_TONICS = ("C", "C#", "Db", "D", "D#", "Eb", "E", "F", "F#", "Gb", "G", "G#", "Ab",
                   "A", "A#", "Bb", "B", "Cb")
_METER = "(s.data -> 'meter' ->> 'numerator') || '/' || (s.data -> 'meter' ->> 'denominator')"

RESTORE_COLUMNS = f"""
UPDATE projects p SET
    tempo = LEAST(400, GREATEST(20, COALESCE(round((s.data ->> 'tempo')::float8),
                                             p.tempo)))::int,
    key = CASE WHEN {_TONIC} IN ({", ".join(f"'{t}'" for t in _PROJECT_TONICS)})
               THEN {_TONIC} ELSE p.key END,
    mode = COALESCE({_MODE}, p.mode),
    meter = CASE WHEN {_METER} ~ '^([1-9]|[12][0-9]|3[0-2])/(1|2|4|8|16|32)$'
                 THEN {_METER} ELSE p.meter END
FROM project_scores s
WHERE s.project_id = p.id AND jsonb_typeof(s.data) = 'object'
"""  # noqa: S608


# Generated from the score, in the order they are added (see ariaforge.models.score).
GENERATED_COLUMNS = (
    ("tempo", sa.Float(), "(data ->> 'tempo')::double precision"),
    ("tonic", sa.Text(), "data -> 'key' ->> 'tonic'"),
    ("mode", sa.Text(), "data -> 'key' ->> 'mode'"),
    ("meter", sa.Text(),
     "(data -> 'meter' ->> 'numerator') || '/' || (data -> 'meter' ->> 'denominator')"),
)


def upgrade() -> None:
    op.execute(sa.text(CREATE_MISSING_SCORES))
    op.execute(sa.text(FILL_INCOMPLETE_SCORES))
    for name, type_, expression in GENERATED_COLUMNS:
        op.add_column("project_scores", sa.Column(
            name, type_, sa.Computed(expression, persisted=True), nullable=True))
    op.drop_constraint(op.f("ck_projects_tempo_range"), "projects", type_="check")
    for column in ("tempo", "key", "mode", "meter"):
        op.drop_column("projects", column)


def downgrade() -> None:
    for name, _, _ in GENERATED_COLUMNS:
        op.drop_column("project_scores", name)
    op.add_column("projects", sa.Column("tempo", sa.Integer(), server_default="120",
                                        nullable=False))
    op.add_column("projects", sa.Column("key", sa.String(length=2), server_default="C",
                                        nullable=False))
    op.add_column("projects", sa.Column("mode", sa.String(length=16), server_default="major",
                                        nullable=False))
    op.add_column("projects", sa.Column("meter", sa.String(length=8), server_default="4/4",
                                        nullable=False))
    op.execute(sa.text(RESTORE_COLUMNS))
    op.create_check_constraint(op.f("ck_projects_tempo_range"), "projects",
                               "tempo BETWEEN 20 AND 400")
