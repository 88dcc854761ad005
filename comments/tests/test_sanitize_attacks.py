"""comments.sanitize against hostile input: no output ever comes out executable.

Pure functions: no database. One checker (`assert_safe`) parses every output as a browser would
and is run over hand-written attacks and over the public payload lists in data/xss/ (kept in
the project with their README and MIT licence, so a clone tests on its own). The readable side
of the same rules is in test_sanitize.py.
"""

import re
import sys
from pathlib import Path

import pytest
from bleach._vendor import html5lib  # the HTML5 parser bleach itself uses (html5lib 1.1)

from comments.sanitize import count_links, plain_text, render_reply

REL = "nofollow ugc noopener"
ALLOWED_ELEMENTS = {"p", "br", "em", "strong", "a"}
SAFE_SCHEMES = {"http", "https", "mailto"}
XSS_DIR = Path(__file__).parent / "data" / "xss"
# What a browser's URL parser strips first: leading/trailing C0 controls and spaces, then every
# tab and newline anywhere.
C0_AND_SPACE = "".join(map(chr, range(0x21)))


def href_scheme(href):
    url = re.sub(r"[\t\n\r]", "", href.strip(C0_AND_SPACE))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


def assert_safe(output):
    """Parse `output` the way a browser parses it inside a <div> and allow only what we emit."""
    assert "<script" not in output.lower(), output
    fragment = html5lib.parseFragment(output, treebuilder="etree", namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment:
            continue
        assert isinstance(element.tag, str), f"comment or other non-element node in {output!r}"
        assert element.tag in ALLOWED_ELEMENTS, f"<{element.tag}> in {output!r}"
        if element.tag != "a":
            assert not element.attrib, f"attributes {element.attrib} on <{element.tag}>"
            continue
        assert set(element.attrib) == {"href", "rel"}, f"attributes {element.attrib} on <a>"
        assert element.get("rel") == REL, output
        # html5lib has already decoded entities in the attribute, as a browser does.
        assert href_scheme(element.get("href")) in SAFE_SCHEMES, f"href in {output!r}"


def check(payload):
    output = render_reply(payload)
    assert_safe(output)
    assert count_links(payload) == output.count("<a ")
    text = plain_text(payload)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text)
    return output


