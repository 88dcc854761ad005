"""How apps above the column plug into it: the contract between the column and the apps that
build on it. `advice` never names those apps; they register here from their AppConfig.ready(),
as reply targets register with `comments.targets`. The reader letters' app, for one:

    from advice import plugins
    plugins.register_page_type(WriteInPage, parent="advice.AdviceIndexPage", chosen_as="write_in")
    plugins.register_fragment("write_in", "<its app>/write_in_link.html")

- A page type registered under a parent is one more of the parent's `subpage_types`
  (`SubpageTypes` below), so editors can add it there.
- A page type registered `chosen_as` a name is what the column's chooser of that name offers
  (`RegisteredPageChooserPanel`): the column's "write-in page" is chosen among the "write_in"
  types.
- A fragment registered for a slot is drawn wherever the column's templates hold that slot:
  `{% column_fragments "write_in" column=page %}` (advice_tags) renders each fragment of the
  slot in turn, a template name with the page's context plus the tag's arguments, or a
  callable as `fragment(context, **arguments)` returning HTML (marked safe; plain text is
  escaped). With no app registered, the slot renders nothing.

- An editor panel registered for a slot is shown in the page editor wherever a page type's
  panels hold that slot (`RegisteredEditorPanel`): `panel(page, request)` returns None when it
  has nothing for this page and this editor, else (heading, HTML). The letter's editor holds
  "letter", at the top of its content tab (the reader letter a draft was made from).
- A form panel registered for a slot is part of the page's edit form wherever a page type's
  panels hold that slot (`RegisteredFormPanels`): a Wagtail panel of the registering app's own
  fields, usually an `InlinePanel` of a model with a `ParentalKey` to the page, so what the
  editor sets is kept in the page's revisions and drafts and saved with the page when it is
  published. The letter's editor holds "email", in its content tab after the answer (the
  newsletter's email cut).

The slots the column's pages hold: "write_in" (with `column`, the column the page belongs to),
on the home page once per column, on a column and on a letter; "navigation" (with `column`),
items (`<li>`) of the site's header navigation after its sections, on every page that
belongs to a column and on the home page (its first column), nowhere else
(advice_tags.nav_column).
"subscribe" (with `column`: the page's column, None on the home page), once on the home page
(after its write-in invitation), on each column (at the end of its aside) and on each letter
(after the answer).
"""

from collections import defaultdict

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.admin.panels import MultiFieldPanel, PageChooserPanel, Panel

_subpage_types = defaultdict(list)  # "app_label.modelname" of a parent -> [page models]
_chosen = defaultdict(list)  # a chooser's name -> [page models it offers]
_fragments = defaultdict(list)  # a slot's name -> [template names or callables]
_editor_panels = defaultdict(list)  # an editor slot's name -> [callables]
_form_panels = defaultdict(list)  # a form slot's name -> [(Wagtail panel, heading)]


def register_page_type(model, parent, chosen_as=None):
    """Let editors add pages of `model` under pages of `parent` ("advice.AdviceIndexPage"), and, with
    `chosen_as`, offer them in the column's chooser of that name."""
    _add(_subpage_types[parent.lower()], model)
    if chosen_as:
        _add(_chosen[chosen_as], model)
    return model


def register_fragment(slot, fragment):
    """Draw `fragment` (a template name or a callable) in the column's `slot`."""
    _add(_fragments[slot], fragment)
    return fragment


def register_editor_panel(slot, panel):
    """Show `panel(page, request)` -> None or (heading, HTML) in the editor's `slot`."""
    _add(_editor_panels[slot], panel)
    return panel


def register_form_panel(slot, panel, heading=""):
    """Add `panel` (a Wagtail panel of the page's fields or child relations) to the edit form
    wherever a page type's panels hold `slot`, the slot headed `heading` (the first given)."""
    _add(_form_panels[slot], (panel, heading))
    return panel


def _add(registered, item):
    if item not in registered:  # ready() may run twice in tests; once is enough
        registered.append(item)


def subpage_types(parent):
    return list(_subpage_types[parent._meta.label_lower])


def chosen_page_types(name):
    return list(_chosen[name])


def render_fragments(slot, context, **arguments):
    """Every fragment of `slot`, rendered in `context` with `arguments`, as one piece of HTML."""
    parts = []
    for fragment in _fragments[slot]:
        if callable(fragment):
            parts.append(conditional_escape(fragment(context, **arguments)))
        else:
            template = context.template.engine.get_template(fragment)
            with context.push(**arguments):
                parts.append(template.render(context))
    return mark_safe("".join(parts))


class SubpageTypes:
    """A page class's `subpage_types`: its own, then the types registered under it. Wagtail
    reads the attribute when it first needs the list (`clean_subpage_models()`), after every
    app's ready()."""

    def __init__(self, *own):
        self.own = list(own)

    def __get__(self, instance, owner):
        return self.own + subpage_types(owner)


class RegisteredPageChooserPanel(PageChooserPanel):
    """A page chooser offering the page types registered `chosen_as` its name, read when the
    edit form is built (after every app's ready()). With none registered, any page."""

    def __init__(self, field_name, chooser, **kwargs):
        kwargs.pop("page_type", None)  # clone_kwargs() passes it back; the registry decides
        super().__init__(field_name, **kwargs)
        self.chooser = chooser

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "chooser": self.chooser}

    def get_form_options(self):
        self.page_type = chosen_page_types(self.chooser) or None
        return super().get_form_options()


class _SlotPanel:
    """What a panel holding a registry slot keeps: the slot's name, through Wagtail's clone()
    and as the panel's name."""

    def __init__(self, slot, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "slot": self.slot}

    @property
    def clean_name(self):
        return f"registered_{self.slot}"


class RegisteredEditorPanel(_SlotPanel, Panel):
    """A read-only panel of the page editor showing what apps registered for `slot`, under
    the heading the first of them gives; hidden when none has anything for this page (a new
    page, a page nothing refers to) or this editor."""

    class BoundPanel(Panel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.parts = []
            if self.instance is not None and self.instance.pk:
                for panel in _editor_panels[self.panel.slot]:
                    part = panel(self.instance, self.request)
                    if part:
                        self.parts.append(part)
            if self.parts:
                self.heading = self.parts[0][0]

        def is_shown(self):
            return bool(self.parts)

        def render_html(self, parent_context=None):
            return mark_safe("".join(conditional_escape(html) for _, html in self.parts))


class RegisteredFormPanels(_SlotPanel, MultiFieldPanel):
    """The panels apps registered for `slot`, part of the edit form, under the first heading
    they were registered with. Its children are read when Wagtail binds the edit handler to the
    page model (its first use, after every app's ready()); with none registered, nothing is
    shown and the form gains no field."""

    def __init__(self, slot, children=(), **kwargs):
        super().__init__(slot, children, **kwargs)

    def on_model_bound(self):
        registered = _form_panels[self.slot]
        self.children = [panel for panel, _ in registered]
        if not self.heading:
            self.heading = next((heading for _, heading in registered if heading), "")
        super().on_model_bound()
