"""Every desk action in Wagtail's audit log: a reply's history and Reports → Site history."""

import pytest

from testing.desk import (
    history_results_url,
    history_url,
    logs,
    moderate_url,
    soup,
)

# --- Audit log and history ------------------------------------------------------------------


def test_every_action_is_logged_and_shown_in_the_replys_history(desk, held, moderator, reason):
    desk.post(moderate_url(held), {"action": "approve"})
    desk.post(moderate_url(held), {"action": "requeue"})
    desk.post(moderate_url(held), {"action": "reject", "reason_choice": reason.text})
    desk.post(moderate_url(held), {"action": "spam"})
    entries = logs(held)
    assert [(e.action, e.data["from"], e.data["to"]) for e in entries] == [
        ("comments.approve", "pending", "approved"),
        ("comments.requeue", "approved", "pending"),
        ("comments.reject", "pending", "rejected"),
        ("comments.spam", "rejected", "spam"),
    ]
    assert {entry.user for entry in entries} == {moderator}
    assert entries[2].data["reason"] == reason.text

    for url in (history_url(held), history_results_url(held)):
        response = desk.get(url)
        assert response.status_code == 200, url
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
            for row in soup(response).select("tbody tr")
        ]
        actions_shown = [row[0] for row in rows]
        assert actions_shown == [
            "Marked as spam",
            f"Rejected: {reason.text}",
            "Sent back to the moderation queue",
            "Approved",
        ], url
        assert all(row[1] == "Mo" for row in rows), rows


@pytest.mark.parametrize("who", ["superuser", "moderator"])
def test_the_site_history_report_lists_desk_actions(client, who, request, held, editor):
    # Wagtail shows a model's entries to holders of a Django permission on that model: a
    # migration gives Reply moderators "view" on the desk's models; editors have none.
    client.force_login(request.getfixturevalue(who))
    client.post(moderate_url(held), {"action": "reject", "reason_text": "Off topic."})
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    text = soup(response).get_text(" ", strip=True)
    assert f"Reply #{held.pk}" in text
    assert "Rejected: Off topic." in text

    client.force_login(editor)
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert f"Reply #{held.pk}" not in soup(response).get_text(" ", strip=True)
