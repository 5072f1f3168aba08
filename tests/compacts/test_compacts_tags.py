"""The compact page's template helpers say what Django's own helpers say, for less."""

from compacts.models import Milestone
from compacts.templatetags.compacts_tags import label


def test_label_is_what_get_display_says():
    for code, _ in Milestone._meta.get_field("status").flatchoices:
        milestone = Milestone(status=code)
        assert label(milestone, "status") == milestone.get_status_display()


def test_label_of_an_unknown_code_is_the_code_as_get_display_gives_it():
    milestone = Milestone(status="not-a-status")
    assert label(milestone, "status") == milestone.get_status_display() == "not-a-status"
