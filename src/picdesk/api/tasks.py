"""Background work of the API layer: sending deliveries to subscribers."""

from django_tasks import task

from picdesk.api.deliveries import send_due


@task()
def send_deliveries() -> int:
    """Send every delivery that is due (api.deliveries); the failed ones
    queue this again for their retry."""
    return send_due()
