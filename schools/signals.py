"""Signals the schools app sends. `term_closed`: schools/services.py sends it once a leadership
term closes (after the commit), so that the leadership service knows nothing of mail;
reminders/receivers.py answers it with the alert to the cities whose live compacts the leaver
signed. Defined here, below reminders, so the domain never imports the app above it."""

from django.dispatch import Signal

# Sent with term_id=<the closed LeadershipTerm's id>.
term_closed = Signal()
