"""The models of picdesk's own app: those that belong to no domain app."""

from picdesk.ops.beats import WorkerBeat  # noqa: F401
