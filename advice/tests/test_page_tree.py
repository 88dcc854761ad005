"""The page tree's grammar, creating every page type through the admin, previews, workflow."""

import json

from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Site, Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from advice.models import (
    AdviceIndexPage,
    Columnist,
    GuideIndexPage,
    GuidePage,
    HomePage,
    IndependentApprovalTask,
    LetterPage,
    LetterRelatedLink,
    Topic,
)
from advice.models.mixins import LETTER_FEATURES
from testing.pages import answer, publish_child


def build_tree(cls):
    """The conftest tree, for TestCase classes (pytest fixtures run outside their rollback)."""
    cls.root = Page.get_first_root_node()
    cls.home = publish_child(cls.root, HomePage(title="Dear PurseBop", slug="pursebop"))
    Site.objects.filter(is_default_site=True).update(
        root_page=cls.home, hostname="testserver", port=80
    )
    cls.column = publish_child(
        cls.home, AdviceIndexPage(title="Dear PurseBop", slug="dear-pursebop")
    )
    cls.guide_index = publish_child(cls.home, GuideIndexPage(title="Guides", slug="guides"))
    cls.columnist = Columnist.objects.create(name="Avery Stone", slug="avery-stone")
    cls.topic = Topic.objects.create(name="Special orders", slug="special-orders")
    cls.guide = publish_child(
        cls.guide_index,
        GuidePage(
            title="Insider's guide to special orders",
            slug="special-order-guide",
            body=json.dumps([{"type": "paragraph", "value": "<p>How it works.</p>"}]),
        ),
    )


