/* Replies under a letter: a live character count, and "Reply" opening the form in place.
   Everything works without this file: the form posts normally and "Reply" links to a page
   with its own form. */
(function () {
    "use strict";

    function describeCount(textarea, output) {
        var max = parseInt(textarea.getAttribute("data-max-length"), 10);
        var left = max - textarea.value.length;
        output.textContent = left >= 0
            ? left + " of " + max + " characters left."
            : (-left) + " characters over the limit of " + max + ": please shorten your reply.";
        output.classList.toggle("field__count--over", left < 0);
    }

    document.querySelectorAll("[data-count-for]").forEach(function (output) {
        var textarea = document.getElementById(output.getAttribute("data-count-for"));
        if (!textarea) { return; }
        var update = function () { describeCount(textarea, output); };
        textarea.addEventListener("input", update);
        update();
    });

    // The error summary takes the focus, so a screen reader announces it and Tab reaches its
    // links first (the GOV.UK pattern).
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }

    // A reader who sent replies from this browser sees those still awaiting moderation, here
    // only (the page itself is the same for everyone, and can be cached). Above their own
    // reply, "Be the first" would be untrue for them: the invitation goes.
    var head = document.querySelector("[data-own-replies]");
    if (head && /(?:^|; )pursebop_has_posted=1/.test(document.cookie) && window.fetch) {
        fetch(head.getAttribute("data-own-replies"), {credentials: "same-origin"})
            .then(function (response) { return response.status === 200 ? response.text() : ""; })
            .then(function (html) {
                if (!html) { return; }
                var box = document.createElement("div");
                box.innerHTML = html;  // our own page's HTML: the reply text is sanitised
                head.parentNode.insertBefore(box.firstElementChild, head.nextSibling);
                var empty = document.querySelector("[data-replies-empty]");
                if (empty) { empty.parentNode.removeChild(empty); }
            })
            .catch(function () {});  // nothing lost: the posted page told them already
    }

    var form = document.querySelector("[data-reply-form]");
    if (!form) { return; }

    // A page the same for every reader (and kept by caches) marks its form data-fresh: it
    // holds no CSRF token, and its signed "opened at" value is the page's, which posts
    // nothing by itself. When the reader first enters the form, ask for a token and a
    // one-use value: the typing time counts from then, and the value posts one reply.
    // Without this script the first send comes back as a confirm step, text kept, with a
    // fresh form: pressing Send there posts it. A form rendered for one reader has its own.
    var freshUrl = form.getAttribute("data-fresh");
    var fresh = null;
    var freshDone = false;

    function setHidden(name, value) {
        var input = form.querySelector("input[name=" + name + "]");
        if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            form.insertBefore(input, form.firstChild);
        }
        input.value = value;
    }

    function refresh() {
        if (fresh || !freshUrl || !window.fetch) { return fresh; }
        var query = ["content_type", "object_pk"].map(function (name) {
            var input = form.querySelector("input[name=" + name + "]");
            return name + "=" + encodeURIComponent(input ? input.value : "");
        }).join("&");
        fresh = fetch(freshUrl + "?" + query, {credentials: "same-origin", cache: "no-store"})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (values) {
                if (values) {
                    Object.keys(values).forEach(function (name) { setHidden(name, values[name]); });
                }
            })
            .catch(function () {})  // the post still comes back with the text and a fresh form
            .then(function () { freshDone = true; });
        return fresh;
    }
    form.addEventListener("focusin", refresh);

    // A second click while the first post is on its way would send the reply twice.
    var send = form.querySelector("button[type=submit]");
    var sendLabel = send ? send.textContent : "";
    form.addEventListener("submit", function (event) {
        if (form.getAttribute("data-sending")) {
            event.preventDefault();
            return;
        }
        form.setAttribute("data-sending", "1");
        if (send) {
            send.setAttribute("aria-disabled", "true");
            send.textContent = "Sending…";
        }
        var waiting = refresh();
        if (waiting && !freshDone) {  // sent before the token arrived: send once it has
            event.preventDefault();
            waiting.then(function () { form.submit(); });
        }
    });
    // Back from the next page (bfcache): the form is usable again.
    window.addEventListener("pageshow", function () {
        form.removeAttribute("data-sending");
        if (send) {
            send.removeAttribute("aria-disabled");
            send.textContent = sendLabel;
        }
    });
    var home = form.parentNode;
    var homeNext = form.nextSibling;
    var replyTo = form.querySelector("input[name=reply_to]");
    var banner = form.querySelector("[data-replying-to]");
    var bannerName = form.querySelector("[data-replying-name]");
    var textarea = form.querySelector("textarea");

    // Each reply's item is <li id="reply-ID"> with the reader's name in its header's <bdi>.
    document.querySelectorAll(".reply-list .reply__reply").forEach(function (link) {
        link.addEventListener("click", function (event) {
            event.preventDefault();
            var item = link.closest("li");
            var name = item.querySelector("header bdi");
            item.appendChild(form);
            replyTo.value = item.id.replace("reply-", "");
            bannerName.textContent = name ? name.textContent : "";
            banner.hidden = false;
            textarea.focus();
        });
    });

    // Hidden in the markup: without this script the button could do nothing.
    var cancel = form.querySelector("[data-cancel-reply]");
    cancel.hidden = false;
    cancel.addEventListener("click", function () {
        home.insertBefore(form, homeNext);
        replyTo.value = "0";
        banner.hidden = true;
        textarea.focus();
    });
}());
