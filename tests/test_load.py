"""A short, bounded run of benchmarks/load.py: readers on 127.0.0.1 while an
editor imports and publishes; no request may fail."""

import importlib.util
from pathlib import Path

LOAD = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"


def test_readers_get_every_page_while_an_editor_publishes():
    spec = importlib.util.spec_from_file_location("load", LOAD)
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    result = load.run(readers=8, seconds=6, photos=10)
    assert result["import_ok"]
    assert result["errors"] == []
    assert result["requests"] > 50