HOSTILE = {
    # <script>, every way round
    "script": "<script>alert(1)</script>",
    "script-upper": "<SCRIPT>alert(1)</SCRIPT>",
    "script-mixed-src": "<ScRiPt src=//evil.example/x.js></sCrIpT>",
    "script-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-slash-attr": "<script/xss src=http://evil.example/x.js></script>",
    "script-double-lt": "<<script>alert(1);//<</script>",
    "script-unclosed": "<script>alert(1)",
    "script-close-first": "</script><script>alert(1)</script>",
    "script-in-em": "<em><script>alert(1)</script></em>",
    "script-in-link": '<a href="http://ok.example"><script>alert(1)</script></a>',
    "noscript-title": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "textarea-breakout": "<textarea></textarea><script>alert(1)</script>",
    "title-breakout": "<title></title><script>alert(1)</script>",
    "plaintext": "<plaintext><script>alert(1)</script>",
    "xmp": "<xmp><script>alert(1)</script></xmp>",
    # event handlers
    "a-onclick": '<a onclick="alert(1)">x</a>',
    "a-href-onclick": '<a href="http://ok.example" onclick="alert(1)">x</a>',
    "b-onmouseover": "<b onmouseover=alert(1)>hi</b>",
    "em-onfocus-autofocus": "<em onfocus=alert(1) autofocus tabindex=0>x</em>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "strong-slash-handler": "<strong/onmouseover=alert(1)>x</strong>",
    "i-handler-newline": "<i onclick\n=alert(1)>x</i>",
    "a-handler-no-space": '<a href="http://ok.example"onmouseover="alert(1)">x</a>',
    "a-handler-unquoted": "<a href=http://ok.example/ onmouseover=alert(1)//>x</a>",
    "a-handler-upper": '<a href="http://ok.example" ONCLICK="alert(1)">x</a>',
    "body-onload": "<body onload=alert(1)>",
    "div-onpointerenter": "<div onpointerenter=alert(1)>x</div>",
    "input-autofocus": "<input autofocus onfocus=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "video-source-onerror": "<video><source onerror=alert(1)></video>",
    # javascript: URLs, encoded every way
    "js-plain": '<a href="javascript:alert(1)">x</a>',
    "js-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "js-decimal-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "js-hex-entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "js-padded-entities": '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099'
    '&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    "js-entity-tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "js-entity-newline": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "js-named-tab": '<a href="&Tab;javascript:alert(1)">x</a>',
    "js-entity-colon": '<a href="javascript&colon;alert(1)">x</a>',
    "js-entity-middle": '<a href="javas&#99;ript:alert(1)">x</a>',
    "js-raw-tab": '<a href="jav\tascript:alert(1)">x</a>',
    "js-raw-newline": '<a href="java\nscript:alert(1)">x</a>',
    "js-raw-nul": '<a href="jav\x00ascript:alert(1)">x</a>',
    "js-leading-spaces": '<a href="   javascript:alert(1)">x</a>',
    "js-leading-control": '<a href="\x01javascript:alert(1)">x</a>',
    "js-url-encoded-colon": '<a href="javascript%3Aalert(1)">x</a>',
    "js-url-encoded": '<a href="%6A%61%76%61%73%63%72%69%70%74:alert(1)">x</a>',
    "js-unquoted": "<a href=javascript:alert(1)>x</a>",
    "js-single-quoted": "<a href='javascript:alert(1)'>x</a>",
    "js-second-href": '<a href="http://ok.example" href="javascript:alert(1)">x</a>',
    "js-first-href": '<a href="javascript:alert(1)" href="http://ok.example">x</a>',
    "js-bare-text": "javascript:alert(1)",
    "js-double-encoded": '<a href="&amp;#106;avascript:alert(1)">x</a>',
    "js-line-separator": '<a href="http://ok.example/\u2028javascript:alert(1)">x</a>',
    # data: and vbscript:
    "data-base64": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data-upper": '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "vbscript-mixed": '<a href="VbScRiPt:msgbox(1)">x</a>',
    "object-data-uri": '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "iframe-data-uri": '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    # SVG and MathML
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-onload": "<svg onload=alert(1)>",
    "svg-slash-onload": "<svg/onload=alert(1)>",
    "svg-xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "svg-animate-href": "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "svg-style-img": "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "math-mglyph-style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math-maction": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    "math-mi-href": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "math-in-em": "<em><math><mtext><script>alert(1)</script></mtext></math></em>",
    # unclosed tags, attribute breaking
    "unclosed-js-link": '<a href="javascript:alert(1)"',
    "unclosed-ok-link": '<a href="http://ok.example',
    "unclosed-handler": '<a href="http://ok.example" onclick="alert(1)',
    "break-double-quote": '"><script>alert(1)</script>',
    "break-single-quote": "'><script>alert(1)</script>",
    "break-in-href": '<a href="http://ok.example/"><script>alert(1)</script>">x</a>',
    "break-no-space": '<a href="http://ok.example/" title="x"onmouseover="alert(1)">x</a>',
    "break-unquoted-quote": '<a href=http://ok.example/"onmouseover="alert(1)">x</a>',
    "tag-in-tag": "<em <script>alert(1)</script>",
    "tag-in-link-tag": '<a href="http://ok.example" <script>alert(1)</script>>x</a>',
    "lt-in-href": '<a href="http://ok.example/<script>alert(1)</script>">x</a>',
    # entity tricks
    "entity-script": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "entity-decimal-script": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "entity-hex-img": "&#x3C;img src=x onerror=alert(1)&#x3E;",
    "js-escape-text": "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "url-encoded-text": "%3Cscript%3Ealert(1)%3C/script%3E",
    "entity-quote-in-href": '<a href="http://ok.example/&quot;onmouseover=&quot;alert(1)">x</a>',
    "fullwidth-brackets": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    # style and CSS
    "style-element": '<style>body{background:url("javascript:alert(1)")}</style>',
    "style-attr-url": '<em style="background:url(javascript:alert(1))">x</em>',
    "style-attr-overlay": '<a href="http://ok.example" style="position:fixed;inset:0">x</a>',
    "css-expression": '<div style="width: expression(alert(1))">x</div>',
    "css-expression-strong": "<strong style=xss:expression(alert(1))>x</strong>",
    "link-stylesheet": "<link rel=stylesheet href=http://evil.example/x.css>",
    # frames, base, meta, forms, plugins
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "iframe-srcdoc-entities": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "base-href": '<base href="http://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "form-action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "embed": '<embed src="javascript:alert(1)">',
    "object": '<object data="javascript:alert(1)"></object>',
    # comments, CDATA, doctypes, processing instructions
    "comment-script": "<!--<script>alert(1)</script>-->",
    "comment-then-script": "<!-- --><script>alert(1)</script>",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "comment-short-close": "<!--><img src=x onerror=alert(1)>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "doctype": "<!DOCTYPE html><script>alert(1)</script>",
    "processing-instruction": '<?xml version="1.0"?><script>alert(1)</script>',
    "bogus-end-tag": "</ x><script>alert(1)</script>",
    # very long input
    "long-prose-then-script": "x" * 100_000 + "<script>alert(1)</script>",
    "long-scripts": "<script>alert(1)</script>" * 4_000,
    "long-js-links": '<a href="javascript:alert(1)">x</a>' * 3_000,
    "long-nesting": "<b>" * 33_000 + "<script>alert(1)</script>",
    "long-attributes": "<a " + " ".join(f"on{i}=alert(1)" for i in range(10_000)) + ">x</a>",
    # odd text
    "mojibake": "Ã©tÃ© â€œquotedâ€\x9d <script>alert(1)</script>",
    "lone-surrogates": "\ud800<script>alert(1)</script>\udfff",
    "emoji": "emoji 🙂👍🏽👩‍👩‍👧 <b>ok</b> <img src=x onerror=alert(1)>",
    "rtl-override-link": '\u202e<a href="http://ok.example">gpj.exe</a>',
    "rtl-override-js": "\u202ejavascript:alert(1)",
    "rtl-in-href": '<a href="\u202ejavascript:alert(1)">x</a>',
    "nul-in-tag": "\x00<scr\x00ipt>alert(1)</script>",
    "control-characters": "\x01\x02\x1b[31m\x7f\x85<script>alert(1)</script>",
}


