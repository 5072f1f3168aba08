from django.dispatch import receiver

from schools.signals import term_closed


@receiver(term_closed, dispatch_uid="reminders.alert_signatory_left")
def alert_signatory_left(sender, term_id: int, **kwargs) -> None:
    from reminders.services import signatory_left_alert

    signatory_left_alert(term_id=term_id)
