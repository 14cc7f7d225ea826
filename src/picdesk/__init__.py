"""picdesk: a self-hosted picture desk and slideshow publisher for newsrooms."""

__version__ = "0.1.0"