def corpus():
    """Every payload line of the shared lists, and each whole file as one input."""
    if not XSS_DIR.is_dir():
        return [pytest.param(None, id="xss-corpus-missing")]
    params = []
    for path in sorted(XSS_DIR.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        params.append(pytest.param(text, id=f"{path.stem}:whole-file"))
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                params.append(pytest.param(line, id=f"{path.stem}:{number}"))
    return params


CORPUS = corpus()


def test_enough_hand_written_attacks():
    assert len(HOSTILE) >= 60


@pytest.mark.parametrize(
    "html",
    [
        "<img src=x onerror=alert(1)>",
        "<p><em onclick=alert(1)>x</em></p>",
        '<p style="color:red">x</p>',
        "<p><!-- comment --></p>",
        "<svg><a href=http://x.example></a></svg>",
        '<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href=" &#x6A;avascript:alert(1)" rel="nofollow ugc noopener">x</a>',
        '<a href="data:text/html,x" rel="nofollow ugc noopener">x</a>',
        '<a href="/relative" rel="nofollow ugc noopener">x</a>',
        '<a rel="nofollow ugc noopener">x</a>',
        '<a href="http://x.example" rel="nofollow">x</a>',
        '<a href="http://x.example" rel="nofollow ugc noopener" target="_blank">x</a>',
        "&lt;p&gt;<SCRIPT>",
    ],
)
def test_the_checker_rejects_executable_output(html):
    with pytest.raises(AssertionError):
        assert_safe(html)


def test_a_missing_corpus_fails_rather_than_skips(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "XSS_DIR", tmp_path / "missing")
    [param] = corpus()
    with pytest.raises(pytest.fail.Exception, match="XSS payload lists missing"):
        test_xss_corpus_is_inert(*param.values)


@pytest.mark.parametrize("payload", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_input_is_inert(payload):
    check(payload)


def test_xss_corpus_is_there():
    assert XSS_DIR.is_dir(), f"XSS payload lists missing: expected them in {XSS_DIR}"
    assert len(CORPUS) > 700, f"only {len(CORPUS)} payloads found in {XSS_DIR}"


@pytest.mark.parametrize("payload", CORPUS)
def test_xss_corpus_is_inert(payload):
    if payload is None:
        pytest.fail(f"XSS payload lists missing: expected *.txt files in {XSS_DIR}")
    check(payload)
