"""The signal schools/services.py sends once a leadership term closes (after the commit), so
that the leadership service needs to know nothing of mail; reminders/receivers.py answers it
with the alert to the cities whose live compacts the leaver signed."""

from django.dispatch import Signal

# Sent with term_id=<the closed LeadershipTerm's id>.
term_closed = Signal()
