"""Data for backup tests, and a summary of a database that must survive a backup and restore
unchanged: row counts and a digest of every row per table, and the figures of every city.

`database_summary` runs in the test process and, through `python -c`, in a process attached to
another database (tests/history/test_backup_roundtrip.py), so it returns plain JSON-able values.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from accounts.choices import Role
from compacts.choices import CommitmentStatus, CompactStatus, MilestoneStatus
from core.audit import recorded_as
from history.backup import backed_up_models
from schools.models import City
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.compacts.factories import (
    ActivityFactory,
    CommitmentFactory,
    CompactFactory,
    GrantFactory,
    MilestoneFactory,
    ParticipantFactory,
    SignatoryFactory,
)
from tests.schools.factories import (
    CharterNetworkFactory,
    CharterSchoolFactory,
    CityFactory,
    LeadershipTermFactory,
)

# Figures are computed for a fixed day so that two processes on two days still agree.
FIGURES_DAY = datetime.date(2024, 6, 1)


def seed() -> None:
    """Two cities with users, memberships, every kind of record, history of creations, changes
    and deletions, many-to-many links, an admin log entry, and text that is hard to encode."""
    city_x = CityFactory(name="Xville", state="TX")
    city_y = CityFactory(name="Yton", state="CA")
    editor = UserFactory(username="backup-editor", first_name="Zoë", last_name="O’Neil")
    superuser = UserFactory(username="backup-admin", is_superuser=True, is_staff=True)
    MembershipFactory(user=editor, city=city_x, role=Role.EDITOR)
    MembershipFactory(user=UserFactory(username="backup-viewer"), city=city_y, role=Role.VIEWER)
    staff = Group.objects.create(name="Staff")
    staff.permissions.add(Permission.objects.get(codename="view_city"))
    editor.groups.add(staff)
    editor.user_permissions.add(Permission.objects.get(codename="change_compact"))

    with recorded_as(editor):
        compact = CompactFactory(
            city=city_x,
            status=CompactStatus.ACTIVE,
            signed_on=datetime.date(2021, 9, 1),
            summary="“Smart quotes” — dashes, émigré\nand a second line",
        )
        signatory = SignatoryFactory(compact=compact)
        district = signatory.leadership_term.organization.district_record
        network = CharterNetworkFactory(name="Uplift Education")
        school = CharterSchoolFactory(city=city_x, district=district, network=network)
        ParticipantFactory(compact=compact, organization=district)
        school_participant = ParticipantFactory(compact=compact, organization=school)
        achieved = CommitmentFactory(
            compact=compact,
            status=CommitmentStatus.ACHIEVED,
            achieved_on=datetime.date(2024, 1, 10),
        )
        achieved.participants.add(school_participant)
        in_progress = CommitmentFactory(compact=compact, status=CommitmentStatus.IN_PROGRESS)
        CommitmentFactory(compact=compact, status=CommitmentStatus.ABANDONED)
        MilestoneFactory(
            commitment=achieved,
            status=MilestoneStatus.DONE,
            due_on=datetime.date(2024, 2, 1),
            completed_on=datetime.date(2024, 1, 20),
        )
        MilestoneFactory(commitment=in_progress, due_on=datetime.date(2023, 5, 1))
        doomed = MilestoneFactory(commitment=in_progress, due_on=datetime.date(2025, 5, 1))
        for day in range(7):
            ActivityFactory(
                compact=compact, occurred_on=datetime.date(2024, 3, 1 + day), commitment=achieved
            )
        GrantFactory(compact=compact)
        departed = signatory.leadership_term
        departed.ended_on, departed.end_reason = datetime.date(2023, 6, 30), "stepped_down"
        departed.save()
        LeadershipTermFactory(organization=district, started_on=datetime.date(2023, 7, 1))
    with recorded_as(superuser):
        in_progress.status = CommitmentStatus.STALLED
        in_progress.save()
        doomed.delete()
        CommitmentFactory(compact__city=city_y, compact__status=CompactStatus.RENEWED)
    LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(City),
        object_id=str(city_x.pk),
        object_repr=str(city_x),
        action_flag=CHANGE,
        change_message="Changed name.",
    )


def _digest(rows) -> str:
    return hashlib.sha256(json.dumps(rows, default=str).encode("utf-8")).hexdigest()


def database_summary() -> dict:
    """Per table: row count and digest of all rows in primary-key order (many-to-many links as
    sorted pairs, since their own ids are not kept); and every city's figures."""
    from reports.selectors import CITY_FIELDS, compute_city_figures

    counts, digests = {}, {}
    for model in backed_up_models():
        meta = model._meta
        columns = [f.attname for f in meta.concrete_fields]
        rows = [
            list(row) for row in model._base_manager.order_by(meta.pk.attname).values_list(*columns)
        ]
        counts[meta.label_lower] = len(rows)
        digests[meta.label_lower] = _digest(rows)
        for f in meta.local_many_to_many:
            through = f.remote_field.through
            pairs = sorted(
                through._base_manager.values_list(
                    f"{f.m2m_field_name()}_id", f"{f.m2m_reverse_field_name()}_id"
                )
            )
            counts[through._meta.label_lower] = len(pairs)
            digests[through._meta.label_lower] = _digest(pairs)
    cities = list(City.objects.order_by("pk").values(*CITY_FIELDS))
    figures = compute_city_figures(cities, FIGURES_DAY)
    return {
        "counts": counts,
        "digests": digests,
        "figures": repr(sorted(figures.items())),
    }
