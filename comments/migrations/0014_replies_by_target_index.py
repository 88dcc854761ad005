from django.db import migrations

# Replies are found by what they answer (a letter): django-comments indexes content_type and
# object_pk apart, and SQLite chose the content type, reading every reply to every letter to
# find the ten letters of a column page (8,000 rows at 10,000 letters). One index on both,
# as Django's documentation advises for a generic foreign key. django_comments is not our
# model, so the index is SQL, the same on SQLite and PostgreSQL.
INDEX = "comments_replies_by_target"


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0013_typographic_copy"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
    ]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" '
            'ON "django_comments" ("content_type_id", "object_pk")',
            f'DROP INDEX IF EXISTS "{INDEX}"',
        ),
    ]
