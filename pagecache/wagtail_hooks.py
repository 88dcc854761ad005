"""Snippets edited in the admin (topics, columnists, a reply on the moderation desk) change
pages readers see: every snippet edit, creation or deletion invalidates the page cache."""

from wagtail import hooks

from pagecache import store


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def snippet_changed(request, instance_or_instances):
    store.invalidate()
