"""The demo dataset: the public-record facts arrive whole, generated records say they are
illustrative, a reload changes nothing, and the dashboards get every health colour."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from compacts.choices import CommitmentStatus
from compacts.demo import BANNER, ILLUSTRATIVE, demo_counts, load_demo
from compacts.models import Activity, Commitment, Compact, Milestone, Signatory
from core.audit import SYSTEM_USERNAME
from core.concurrency import loaded_version, version_token
from core.context_processors import DEMO_BANNER_CACHE_KEY, current_demo_banner
from core.models import DemoDataset
from history.records import REGISTRY
from schools.models import CharterSchool, District, LeadershipTerm, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo dataset, loaded once for the module inside a transaction rolled back at its end;
    each test runs in a savepoint within it, so tests that reload see their own changes only."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield load_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_it_loads_every_compact_and_enough_history(demo):
    assert demo["cities"] == 23
    assert demo["compacts"] == 23
    assert demo["commitments"] >= 60
    assert demo["leadership terms"] >= 30
    assert demo["milestones"] > 0
    assert demo["activities"] > 0
    assert demo["grants"] == 8


def test_every_signatory_is_linked_to_a_term_in_post_when_signing(demo):
    signatories = Signatory.objects.select_related("compact", "leadership_term")
    assert signatories.filter(reaffirmed_on__isnull=True).count() >= 20
    for signatory in signatories:
        signatory.full_clean()
        term, compact = signatory.leadership_term, signatory.compact
        if signatory.reaffirmed_on is not None:  # a successor: in post when re-affirming
            assert compact.signed_on <= term.started_on <= signatory.reaffirmed_on
            continue
        assert term.started_on <= compact.signed_on
        assert term.ended_on is None or term.ended_on >= compact.signed_on


def test_the_only_documented_reaffirmation_is_mayor_walshs_renewal_of_the_boston_compact(demo):
    [reaffirmation] = Signatory.objects.filter(reaffirmed_on__isnull=False)

    assert reaffirmation.compact.city.name == "Boston"
    assert str(reaffirmation.leadership_term.person) == "Martin J. Walsh"
    assert (reaffirmation.reaffirmed_on, reaffirmation.reaffirmed_on_precision) == (
        datetime.date(2015, 1, 1),
        "year",
    )


def test_it_keeps_the_precision_of_dates_known_only_to_the_month_or_year(demo):
    new_york = Compact.objects.get(city__name="New York")
    assert new_york.signed_on == datetime.date(2010, 12, 1)
    assert new_york.signed_on_precision == "month"
    assert Compact.objects.get(city__name="Denver").signed_on_precision == "day"
    porter = LeadershipTerm.objects.get(person__full_name="John Porter")
    assert porter.date_precision == "year"


def test_it_keeps_leaids_as_strings_with_their_leading_zero(demo):
    assert District.objects.get(name="Los Angeles Unified").nces_leaid == "0622710"
    assert (
        District.objects.filter(
            name__in=["Recovery School District", "Orleans Parish School Board"]
        ).count()
        == 2
    )


def test_it_records_status_end_and_source_of_ended_compacts(demo):
    rochester = Compact.objects.get(city__name="Rochester")
    assert rochester.status == "terminated"
    assert rochester.ended_on == datetime.date(2013, 6, 1)
    assert "763" in rochester.summary
    assert rochester.document_url.startswith("http")


def test_achieved_commitments_have_a_date_and_others_none(demo):
    for commitment in Commitment.objects.all():
        commitment.full_clean()
    orleans = Commitment.objects.get(compact__city__name="New Orleans", category="ENR")
    assert orleans.achieved_on == datetime.date(2012, 2, 1)  # "launched Feb 2012"


def test_every_generated_record_says_it_is_illustrative(demo):
    assert not Milestone.objects.exclude(notes=ILLUSTRATIVE).exists()
    assert not Activity.objects.exclude(notes=ILLUSTRATIVE).exists()
    assert not CharterSchool.objects.exclude(name__endswith="(illustrative)").exists()


def test_generated_records_never_lie_in_the_future(demo):
    today = timezone.localdate()
    assert not Activity.objects.filter(occurred_on__gt=today).exists()
    assert not Milestone.objects.filter(completed_on__gt=today).exists()
    assert not Commitment.objects.filter(achieved_on__gt=today).exists()


def test_running_it_again_leaves_the_same_records_and_one_banner(demo, capsys):
    milestones = sorted(Milestone.objects.values_list("commitment_id", "title", "due_on"))
    cache.set(DEMO_BANNER_CACHE_KEY, "", None)
    call_command("load_demo")
    assert "Demo data loaded: 23 cities, 23 compacts" in capsys.readouterr().out
    assert demo_counts() == demo
    assert sorted(Milestone.objects.values_list("commitment_id", "title", "due_on")) == milestones
    assert DemoDataset.objects.get().banner == BANNER
    assert current_demo_banner() == (
        "Demo data from public reporting, 2010-2016; milestones and activities are illustrative."
    )


def test_it_is_deterministic_for_a_given_date(demo):
    def generated():
        return sorted(Activity.objects.values_list("compact__city__name", "occurred_on", "title"))

    today = timezone.localdate()
    first = generated()
    load_demo(today=today - datetime.timedelta(days=40))
    assert generated() != first
    load_demo(today=today)
    assert generated() == first


def _city_story(name: str, today: datetime.date) -> dict:
    compact = Compact.objects.get(city__name=name)
    milestones = Milestone.objects.filter(commitment__compact=compact)
    year_ago = today - datetime.timedelta(days=365)
    signatories = list(compact.signatories.select_related("leadership_term"))
    open_terms = sum(s.leadership_term.is_open_on(today) for s in signatories)
    return {
        "retention": open_terms / len(signatories) if signatories else None,
        "overdue": milestones.overdue(today).count(),
        "milestones": milestones.count(),
        "stale": Commitment.objects.filter(compact=compact).stale(today).count(),
        "recent_activities": compact.activities.filter(occurred_on__gt=year_ago).count(),
        "recent_outcomes": milestones.filter(completed_on__gt=year_ago).count()
        + compact.commitments.filter(achieved_on__gt=year_ago).count(),
    }


def test_it_gives_the_dashboards_green_amber_and_red_cities(demo):
    today = timezone.localdate()
    green = _city_story("Spring Branch", today)
    assert green["retention"] >= 0.5 and green["overdue"] == 0 and green["stale"] == 0
    stale = _city_story("Los Angeles", today)
    assert stale["retention"] >= 0.5 and stale["overdue"] == 0 and stale["stale"] == 1
    overdue = _city_story("New Orleans", today)
    assert overdue["retention"] is None
    assert 0 < overdue["overdue"] <= 0.25 * overdue["milestones"]
    name_only = _city_story("Spokane", today)
    assert name_only["recent_activities"] >= 6 and name_only["recent_outcomes"] == 0
    assert _city_story("Denver", today)["retention"] < 0.5


def test_only_the_name_only_city_meets_a_lot_without_outcomes(demo):
    today = timezone.localdate()
    flagged = [
        compact.city.name
        for compact in Compact.objects.filter(status__in=["active", "renewed"]).select_related(
            "city"
        )
        if (story := _city_story(compact.city.name, today))["recent_activities"] >= 6
        and story["recent_outcomes"] == 0
    ]
    assert flagged == ["Spokane"]


def test_stale_commitments_are_in_progress_and_untouched_for_ninety_days(demo):
    today = timezone.localdate()
    stale = Commitment.objects.stale(today)
    assert stale.exists()
    assert set(stale.values_list("status", flat=True)) == {CommitmentStatus.IN_PROGRESS}


# Every tracked record but accounts (memberships) and bare organizations, whose table also holds
# the parent rows of districts, networks and schools (those keep their history as their subtype).
HISTORY_KEPT = [
    tracked.model
    for tracked in REGISTRY
    if not tracked.private and tracked.model is not Organization
]


@pytest.mark.parametrize("model", HISTORY_KEPT, ids=lambda model: model.__name__)
def test_every_record_it_writes_has_a_creation_version_by_the_system_user(demo, model):
    created = model.history.filter(history_type="+")
    assert set(created.values_list("id", flat=True)) == set(
        model.objects.values_list("pk", flat=True)
    )
    assert set(model.history.values_list("history_user__username", flat=True)) == {SYSTEM_USERNAME}


def test_a_generated_record_s_creation_version_is_the_version_its_edit_form_loads(demo):
    for record in (Milestone.objects.first(), Activity.objects.last()):
        version = loaded_version(record, version_token(record))
        assert version is not None and version.history_type == "+"


def test_a_reload_replaces_the_history_of_generated_records_with_the_actor_given(demo, editor):
    call_command("load_demo", "--actor", "editor", stdout=io.StringIO())
    for model in (Milestone, Activity):
        assert model.history.count() == model.objects.count()
        assert set(model.history.values_list("history_user", flat=True)) == {editor.pk}
    # The facts did not change, so they keep their versions by the system user alone.
    assert set(Compact.history.values_list("history_user__username", flat=True)) == {
        SYSTEM_USERNAME
    }


def test_it_refuses_an_unknown_actor(demo):
    with pytest.raises(CommandError, match='No user "nobody" to act as.'):
        call_command("load_demo", "--actor", "nobody")


def test_its_bare_organizations_have_a_creation_version_by_the_system_user(demo):
    bare = Organization.objects.filter(
        district_record=None, charternetwork=None, charterschool=None
    ).values_list("pk", flat=True)
    created = Organization.history.filter(history_type="+").values_list("id", flat=True)
    assert set(bare) and set(created) == set(bare)


def test_if_empty_leaves_a_database_with_compacts_as_people_left_it(demo):
    commitment = Commitment.objects.order_by("pk").first()
    out = io.StringIO()
    with transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(title="Renamed by an editor")

        call_command("load_demo", "--if-empty", stdout=out)

        assert Commitment.objects.get(pk=commitment.pk).title == "Renamed by an editor"
        transaction.set_rollback(True)
    assert "not reloaded" in out.getvalue()
