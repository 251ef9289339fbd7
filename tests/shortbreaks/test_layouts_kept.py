"""`layouts_kept`: a build's layouts are set out of the garbage collector's reach, each once its
own garbage is collected, and handed back when the build ends, however it ends; in a process that
keeps objects frozen already, nothing is frozen or thawed.

Whether an object is out of the collector's reach is asked of the collector itself: a frozen
object is in none of its generations (`gc.get_objects()`). Counts of frozen objects are not
compared: a frozen object that is let go of leaves the count at any moment."""

from __future__ import annotations

import gc

import pytest

from shortbreaks.documents.rendering import layouts_kept


class Layout:
    """Stands for a laid-out document: some objects, and a cycle that is garbage."""

    def __init__(self):
        self.boxes = [object() for _ in range(100)]
        cycle = []
        cycle.append(cycle)


def _collected(thing) -> bool:
    """Whether the collector walks `thing` (it is in one of its generations)."""
    return any(found is thing for found in gc.get_objects())


@pytest.fixture
def nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.fixture
def calls(monkeypatch):
    """What the collector is asked to do, in order (each still done)."""
    done = []
    for name in ("collect", "freeze", "unfreeze"):
        real = getattr(gc, name)

        def record(*args, _real=real, _name=name, **kwargs):
            done.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(gc, name, record)
    return done


def test_each_kept_layout_is_out_of_the_collectors_reach_until_the_build_ends(
    nothing_frozen, calls
):
    held = Layout()  # what the process held before the build
    with layouts_kept() as keep:
        assert not _collected(held)  # set apart too, so each collection walks one layout
        first = keep(Layout())
        assert not _collected(first) and not _collected(first.boxes)
        later = Layout()
        assert _collected(later)  # not kept yet
        second = keep(later)
        assert not _collected(second)
    assert _collected(held) and _collected(first) and _collected(second)
    # Frozen on entry; each layout's own garbage collected before it is frozen; thawed at the end.
    assert calls == ["freeze", "collect", "freeze", "collect", "freeze", "unfreeze"]


def test_a_build_that_fails_hands_its_layouts_back(nothing_frozen, calls):
    with pytest.raises(RuntimeError), layouts_kept() as keep:
        kept = keep(Layout())
        raise RuntimeError("the pack's data could not be read")
    assert _collected(kept)
    assert calls[-1] == "unfreeze"


def test_a_process_that_keeps_objects_frozen_is_left_as_it_was(nothing_frozen, calls):
    gc.freeze()  # as a web worker does after its first request
    calls.clear()
    with layouts_kept() as keep:
        layout = keep(Layout())
        assert _collected(layout)
    assert calls == []
    assert gc.get_freeze_count() > 0
