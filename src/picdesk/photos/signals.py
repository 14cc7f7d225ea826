"""What the photo layer tells the layers above it, without knowing them."""

from django.dispatch import Signal

# Sent by ingest inside the transaction that stores a new photo (not for a
# duplicate): ``photo`` and ``arrival`` (photos.ingest.Arrival). Routing
# rules (slideshows.routing) listen.
photo_ingested = Signal()
