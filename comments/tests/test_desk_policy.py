"""The reply policy, edited by moderators from the desk's menu group."""

import json

from testing.desk import (
    soup,
)

# --- The reply policy, edited from the desk's menu group ------------------------------------


def submenu_links(response, name):
    """{label: url} of the sidebar submenu called `name` (from its JSON props)."""
    props = json.loads(soup(response).find("script", id="wagtail-sidebar-props").string)
    found = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type") == "wagtail.sidebar.SubMenuItem" and args[0]["name"] == name:
                found.update(
                    {item["_args"][0]["label"]: item["_args"][0]["url"] for item in args[1]}
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return found


def form_data(response, form_selector="form[method=post]"):
    """Every field of the page's form with the value it shows, as a browser would send it."""
    form = soup(response).select_one(form_selector)
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]") or field.select_one("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button"):
            data[name] = field.get("value", "")
    return data


def test_moderators_edit_the_reply_policy_from_the_desk_group(
    desk, policy, editor, superuser, client
):
    from comments.models import ReplyPolicy

    response = desk.get("/admin/")
    url = f"/admin/settings/comments/replypolicy/{policy.site_id}/"
    assert submenu_links(response, "replies")["Reply policy"] == (
        "/admin/settings/comments/replypolicy/"
    )
    page = desk.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data.update(mode=ReplyPolicy.HOLD_UNTRUSTED, link_limit="4", banned_words="casino")
    saved = desk.post(url, data)
    assert saved.status_code == 302, soup(saved).select(".error-message")
    policy.refresh_from_db()
    assert (policy.mode, policy.link_limit, policy.banned_words) == (
        ReplyPolicy.HOLD_UNTRUSTED,
        4,
        "casino",
    )

    # Not under Settings as well (a superuser sees every setting there), and not for editors.
    client.force_login(superuser)
    settings_menu = submenu_links(client.get("/admin/"), "settings")
    assert "Users" in settings_menu
    assert "Reply policy" not in settings_menu
    client.force_login(editor)
    denied = client.post(url, {**data, "link_limit": "9"})
    assert denied.status_code == 302 and not denied["Location"].startswith(url)
    policy.refresh_from_db()
    assert policy.link_limit == 4


def test_the_policy_is_stored_when_a_moderator_first_saves_it(desk, home_page, letter):
    """Reading the policy never writes (a page view must not wait behind a writer): until a
    moderator saves it, the defaults are used, and the admin's form stores them."""
    from comments.models import ReplyPolicy

    site = home_page.get_site()
    assert desk.get(letter.url).status_code == 200  # the reply section reads the policy
    assert not ReplyPolicy.objects.exists()
    assert ReplyPolicy.for_site(site).mode == ReplyPolicy.HOLD_ALL  # the defaults, unsaved

    url = f"/admin/settings/comments/replypolicy/{site.pk}/"
    data = form_data(desk.get(url))
    data.update(mode=ReplyPolicy.HOLD_UNTRUSTED)
    assert desk.post(url, data).status_code == 302
    assert ReplyPolicy.objects.get(site=site).mode == ReplyPolicy.HOLD_UNTRUSTED
