"""A successor re-affirms a compact: the signatory row with `reaffirmed_on`, its date rules in
clean() and in the database, the service that picks the seat's holder, the editors' form reached
from the compact page, and what the compact page shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from compacts import services
from compacts.models import Signatory
from schools.choices import DatePrecision
from tests.compacts.factories import CompactFactory, SignatoryFactory
from tests.schools.factories import LeadershipTermFactory, PersonFactory

pytestmark = pytest.mark.django_db

SIGNED = datetime.date(2012, 1, 15)


@pytest.fixture
def compact(city_x):
    return CompactFactory(city=city_x, signed_on=SIGNED, title="Xville Compact")


@pytest.fixture
def departed(compact):
    """The superintendent who signed, gone since mid-2014."""
    return SignatoryFactory(
        compact=compact,
        leadership_term__person=PersonFactory(full_name="Ann Signer"),
        leadership_term__ended_on=datetime.date(2014, 6, 30),
    )


@pytest.fixture
def successor(departed):
    seat = departed.leadership_term
    return LeadershipTermFactory(
        organization=seat.organization,
        role=seat.role,
        person=PersonFactory(full_name="Bo Successor"),
        started_on=datetime.date(2014, 7, 1),
    )


def _reaffirmation(departed, successor, **fields):
    fields.setdefault("reaffirmed_on", datetime.date(2015, 3, 2))
    return Signatory(compact=departed.compact, leadership_term=successor, **fields)


# --- the model ---


def test_a_reaffirmation_may_be_dated_from_the_successors_first_day_on(departed, successor):
    _reaffirmation(departed, successor, reaffirmed_on=successor.started_on).full_clean()


def test_a_reaffirmation_before_the_successor_took_the_seat_is_refused(departed, successor):
    with pytest.raises(ValidationError) as error:
        _reaffirmation(departed, successor, reaffirmed_on=datetime.date(2014, 6, 30)).full_clean()

    assert error.value.message_dict["reaffirmed_on"] == [
        "Bo Successor took the seat on 1 Jul 2014: a re-affirmation comes after that."
    ]


def test_a_reaffirmation_in_the_future_is_refused(departed, successor):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        _reaffirmation(departed, successor, reaffirmed_on=tomorrow).full_clean()

    assert "in the future" in error.value.message_dict["reaffirmed_on"][0]


def test_a_reaffirmation_after_the_successor_left_is_refused(departed, successor):
    successor.ended_on = datetime.date(2016, 6, 30)
    successor.save()

    with pytest.raises(ValidationError) as error:
        _reaffirmation(departed, successor, reaffirmed_on=datetime.date(2016, 7, 1)).full_clean()

    assert "left the seat on 30 Jun 2016" in error.value.message_dict["reaffirmed_on"][0]


def test_a_reaffirmation_before_the_signing_is_refused(compact):
    # An interim in post before the signing, who did not sign.
    term = LeadershipTermFactory(
        organization__city=compact.city, started_on=datetime.date(2011, 1, 1)
    )

    with pytest.raises(ValidationError) as error:
        Signatory(
            compact=compact, leadership_term=term, reaffirmed_on=datetime.date(2011, 6, 1)
        ).full_clean()

    assert error.value.message_dict["reaffirmed_on"] == [
        "The compact was signed on 15 Jan 2012: a re-affirmation comes after that."
    ]


def test_a_successor_needs_no_term_on_the_signing_day_but_an_original_signer_does(
    departed, successor
):
    with pytest.raises(ValidationError) as error:
        Signatory(compact=departed.compact, leadership_term=successor).full_clean()

    assert "was not in this seat on the signing date" in str(error.value)
    _reaffirmation(departed, successor).full_clean()


def test_the_database_refuses_a_reaffirmation_dated_before_the_successors_term(departed, successor):
    reaffirmation = _reaffirmation(departed, successor)
    reaffirmation.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.filter(pk=reaffirmation.pk).update(
            reaffirmed_on=datetime.date(2013, 1, 1)
        )


def test_the_database_refuses_a_date_precision_on_an_original_signer(departed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.filter(pk=departed.pk).update(reaffirmed_on_precision=DatePrecision.YEAR)


def test_the_cross_table_triggers_survive_the_reaffirmation_migrations(departed, successor):
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = " ".join(row[0] for row in cursor.fetchall())

    assert "compacts_signatory_reaffirmed_in_term" in names
    assert "compacts_signatory_same_city" in names


# --- the service ---


def test_reaffirm_records_the_seats_holder_with_history(departed, successor, editor):
    reaffirmation = services.signatory_reaffirm(
        signatory=departed,
        reaffirmed_on=datetime.date(2015, 3, 2),
        source_url="https://example.org/minutes",
        actor=editor,
    )

    assert reaffirmation.leadership_term == successor
    assert reaffirmation.compact == departed.compact
    version = reaffirmation.history.get()
    assert version.history_user == editor
    assert version.reaffirmed_on == datetime.date(2015, 3, 2)
    assert version.source_url == "https://example.org/minutes"


def test_reaffirm_is_refused_at_a_vacant_seat(departed, editor):
    with pytest.raises(ValidationError) as error:
        services.signatory_reaffirm(
            signatory=departed, reaffirmed_on=datetime.date(2015, 3, 2), actor=editor
        )

    assert "Nobody is recorded in post as superintendent" in str(error.value)
    assert Signatory.objects.count() == 1


def test_reaffirm_is_refused_when_the_holder_already_did(departed, successor, editor):
    services.signatory_reaffirm(
        signatory=departed, reaffirmed_on=datetime.date(2015, 3, 2), actor=editor
    )

    with pytest.raises(ValidationError) as error:
        services.signatory_reaffirm(
            signatory=departed, reaffirmed_on=datetime.date(2016, 3, 2), actor=editor
        )

    assert "Bo Successor already signed or re-affirmed Xville Compact" in str(error.value)


# --- the form and the compact page ---


def _url(signatory) -> str:
    return f"/signatories/{signatory.pk}/reaffirm/"


def test_the_form_names_the_successor_it_will_record(editor_client, departed, successor):
    response = editor_client.get(_url(departed))

    assert response.status_code == 200
    text = response.content.decode()
    assert "In post now: <strong>Bo Successor</strong>" in text
    assert "Ann Signer signed as superintendent" in text
    # No date is suggested: today's would be saved unread for an old recommitment.
    assert 'name="reaffirmed_on" value=' not in text


def test_an_editor_records_a_reaffirmation_and_sees_it_on_the_compact_page(
    editor_client, departed, successor
):
    response = editor_client.post(
        _url(departed),
        {"reaffirmed_on": "2015-03-02", "reaffirmed_on_precision": "day", "source_url": ""},
    )

    compact_url = f"/compacts/{departed.compact_id}/"
    assert response.status_code == 302 and response["Location"] == compact_url
    assert Signatory.objects.get(leadership_term=successor).reaffirmed_on == datetime.date(
        2015, 3, 2
    )
    page = editor_client.get(compact_url).content.decode()
    assert "Re-affirmed by <strong>Bo Successor</strong> on 2 Mar 2015." in page
    assert "Record re-affirmation" not in page


def test_a_bad_date_is_refused_next_to_the_field_and_the_input_kept(
    editor_client, departed, successor
):
    response = editor_client.post(
        _url(departed), {"reaffirmed_on": "2013-05-01", "reaffirmed_on_precision": "day"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reaffirmed_on"] == [
        "Bo Successor took the seat on 1 Jul 2014: a re-affirmation comes after that."
    ]
    assert 'value="2013-05-01"' in response.content.decode()
    assert Signatory.objects.count() == 1


def test_at_a_vacant_seat_the_form_says_so_and_saves_nothing(editor_client, departed):
    page = editor_client.get(_url(departed)).content.decode()
    response = editor_client.post(
        _url(departed), {"reaffirmed_on": "2015-03-02", "reaffirmed_on_precision": "day"}
    )

    assert "Nobody is recorded in post as superintendent" in page
    assert response.status_code == 200
    assert Signatory.objects.count() == 1


def test_viewers_may_not_and_outsiders_do_not_find_the_form(
    viewer_client, outsider_client, departed, successor
):
    data = {"reaffirmed_on": "2015-03-02", "reaffirmed_on_precision": "day"}

    assert viewer_client.post(_url(departed), data).status_code == 403
    assert outsider_client.post(_url(departed), data).status_code == 404
    assert Signatory.objects.count() == 1


def test_the_compact_page_offers_the_action_to_editors_only_where_a_successor_has_not_recommitted(
    editor_client, viewer_client, departed, successor
):
    in_post = SignatoryFactory(compact=departed.compact)
    compact_url = f"/compacts/{departed.compact_id}/"

    as_editor = editor_client.get(compact_url).content.decode()
    as_viewer = viewer_client.get(compact_url).content.decode()

    assert as_editor.count("Record re-affirmation") == 1
    assert _url(departed) in as_editor and _url(in_post) not in as_editor
    assert "Bo Successor has not re-affirmed the compact." in as_viewer
    assert "Record re-affirmation" not in as_viewer
