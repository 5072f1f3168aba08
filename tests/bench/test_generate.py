"""The bench data generator: proportional counts, determinism, valid records, a guarded command
(python -m bench.generate)."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from accounts.choices import Role
from accounts.models import Membership
from bench import generate as benchdata
from tests.schools.factories import CityFactory

ANCHOR = datetime.date(2025, 6, 30)

COUNTED = {
    "cities": "schools.City",
    "districts": "schools.District",
    "networks": "schools.CharterNetwork",
    "charter_schools": "schools.CharterSchool",
    "compacts": "compacts.Compact",
    "leadership_terms": "schools.LeadershipTerm",
    "commitments": "compacts.Commitment",
    "milestones": "compacts.Milestone",
    "activities": "compacts.Activity",
    "users": "auth.User",
    "grants": "compacts.Grant",
}


def _digest_then_roll_back(**kwargs) -> str:
    with transaction.atomic():
        result = benchdata.generate(anchor=ANCHOR, **kwargs)
        transaction.set_rollback(True)
    return result.digest


def test_scaled_counts_follow_the_issue_at_scale_one_and_shrink_in_proportion():
    assert benchdata.scaled_counts(1)["activities"] == 200_000
    assert benchdata.scaled_counts(1)["charter_schools"] == 8_000
    small = benchdata.scaled_counts(0.01)
    assert small["activities"] == 2_000
    assert small["milestones"] == 150
    assert small["cities"] == 1
    assert small["users"] == 4


@pytest.mark.parametrize("scale", [0, -1])
def test_scaled_counts_reject_a_scale_that_is_not_positive(scale):
    with pytest.raises(ValueError):
        benchdata.scaled_counts(scale)


def test_distribute_splits_the_total_in_proportion_with_a_minimum_each():
    shares = benchdata.distribute(10, [1, 1, 8], minimum=1)
    assert sum(shares) == 10
    assert min(shares) >= 1
    assert shares[2] == max(shares)


def test_distribute_gives_the_heaviest_first_when_the_total_cannot_cover_the_minimum():
    assert benchdata.distribute(2, [1, 5, 3], minimum=1) == [0, 1, 1]
    assert benchdata.distribute(0, [1, 2]) == [0, 0]
    assert benchdata.distribute(5, []) == []


@pytest.mark.django_db
def test_it_generates_the_proportional_counts_at_scale_0_01():
    benchdata.generate(scale=0.01, anchor=ANCHOR)

    expected = benchdata.scaled_counts(0.01)
    for name, label in COUNTED.items():
        assert apps.get_model(label).objects.count() == expected[name], name


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed_and_differs_for_another_seed():
    first = _digest_then_roll_back(scale=0.01)
    second = _digest_then_roll_back(scale=0.01)
    other_seed = _digest_then_roll_back(scale=0.01, seed=7)

    assert first == second
    assert other_seed != first


@pytest.mark.django_db
def test_generated_records_pass_full_clean():
    benchdata.generate(scale=0.01, anchor=ANCHOR)

    for label in [
        "schools.City",
        "schools.District",
        "schools.CharterNetwork",
        "schools.CharterSchool",
        "schools.Organization",
        "schools.LeadershipTerm",
        "compacts.Compact",
        "compacts.Signatory",
        "compacts.Participant",
        "compacts.Commitment",
        "compacts.Milestone",
        "compacts.Activity",
        "compacts.Grant",
        "accounts.Membership",
    ]:
        sample = list(apps.get_model(label).objects.order_by("pk")[:150])
        assert sample, label
        for record in sample:
            record.full_clean()


@pytest.mark.django_db
def test_it_writes_realistic_mixes_of_statuses():
    benchdata.generate(scale=0.05, anchor=ANCHOR)
    Milestone = apps.get_model("compacts.Milestone")
    Commitment = apps.get_model("compacts.Commitment")

    assert Milestone.objects.overdue(ANCHOR).exists()
    assert Milestone.objects.on_time().exists()
    assert Milestone.objects.filter(status="missed").exists()
    assert Commitment.objects.filter(status="achieved").exists()
    assert Commitment.objects.stale(ANCHOR).exists()
    assert (
        Commitment.objects.filter(status="in_progress")
        .exclude(pk__in=Commitment.objects.stale(ANCHOR))
        .exists()
    )


@pytest.mark.django_db
def test_the_bench_users_can_sign_in_and_see_what_the_benchmark_needs():
    benchdata.generate(scale=0.01, anchor=ANCHOR, password="a bench password")
    User = get_user_model()
    City = apps.get_model("schools.City")

    viewer = User.objects.get(username=benchdata.BENCH_VIEWER)
    admin = User.objects.get(username=benchdata.BENCH_ADMIN)
    assert viewer.check_password("a bench password")
    assert admin.is_superuser and admin.is_staff
    assert not viewer.is_superuser
    assert Membership.objects.filter(user=viewer, role=Role.VIEWER).count() == City.objects.count()
    for username in benchdata.BENCH_EDITORS:
        editor = User.objects.get(username=username)
        assert Membership.objects.filter(user=editor, role=Role.EDITOR).count() == (
            City.objects.count()
        )


@pytest.mark.django_db
def test_without_a_password_the_generated_users_cannot_sign_in():
    benchdata.generate(scale=0.01, anchor=ANCHOR)

    viewer = get_user_model().objects.get(username=benchdata.BENCH_VIEWER)
    assert not viewer.has_usable_password()


@pytest.mark.django_db
def test_no_history_rows_are_written_for_bench_data():
    benchdata.generate(scale=0.01, anchor=ANCHOR)

    assert not apps.get_model("compacts.HistoricalActivity").objects.exists()
    assert not apps.get_model("schools.HistoricalCharterSchool").objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_database_that_holds_records():
    CityFactory(name="Already here")

    with pytest.raises(CommandError, match="--force"):
        call_command(benchdata.Command(), "--scale", "0.01")

    assert apps.get_model("schools.City").objects.get().name == "Already here"


@pytest.mark.django_db
def test_the_command_with_force_empties_the_database_first(capsys):
    CityFactory(name="Already here")

    call_command(benchdata.Command(), "--scale", "0.01", "--force", "--anchor", "2025-06-30")

    assert not apps.get_model("schools.City").objects.filter(name="Already here").exists()
    assert apps.get_model("compacts.Activity").objects.count() == 2_000
    assert "digest" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("scale", ["0", "-0.5"])
def test_the_command_rejects_a_scale_that_is_not_positive(scale):
    with pytest.raises(CommandError, match="positive"):
        call_command(benchdata.Command(), "--scale", scale)


@pytest.mark.django_db
def test_a_generated_milestone_can_be_marked_done_with_its_version_and_first_history_row():
    from compacts.services import milestone_mark_done
    from core.concurrency import version_token

    benchdata.generate(scale=0.01, anchor=ANCHOR)
    Milestone = apps.get_model("compacts.Milestone")
    milestone = Milestone.objects.filter(status="planned").first()
    editor = get_user_model().objects.get(username=benchdata.BENCH_EDITORS[0])

    milestone_mark_done(
        milestone=milestone,
        completed_on=ANCHOR,
        evidence_url="https://evidence.example.org/x",
        actor=editor,
        expected_version=version_token(milestone),
    )

    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert list(milestone.history.values_list("history_user__username", flat=True)) == [
        editor.username
    ]
