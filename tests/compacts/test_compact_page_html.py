"""The compact page's commitment cards are rendered in Python (compacts_tags.commitment_cards);
they must read exactly as the template they replaced, with its escaping, for readers and
editors."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone

from compacts.choices import CommitmentStatus, MilestoneStatus
from compacts.selectors import compact_page
from compacts.templatetags.compacts_tags import commitment_cards
from tests.compacts.factories import (
    CommitmentFactory,
    CompactFactory,
    MilestoneFactory,
    ParticipantFactory,
)
from tests.schools.factories import DistrictFactory

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
HOSTILE = "<b>Bold</b> & \"quoted\" 'single'"

# The template the cards replaced (compact_detail.html before the change, with {% url %} and
# {% history_link %}), as the reference.
REFERENCE = Template((Path(__file__).parent / "compact_cards_reference.html").read_text())


def _normalized(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


@pytest.fixture
def commitments(city_x):
    compact = CompactFactory(city=city_x)
    hostile = ParticipantFactory(
        compact=compact, organization=DistrictFactory(name=HOSTILE, city=city_x)
    )
    plain = ParticipantFactory(
        compact=compact, organization=DistrictFactory(name="Plain ISD", city=city_x)
    )
    rich = CommitmentFactory(
        compact=compact,
        title=HOSTILE,
        description=HOSTILE,
        status=CommitmentStatus.ACHIEVED,
        achieved_on=datetime.date(2020, 5, 1),
        target_on=datetime.date(2020, 6, 1),
    )
    rich.participants.set([hostile, plain])
    MilestoneFactory(commitment=rich, title=HOSTILE, due_on=TODAY - DAY)
    MilestoneFactory(
        commitment=rich,
        title="Done with evidence",
        due_on=datetime.date(2019, 1, 1),
        status=MilestoneStatus.DONE,
        completed_on=datetime.date(2019, 1, 2),
        evidence_url='https://example.org/?a=1&b="2"',
    )
    MilestoneFactory(commitment=rich, title="Future", due_on=TODAY + DAY)
    CommitmentFactory(compact=compact, title="Bare", description="")
    return compact


@pytest.mark.parametrize("can_edit", [False, True])
def test_the_cards_read_as_the_template_they_replaced(superuser, commitments, can_edit):
    page = compact_page(user=superuser, pk=commitments.pk)
    shown = [c for group in page.commitment_groups for c in group.commitments]
    assert len(shown) == 2
    here = "/compacts/1/%3Fx%3D1"
    reference = REFERENCE.render(
        Context({"group": {"commitments": shown}, "can_edit": can_edit, "here": here})
    )
    fast = commitment_cards(shown, can_edit, here)
    assert _normalized(fast) == _normalized(reference)


def test_the_cards_escape_what_staff_typed(superuser, commitments):
    page = compact_page(user=superuser, pk=commitments.pk)
    shown = [c for group in page.commitment_groups for c in group.commitments]
    html = commitment_cards(shown, True, "/here/")
    assert HOSTILE not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;single&#x27;" in html
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in html
    assert html.count(">Overdue<") == 1
