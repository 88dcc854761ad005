"""Fixtures of the "Answer review" workflow's tests: the workflow on the column, and its
reviewers (members of the "Answer reviewers" group; Alice is an editor too)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Workflow


@pytest.fixture
def workflow(column):
    workflow = Workflow.objects.get(name="Answer review")
    workflow.workflow_pages.create(page=column)
    return workflow


def reviewer(username, *other_groups):
    user = get_user_model().objects.create_user(username, email=f"{username}@example.com")
    user.groups.add(Group.objects.get(name="Answer reviewers"), *other_groups)
    return user


@pytest.fixture
def alice(db):
    """An editor who is also a reviewer: she writes letters and reviews others' letters."""
    return reviewer("alice", Group.objects.get(name="Editors"))


@pytest.fixture
def bob(db):
    return reviewer("bob")


@pytest.fixture
def carol(db):
    return reviewer("carol")
