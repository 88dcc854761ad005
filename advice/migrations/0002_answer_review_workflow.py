"""Create the "Answer review" workflow, for columns that want a second pair of eyes.

It is not assigned to any page: an administrator assigns it to a column in
Settings → Workflows, and from then on every letter in that column needs a moderator's
approval before it is published.
"""

from django.db import migrations


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    if Workflow.objects.filter(name="Answer review").exists():
        return
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Second reader approves the answer", content_type=task_type, active=True
    )
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        task.groups.add(moderators)
    workflow = Workflow.objects.create(name="Answer review", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name="Answer review").delete()
    apps.get_model("wagtailcore", "Task").objects.filter(
        name="Second reader approves the answer"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
