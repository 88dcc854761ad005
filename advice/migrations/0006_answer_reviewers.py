"""The "Answer review" workflow gets reviewers of its own and a task that refuses
self-approval.

Its task was a plain group approval by Wagtail's Moderators, who also publish, move and
delete pages (and, until comments 0008, moderated replies); a moderator could approve their
own submission. Now an "Answer reviewers" group (admin access, nothing else) approves it,
and the task becomes an IndependentApprovalTask in place (same id, so letters already in
review keep their place): nobody approves their own submission.
"""

import django.db.models.deletion
from django.db import migrations, models

WORKFLOW = "Answer review"
REVIEWERS = "Answer reviewers"
MODERATORS = "Moderators"


def answer_tasks(apps):
    """The workflow's group approval tasks (none if an administrator removed it)."""
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ids = WorkflowTask.objects.filter(workflow__name=WORKFLOW).values_list("task_id", flat=True)
    return GroupApprovalTask.objects.filter(pk__in=list(ids))


def content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def to_reviewers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    IndependentApprovalTask = apps.get_model("advice", "IndependentApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    # Created by wagtailadmin's first migration, so present even on a fresh database.
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    independent = content_type(apps, "advice", "independentapprovaltask")
    for task in answer_tasks(apps):
        if not IndependentApprovalTask.objects.filter(pk=task.pk).exists():
            # The subclass's own row only: the task's rows in Task and GroupApprovalTask stay.
            IndependentApprovalTask(groupapprovaltask_ptr_id=task.pk).save_base(raw=True)
        Task.objects.filter(pk=task.pk).update(content_type=independent)
        task.groups.set([reviewers])


def to_moderators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    IndependentApprovalTask = apps.get_model("advice", "IndependentApprovalTask")
    Task = apps.get_model("wagtailcore", "Task")

    plain = content_type(apps, "wagtailcore", "groupapprovaltask")
    for task in answer_tasks(apps):
        Task.objects.filter(pk=task.pk).update(content_type=plain)
        # Only the subclass's row: a model delete() would take the parent rows with it.
        IndependentApprovalTask.objects.filter(pk=task.pk)._raw_delete(schema_editor.connection.alias)
        task.groups.set(Group.objects.filter(name=MODERATORS))
    Group.objects.filter(name=REVIEWERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0005_letters_per_page_at_least_one"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # After Wagtail's migrations that give every admin group "choose" on documents and
        # images: on a fresh database they would otherwise run later and give it to ours.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndependentApprovalTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "group approval, never by the submitter",
                "verbose_name_plural": "group approvals, never by the submitter",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(to_reviewers, to_moderators),
    ]
