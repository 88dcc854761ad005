"""WordPress exports (WXR) written in code: small ones for the importer's tests, large ones for
its benchmark (bench/wordpress.py). Plain Python, no Django."""

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "wordpress"
EXPORT = FIXTURES / "dear-pursebop.wxr.xml"
UPLOADS = FIXTURES / "uploads"
ENTITY_BOMB = FIXTURES / "entity-bomb.xml"
MALFORMED = FIXTURES / "malformed.wxr.xml"

AVERY = ("avery", 1, "Avery Stone", "avery@old.example")


def cdata(text):
    return "<![CDATA[" + str(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def letter_body(letter, pen_name, answer, greeting="Dear PurseBop,"):
    """A post body in the column's pattern, as WordPress's classic editor stores it."""
    return f"{greeting}\n\n{letter}\n\n— {pen_name}\n\nDear {pen_name}:\n\n{answer}"


def comment_xml(
    number,
    content,
    author="A Reader",
    email="reader@example.com",
    date="2024-05-03 10:00:00",
    approved="1",
    parent=0,
    user_id=0,
    kind="comment",
    ip="192.0.2.1",
    url="",
):
    return f"""
		<wp:comment>
			<wp:comment_id>{number}</wp:comment_id>
			<wp:comment_author>{cdata(author)}</wp:comment_author>
			<wp:comment_author_email>{cdata(email)}</wp:comment_author_email>
			<wp:comment_author_url>{url}</wp:comment_author_url>
			<wp:comment_author_IP>{cdata(ip)}</wp:comment_author_IP>
			<wp:comment_date>{cdata(date)}</wp:comment_date>
			<wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>
			<wp:comment_content>{cdata(content)}</wp:comment_content>
			<wp:comment_approved>{cdata(approved)}</wp:comment_approved>
			<wp:comment_type>{cdata(kind)}</wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>{user_id}</wp:comment_user_id>
		</wp:comment>"""


def post_xml(
    number,
    title,
    content,
    name=None,
    date="2024-05-03 10:00:00",
    date_gmt=None,
    status="publish",
    kind="post",
    creator="avery",
    categories=(("dear-pursebop", "Dear PurseBop"),),
    tags=(),
    meta=(),
    comments=(),
    site="https://old.example",
    attachment_url="",
):
    name = name if name is not None else f"letter-{number}"
    date_gmt = date_gmt or date
    link = f"{site}/{date[:4]}/{date[5:7]}/{date[8:10]}/{name}/"
    terms = "".join(
        f'\n\t\t<category domain="category" nicename="{slug}">{cdata(label)}</category>'
        for slug, label in categories
    ) + "".join(
        f'\n\t\t<category domain="post_tag" nicename="{slug}">{cdata(label)}</category>'
        for slug, label in tags
    )
    metas = "".join(
        f"\n\t\t<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key>"
        f"<wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
        for key, value in meta
    )
    attachment = (
        f"\n\t\t<wp:attachment_url>{cdata(attachment_url)}</wp:attachment_url>"
        if attachment_url
        else ""
    )
    return f"""
	<item>
		<title>{cdata(title)}</title>
		<link>{link}</link>
		<dc:creator>{cdata(creator)}</dc:creator>
		<guid isPermaLink="false">{site}/?p={number}</guid>
		<content:encoded>{cdata(content)}</content:encoded>
		<excerpt:encoded>{cdata("")}</excerpt:encoded>
		<wp:post_id>{number}</wp:post_id>
		<wp:post_date>{cdata(date)}</wp:post_date>
		<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>
		<wp:post_name>{cdata(name)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>{cdata(kind)}</wp:post_type>
		<wp:post_password>{cdata("")}</wp:post_password>{attachment}{terms}{metas}{"".join(comments)}
	</item>"""


def export_xml(items, site="https://old.example", authors=(AVERY,), title="PurseBop on WordPress"):
    """A whole export around `items` (strings from post_xml)."""
    people = "".join(
        f"\n\t<wp:author><wp:author_id>{number}</wp:author_id>"
        f"<wp:author_login>{cdata(login)}</wp:author_login>"
        f"<wp:author_email>{cdata(email)}</wp:author_email>"
        f"<wp:author_display_name>{cdata(name)}</wp:author_display_name></wp:author>"
        for login, number, name, email in authors
    )
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>{cdata(title)}</title>
	<link>{site}</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>{people}
{"".join(items)}
</channel>
</rss>
"""
