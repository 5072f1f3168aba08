"""The compact page is templates in one cached fragment (compacts.page_cache): what staff typed
is escaped whether the page is rendered or served from the cache, and the fragment never crosses
the line between editors and readers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import DistrictFactory, FunderFactory, LeadershipTermFactory

TODAY = timezone.localdate()
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(2)>'
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;")


def page_url(compact) -> str:
    return reverse("compacts:compact", kwargs={"pk": compact.pk})


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, title="Xville Compact")


@pytest.fixture
def hostile(compact):
    """Hostile text in every field staff type that the page shows."""
    city = compact.city
    compact.title, compact.summary = f"Compact {BREAKOUT}", f"Summary {SCRIPT}"
    compact.save()
    district = ParticipantFactory(
        compact=compact, organization=DistrictFactory(name=f"District {SCRIPT}", city=city)
    )
    commitment = CommitmentFactory(
        compact=compact, title=f"Commitment {SCRIPT}", description=f"Described {BREAKOUT}"
    )
    commitment.participants.set([district])
    MilestoneFactory(
        commitment=commitment, title=f"Milestone {BREAKOUT}", notes=SCRIPT, due_on=TODAY
    )
    ActivityFactory(
        compact=compact, commitment=commitment, title=f"Activity {SCRIPT}", notes=BREAKOUT
    )
    GrantFactory(compact=compact, funder=FunderFactory(name=f"Funder {BREAKOUT}"), purpose=SCRIPT)
    term = LeadershipTermFactory(
        organization=district.organization,
        person__full_name=f"Person {BREAKOUT}",
        title=f"Title {SCRIPT}",
    )
    SignatoryFactory(compact=compact, leadership_term=term)
    return compact


@pytest.mark.parametrize("client_name", ["editor_client", "viewer_client"])
def test_what_staff_typed_is_escaped_rendered_and_cached(request, hostile, client_name):
    client = request.getfixturevalue(client_name)
    for _ in ("rendered", "from the cache"):
        html = body(client, page_url(hostile))
        assert SCRIPT not in html
        assert "<img src=x" not in html
        for escaped in ESCAPED:
            assert escaped in html
        for shown in ("District ", "Commitment ", "Described ", "Milestone ", "Activity "):
            assert shown in html
        for shown in ("Funder ", "Person ", "Title ", "Compact ", "Summary "):
            assert shown in html


def test_a_reader_sees_no_edit_control_after_an_editor_warmed_the_page(
    editor_client, viewer_client, hostile
):
    assert "Edit commitment" in body(editor_client, page_url(hostile))
    html = body(viewer_client, page_url(hostile))
    for marker in ("/edit/", "/delete/", "/new/", "/done/", "Edit commitment"):
        assert marker not in html, marker


def test_an_editor_sees_the_edit_controls_after_a_reader_warmed_the_page(
    editor_client, viewer_client, hostile
):
    assert "/edit/" not in body(viewer_client, page_url(hostile))
    html = body(editor_client, page_url(hostile))
    assert "Edit commitment" in html
    assert "Mark done" in html


def test_edit_links_return_to_the_address_the_editor_came_from(editor_client, hostile):
    body(editor_client, page_url(hostile))
    html = body(editor_client, page_url(hostile) + "?from=list")
    assert f"?next={page_url(hostile)}%3Ffrom%3Dlist" in html
