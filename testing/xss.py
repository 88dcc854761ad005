"""The XSS corpus and the browser trap, for any form that shows readers' text (replies and
reader letters: e2e/test_xss.py, e2e/test_xss_letters.py).

Corpus: every line of the public payload lists in comments/tests/data/xss/ (PayloadsAllTheThings,
MIT licence, see the README there), plus our own mutations aimed at what this site does with
text: attributes broken out of, bare addresses turned into links, the four emphasis tags it
keeps, parser-differential (mutation) XSS and Unicode look-alikes. `payloads()` gives them all,
de-duplicated, in a fixed order; `sample(n)` a fixed spread of n for the short CI setting
(ATTACK=full: all of them).

Trap: `Trap(context)` adds an init script to a Playwright browser context before any page
script runs: alert/confirm/prompt/print and a global `__xss()` record a hit instead of acting,
`securitypolicyviolation` events are recorded, dialogs are recorded and dismissed, and any
request to another host is refused and recorded (an injected <img src=//evil> would make one).
`trap.check(page, label)` then inspects the DOM: no on* attribute, no javascript:/vbscript:/
data:text/html URL, no <iframe>/<object>/<embed>/<base>/<meta refresh>, no inline script
without the page's nonce (on the admin's pages, whose policy allows Wagtail's inline scripts:
none calling the trap), every JSON-LD block parses. Findings are collected, not raised, so
one run reports every page that failed."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

DATA = Path(__file__).resolve().parent.parent / "comments" / "tests" / "data" / "xss"
LISTS = [
    "RSNAKE_XSS.txt",
    "XSS_Polyglots.txt",
    "MarioXSSVectors.txt",
    "IntrudersXSS.txt",
    "BRUTELOGIC-XSS-STRINGS.txt",
    "JHADDIX_XSS.txt",
]
FULL = os.environ.get("ATTACK") == "full"

# Our own mutations. `__xss()` is the trap's global: any of these that runs trips it directly.
MUTATIONS = [
    # Breaking out of attributes (names are shown in attributes: aria-label, title, data-*)
    '" onmouseover="__xss()" x="',
    "' onfocus='__xss()' autofocus x='",
    '"><img src=x onerror=__xss()>',
    "'><svg onload=__xss()>",
    '" autofocus onfocus=__xss() "',
    "`onmouseover=__xss()`",
    '"/><script>__xss()</script>',
    "</textarea><script>__xss()</script>",
    "</title><script>__xss()</script>",
    "</script><script>__xss()</script>",
    '<!--"--><img src=x onerror=__xss()>',
    # Linkify tricks: bare addresses become links that show their address
    'http://x.example/"onmouseover="__xss()',
    "https://x.example/'onmouseover='__xss()'",
    "http://x.example/<img/src=x/onerror=__xss()>",
    'https://a.example/?q="><script>__xss()</script>',
    "javascript:__xss()//http://x.example",
    "http://javascript:__xss()",
    'https://x.example/#" style="position:fixed;inset:0" onmouseover="__xss()',
    'www.x.example/"onclick="__xss()',
    "http://x.example/&quot;onmouseover=&quot;__xss()",
    "data:text/html,<script>__xss()</script>",
    "https://x.example/\u202e)(ssx__=rorreno",
    'http://[::1]/"><svg/onload=__xss()>',
    # The emphasis tags the site keeps, with attributes they must lose
    "<em onmouseover=__xss()>hover</em>",
    '<b style="background:url(javascript:__xss())">bold</b>',
    "<strong><img src=x onerror=__xss()></strong>",
    "<i/onclick=__xss()>click</i>",
    "<em><script>__xss()</script></em>",
    '<b title="</b><img src=x onerror=__xss()>">x</b>',
    "<strong>a<a href=javascript:__xss()>link</a></strong>",
    # Mutation XSS: markup a parser rewrites into something else
    '<noscript><p title="</noscript><img src=x onerror=__xss()>">',
    "<svg><style><img src=x onerror=__xss()></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss()>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=__xss()>",
    '<svg></p><style><a id="</style><img src=1 onerror=__xss()>">',
    "<template><img src=x onerror=__xss()></template>",
    "<xmp><img src=x onerror=__xss()></xmp>",
    '<iframe srcdoc="<script>parent.__xss()</script>"></iframe>',
    '<a href="&#106;avascript:__xss()">x</a>',
    '<a href="jav&#x09;ascript:__xss()">x</a>',
    # Unicode
    "\uff1cscript\uff1e__xss()\uff1c/script\uff1e",
    "<scr\u200bipt>__xss()</scr\u200bipt>",
    "<img src=x \u000conerror=__xss()>",
    "<img src=x onerror\u00a0=__xss()>",
    "\u2028<script>__xss()</script>\u2029",
    "\ufeff<svg onload=__xss()>",
    "\U0001d4b6<img src=x onerror=__xss()>",
    "<ſcript>__xss()</ſcript>",
    "<img src=x onerror=\\u005f\\u005fxss()>",
    "%3Cscript%3E__xss()%3C/script%3E",
    # Addresses a form accepts (quoted local parts, apostrophes, back-ticks): shown on the desk
    '"<script>__xss()</script>"@example.com',
    '"<svg/onload=__xss()>"@example.com',
    '"<img/src=x/onerror=__xss()>"@example.com',
    "x'onmouseover='__xss`1`'@example.com",
    "'autofocus/onfocus='__xss`1`'@example.com",
]


@dataclass(frozen=True)
class Payload:
    text: str
    source: str


def payloads():
    """Every payload, de-duplicated, lists first (in file order), then our mutations."""
    seen, found = set(), []
    for name in LISTS:
        for line in (DATA / name).read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip() and line not in seen:
                seen.add(line)
                found.append(Payload(line, name))
    for text in MUTATIONS:
        if text not in seen:
            seen.add(text)
            found.append(Payload(text, "mutations"))
    return found


def sample(count):
    """`count` payloads spread evenly over the corpus (lists and mutations alike), always the
    same ones; all of them when ATTACK=full."""
    return payloads() if FULL else spread(payloads(), count)


def spread(items, count):
    """`count` of `items` spread evenly over them, always the same ones (all when count is 0
    or more than there are)."""
    if count <= 0 or count >= len(items):
        return list(items)
    step = len(items) / count
    return [items[int(n * step)] for n in range(count)]


def address_for(payload, n):
    """(address, carried): an address carrying the payload when one can (forms accept only
    valid addresses), else a plain numbered one."""
    try:
        validate_email(payload.text)
    except ValidationError:
        pass
    else:
        return payload.text, True
    candidate = f"{payload.text.replace(' ', '')[:40]}@example.com"
    try:
        validate_email(candidate)
    except ValidationError:
        return f"xss{n}@example.com", False
    return candidate, True


def address_shaped():
    """The payloads that are whole addresses: few, and the only ones a form keeps as typed in
    its address field; the short setting adds them to its sample."""
    return [p for p in payloads() if p.text.endswith("@example.com")]


def serve(body, content_type):
    """A Playwright route handler that answers with `body` (an email's part, opened as a
    page). One parameter: Playwright passes the request too to a handler that takes two."""
    return lambda route: route.fulfill(body=body, content_type=content_type)


TRAP_SCRIPT = r"""
(() => {
  const hits = [], csp = [];
  Object.defineProperty(window, "__xssHits", {value: hits});
  Object.defineProperty(window, "__cspViolations", {value: csp});
  const trip = (how) => function () {
    hits.push(how + "(" + Array.from(arguments).map(String).join(",").slice(0, 120) + ")");
  };
  window.__xss = trip("__xss");
  window.alert = trip("alert");
  window.confirm = trip("confirm");
  window.prompt = trip("prompt");
  window.print = trip("print");
  document.addEventListener("securitypolicyviolation", (e) => {
    csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
  });
})();
"""

DOM_CHECK = r"""
([strictInline, allowed]) => {
  const bad = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "background", "poster", "lowsrc", "dynsrc", "ping", "srcset", "manifest", "codebase",
    "cite", "longdesc", "usemap", "itemtype"]);
  const dangerous = /^(javascript|vbscript|livescript|data:text\/html|data:image\/svg|data:application)/;
  const strip = (value) => value.replace(/[\u0000-\u0020\u007f-\u00a0\u200b-\u200f\ufeff]/g, "").toLowerCase();
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) bad.push(`<${tag} ${name}="${attribute.value.slice(0, 80)}">`);
      if (name === "srcdoc") bad.push(`<${tag} srcdoc>`);
      if (urlAttributes.has(name) && dangerous.test(strip(attribute.value)))
        bad.push(`<${tag} ${name}="${attribute.value.slice(0, 80)}">`);
      if (name === "style" && /expression\(|javascript:|url\(\s*['"]?\s*javascript/i.test(attribute.value))
        bad.push(`<${tag} style="${attribute.value.slice(0, 80)}">`);
    }
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base"].includes(tag)
        && !allowed.some((selector) => element.matches(selector)))
      bad.push(`<${tag}>`);
    if (tag === "meta" && /refresh/i.test(element.getAttribute("http-equiv") || ""))
      bad.push("<meta http-equiv=refresh>");
    if (tag === "script") {
      const type = (element.getAttribute("type") || "").toLowerCase();
      if (type === "application/ld+json") {
        try { JSON.parse(element.textContent); } catch (error) { bad.push("JSON-LD that does not parse"); }
      } else if (type === "application/json") {
        // data, never run (Wagtail's admin passes its settings this way)
      } else if (!element.src && !element.nonce
                 && (strictInline || /__xss|alert|confirm|prompt/.test(element.textContent))) {
        bad.push(`inline <script> without the page's nonce: ${element.textContent.slice(0, 80)}`);
      } else if (element.src && new URL(element.src).origin !== location.origin) {
        bad.push(`<script src=${element.src}>`);
      }
    }
  }
  return {bad, hits: window.__xssHits || [], csp: window.__cspViolations || []};
}
"""


# Where the runs serve an email's HTML part to the browser (never a real host).
MAIL_ORIGIN = "http://mail.test"


def site_trap(context, site_url):
    """The trap for a run against the site at `site_url`: its pages and served emails may
    load; the public pages are the site's outside /admin/ (CSP violations count there)."""
    return Trap(
        context,
        [site_url, MAIL_ORIGIN],
        public=lambda url: not url.startswith((site_url + "/admin/", MAIL_ORIGIN)),
    )


