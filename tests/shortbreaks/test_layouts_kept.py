"""`layouts_kept`: a build's layouts are set out of the garbage collector's reach, each once its
own garbage is collected, and handed back when the build ends, however it ends; in a process that
keeps objects frozen already, nothing is frozen or thawed."""

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


@pytest.fixture
def nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_each_kept_layout_is_out_of_the_collectors_reach_until_the_build_ends(nothing_frozen):
    held = Layout()  # what the process held before the build
    with layouts_kept() as keep:
        assert gc.get_freeze_count() > 0  # set apart too, so each collection walks a layout
        first = keep(Layout())
        frozen = gc.get_freeze_count()
        assert frozen > 0 and gc.is_tracked(first)
        second = keep(Layout())
        assert gc.get_freeze_count() > frozen and second is not first
        # What is not kept is collected as ever: the cycle each layout left was collected
        # before it was frozen, so garbage is never frozen with it.
        assert gc.collect() == 0
    assert gc.get_freeze_count() == 0 and held.boxes


def test_a_build_that_fails_hands_its_layouts_back(nothing_frozen):
    with pytest.raises(RuntimeError), layouts_kept() as keep:
        keep(Layout())
        raise RuntimeError("the pack's data could not be read")
    assert gc.get_freeze_count() == 0


def test_a_process_that_keeps_objects_frozen_is_left_as_it_was(nothing_frozen):
    gc.freeze()  # as a web worker does after its first request
    before = gc.get_freeze_count()
    with layouts_kept() as keep:
        layout = keep(Layout())
        assert gc.get_freeze_count() == before
    assert gc.get_freeze_count() == before and layout.boxes
