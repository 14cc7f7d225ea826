"""`picdesk serve` collects the static files (fingerprinted, compressed) only
when they changed: compressing them all again cost three seconds of every
start."""

from picdesk.ops.server import STATIC_STAMP, collect_static


def test_static_files_are_collected_again_only_when_their_sources_change(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}  # as picdesk serves
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    collect_static()
    collected = manifest.stat().st_mtime_ns
    collect_static()
    assert manifest.stat().st_mtime_ns == collected  # unchanged sources: nothing done
    (settings.STATIC_ROOT / STATIC_STAMP).write_text("the sources of an older release")
    collect_static()
    assert manifest.stat().st_mtime_ns > collected