class Trap:
    """The trap on one browser context (see the module's docstring); `findings` lists
    (page label, what was found); `pages` counts the pages checked."""

    def __init__(self, context, own_origins, public=lambda url: True):
        self.findings = []
        self.pages = 0
        self.public = public
        self._dialogs = []
        self._external = []
        context.add_init_script(TRAP_SCRIPT)
        origins = tuple(own_origins)

        def route(route):
            url = route.request.url
            if url.startswith(origins) or url.startswith(("data:", "blob:", "about:")):
                route.continue_()
            else:
                self._external.append(url)
                route.abort()

        context.route("**/*", route)
        context.on("page", self.watch)
        for page in context.pages:
            self.watch(page)

    def watch(self, page):
        def on_dialog(dialog):
            self._dialogs.append(f"{dialog.type}: {dialog.message[:80]}")
            dialog.dismiss()

        page.on("dialog", on_dialog)

    def check(self, page, label, public=None, allowed=()):
        """Inspect the page now loaded; record what the trap caught since the last check.
        `allowed`: CSS selectors of frames the page itself renders (Wagtail's preview panel
        on the page editor); their attributes are still checked."""
        self.pages += 1
        public = public if public is not None else self.public(page.url)
        # Public pages allow no inline script without the nonce (their CSP); the admin's
        # looser policy allows Wagtail's own, so there only an inline script that calls the
        # trap's names counts (and one that ran has tripped the trap).
        result = page.evaluate(DOM_CHECK, [public, list(allowed)])
        found = [f"DOM: {item}" for item in result["bad"]]
        found += [f"script ran: {hit}" for hit in result["hits"]]
        found += [f"dialog: {dialog}" for dialog in self._dialogs]
        found += [f"request to another host: {url}" for url in self._external]
        if public:
            found += [f"CSP violation: {violation}" for violation in result["csp"]]
        self._dialogs.clear()
        self._external.clear()
        self.findings += [(label, item) for item in found]
        return found