class TestTreeRules(WagtailPageTestCase):
    def test_home_page_holds_columns_and_guide_indexes(self):
        self.assertAllowedSubpageTypes(HomePage, {AdviceIndexPage, GuideIndexPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_a_column_holds_letters_and_its_write_in_page_under_the_home_page(self):
        # the write-in page registered under it, named by string (advice never imports mailbag)
        write_in = apps.get_model("mailbag", "WriteInPage")
        self.assertAllowedSubpageTypes(AdviceIndexPage, {LetterPage, write_in})
        self.assertAllowedParentPageTypes(AdviceIndexPage, {HomePage})

    def test_a_letter_is_a_leaf_inside_a_column(self):
        self.assertAllowedSubpageTypes(LetterPage, set())
        self.assertAllowedParentPageTypes(LetterPage, {AdviceIndexPage})

    def test_the_guide_index_holds_only_guides_under_the_home_page(self):
        self.assertAllowedSubpageTypes(GuideIndexPage, {GuidePage})
        self.assertAllowedParentPageTypes(GuideIndexPage, {HomePage})

    def test_a_guide_is_a_leaf_inside_the_guide_index(self):
        self.assertAllowedSubpageTypes(GuidePage, set())
        self.assertAllowedParentPageTypes(GuidePage, {GuideIndexPage})

    def test_letters_and_guides_cannot_be_filed_in_each_others_index(self):
        self.assertCanNotCreateAt(GuideIndexPage, LetterPage)
        self.assertCanNotCreateAt(AdviceIndexPage, GuidePage)
        self.assertCanNotCreateAt(HomePage, LetterPage)


class TestCreatingTheHomePage(WagtailPageTestCase):
    def setUp(self):
        # Not self.login(): the test client's login() gives authenticate() no request,
        # which django-axes refuses.
        self.client.force_login(self.create_test_user())

    def test_home_page_can_be_created_at_the_root(self):
        root = Page.get_first_root_node()
        self.assertCanCreate(
            root,
            HomePage,
            nested_form_data(
                {
                    "title": "Dear PurseBop",
                    "slug": "pursebop",
                    "intro": rich_text("<p>Advice on handbags.</p>", features=LETTER_FEATURES),
                    "featured_guides": inline_formset([], max=4),
                    "write_in_heading": "Write to PurseBop",
                    "write_in_text": rich_text("<p>Send us your letter.</p>"),
                }
            ),
        )
        home = HomePage.objects.get(slug="pursebop")
        assert home.live
        assert home.write_in_heading == "Write to PurseBop"
        assert "Advice on handbags." in home.intro


class TestCreatingPages(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        build_tree(cls)

    def setUp(self):
        self.client.force_login(self.create_test_user())

    def test_column_can_be_created(self):
        self.assertCanCreate(
            self.home,
            AdviceIndexPage,
            nested_form_data(
                {
                    "title": "Ask the Archivist",
                    "intro": rich_text("<p>Vintage questions.</p>"),
                    "letters_per_page": "5",
                }
            ),
        )
        column = AdviceIndexPage.objects.get(slug="ask-the-archivist")
        assert column.letters_per_page == 5
        assert column.get_parent().pk == self.home.pk

    def test_guide_index_can_be_created(self):
        self.assertCanCreate(
            self.home,
            GuideIndexPage,
            nested_form_data(
                {"title": "More guides", "intro": rich_text("<p>Evergreen answers.</p>")}
            ),
        )
        assert GuideIndexPage.objects.get(slug="more-guides").live

    def test_guide_can_be_created(self):
        data = nested_form_data(
            {
                "title": "Caring for box calf",
                "dek": "Keep the shine without the scratches.",
                "body": streamfield(
                    [
                        ("heading", "Before you start"),
                        ("paragraph", rich_text("<p>Test a hidden spot first.</p>")),
                        ("pull_quote", {"quote": "Less is more.", "attribution": "A saddler"}),
                    ]
                ),
                "columnist": str(self.columnist.pk),
                "date": "2026-02-01",
                "hero_image": "",
            }
        )
        data["topics"] = [str(self.topic.pk)]
        self.assertCanCreate(self.guide_index, GuidePage, data)

        guide = GuidePage.objects.get(slug="caring-for-box-calf")
        assert [block.block_type for block in guide.body] == ["heading", "paragraph", "pull_quote"]
        assert guide.body[2].value["attribution"] == "A saddler"
        assert list(guide.topics.all()) == [self.topic]
        assert guide.columnist == self.columnist

    def letter_data(self, **overrides):
        data = {
            "title": "What happens if I reject my special order?",
            "dek": "A reader gets cold feet.",
            "letter": rich_text(
                "<p>I ordered a bag eighteen months ago and no longer want it.</p>",
                features=LETTER_FEATURES,
            ),
            "pen_name": "Second Guesser",
            "salutation": "",
            "answer": streamfield(
                [
                    ("paragraph", rich_text("<p>You can say no, but it has a cost.</p>")),
                    ("pull_quote", {"quote": "Your offer book remembers.", "attribution": ""}),
                ]
            ),
            "sign_off": "Good luck, and keep us posted.",
            "columnist": str(self.columnist.pk),
            "date": "2026-03-04",
            "hero_image": "",
            "related_links": inline_formset(
                [{"link_page": str(self.guide.pk), "external_url": "", "label": ""}]
            ),
            "allow_replies": "on",
        }
        data.update(overrides)
        form_data = nested_form_data(data)
        form_data["topics"] = [str(self.topic.pk)]
        return form_data

    def test_letter_can_be_created_with_its_answer_topics_and_related_guide(self):
        self.assertCanCreate(self.column, LetterPage, self.letter_data())

        letter = LetterPage.objects.get(slug="what-happens-if-i-reject-my-special-order")
        assert letter.live
        assert letter.get_parent().pk == self.column.pk
        assert letter.pen_name == "Second Guesser"
        assert "eighteen months" in letter.letter
        assert [block.block_type for block in letter.answer] == ["paragraph", "pull_quote"]
        assert "it has a cost" in letter.answer[0].value.source
        assert letter.answer[1].value["quote"] == "Your offer book remembers."
        assert letter.sign_off == "Good luck, and keep us posted."
        assert letter.columnist == self.columnist
        assert str(letter.date) == "2026-03-04"
        assert list(letter.topics.all()) == [self.topic]
        assert [link.link_page_id for link in letter.related_links.all()] == [self.guide.pk]
        assert letter.allow_replies

    def test_letter_without_related_links_can_be_created(self):
        self.assertCanCreate(
            self.column, LetterPage, self.letter_data(related_links=inline_formset([]))
        )
        letter = LetterPage.objects.get(slug="what-happens-if-i-reject-my-special-order")
        assert not letter.related_links.exists()

    def test_a_related_link_needs_exactly_one_of_page_and_external_link(self):
        both = inline_formset(
            [{"link_page": str(self.guide.pk), "external_url": "https://example.org/", "label": ""}]
        )
        data = {**self.letter_data(related_links=both), "slug": "reject", "action-publish": "1"}
        response = self.client.post(f"/admin/pages/add/advice/letterpage/{self.column.pk}/", data)

        assert response.status_code == 200  # the form again, not a redirect
        formset_errors = response.context["form"].formsets["related_links"].errors
        assert "one of the two" in str(formset_errors)
        assert not LetterPage.objects.exists()
        assert not LetterRelatedLink.objects.exists()

    def test_an_answer_cannot_be_empty(self):
        with self.assertRaisesMessage(AssertionError, "answer"):
            self.assertCanCreate(self.column, LetterPage, self.letter_data(answer=streamfield([])))
        assert not LetterPage.objects.exists()

    def test_letter_preview_renders(self):
        letter = LetterPage(
            title="Is a vintage Kelly worth it?",
            slug="vintage-kelly",
            letter="<p>I found one at an estate sale.</p>",
            pen_name="Estate Hunter",
            answer=answer("Check the stamp.", quote="Provenance is everything."),
            columnist=self.columnist,
            live=False,
        )
        self.column.add_child(instance=letter)
        letter.save_revision()
        # Wagtail 8 renders StreamField inputs in JavaScript, so the edit form's HTML cannot
        # provide the data: it is given explicitly.
        self.assertPageIsPreviewable(
            letter, post_data=self.letter_data(title=letter.title, slug=letter.slug)
        )

        # The preview shows the edited (unsaved) content, not the stored draft.
        preview_url = f"/admin/pages/{letter.pk}/edit/preview/"
        self.client.force_login(self._pageispreviewable_superuser)
        self.client.post(preview_url, self.letter_data())
        response = self.client.get(preview_url, {"mode": ""})
        assert response.status_code == 200
        html = response.content.decode()
        assert "What happens if I reject my special order?" in html
        assert "Your offer book remembers." in html
        assert "— Second Guesser" in html


class TestAnswerReviewWorkflow(WagtailPageTestCase):
    def test_answer_review_workflow_has_one_task_for_answer_reviewers(self):
        workflow = Workflow.objects.get(name="Answer review")
        assert workflow.active
        tasks = [task.specific for task in workflow.tasks]
        assert len(tasks) == 1
        assert isinstance(tasks[0], IndependentApprovalTask)
        assert isinstance(tasks[0], GroupApprovalTask)  # Wagtail's emails and views treat it so
        assert list(tasks[0].groups.all()) == [Group.objects.get(name="Answer reviewers")]
