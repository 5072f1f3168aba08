"""Query building blocks for the metric definitions in DESIGN.md, shared by lists and dashboards
so that a filter and the figure that links to it can never disagree."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from compacts.choices import OPEN_MILESTONE_STATUSES, CommitmentStatus, MilestoneStatus


def overdue_milestone_q(today: datetime.date, prefix: str = "") -> Q:
    """Planned or in progress and due before today (due today is not overdue)."""
    return Q(**{f"{prefix}status__in": OPEN_MILESTONE_STATUSES, f"{prefix}due_on__lt": today})


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date):
        return self.filter(overdue_milestone_q(today))

    def on_time(self):
        return self.filter(status=MilestoneStatus.DONE, completed_on__lte=F("due_on"))


class CommitmentQuerySet(models.QuerySet):
    def with_last_touch(self):
        """Annotate `last_touch`: the latest updated_at of the commitment, its milestones and the
        activities linked to it."""
        from compacts.models import Activity, Milestone

        latest_milestone = (
            Milestone.objects.filter(commitment=OuterRef("pk"))
            .order_by()
            .values("commitment")
            .annotate(latest=Max("updated_at"))
            .values("latest")
        )
        latest_activity = (
            Activity.objects.filter(commitment=OuterRef("pk"))
            .order_by()
            .values("commitment")
            .annotate(latest=Max("updated_at"))
            .values("latest")
        )
        return self.annotate(
            last_touch=Greatest(
                F("updated_at"),
                Coalesce(Subquery(latest_milestone), F("updated_at")),
                Coalesce(Subquery(latest_activity), F("updated_at")),
            )
        )

    def untouched_since(self, cutoff: datetime.datetime):
        """Those whose last touch (`with_last_touch`) is before `cutoff`: the commitment, each of
        its milestones and each activity linked to it updated before then. Said as NOT EXISTS, an
        index answers each look-up with one probe instead of a maximum over every row."""
        from compacts.models import Activity, Milestone

        touched_since = {"commitment": OuterRef("pk"), "updated_at__gte": cutoff}
        return self.filter(
            ~Exists(Milestone.objects.filter(**touched_since)),
            ~Exists(Activity.objects.filter(**touched_since)),
            updated_at__lt=cutoff,
        )

    def stale(self, today: datetime.date):
        """In progress and untouched for more than STALE_COMMITMENT_DAYS. A caller that shows
        when each was last touched adds `with_last_touch()`: the figures and the list filters only
        count or select them, and building its subqueries costs about as much as the rest."""
        return self.filter(status=CommitmentStatus.IN_PROGRESS).untouched_since(stale_cutoff(today))

    def counted_for_completion(self):
        """All commitments but the abandoned and superseded: the completion denominator."""
        return self.exclude(status__in=[CommitmentStatus.ABANDONED, CommitmentStatus.SUPERSEDED])


def stale_cutoff(today: datetime.date) -> datetime.datetime:
    """Start of the day STALE_COMMITMENT_DAYS before today, in the current time zone: a last touch
    before this instant is "more than 90 days ago"."""
    from django.utils import timezone

    day = today - datetime.timedelta(days=settings.STALE_COMMITMENT_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
