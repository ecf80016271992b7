"""The cables table's text columns and natural orders, carried from edit to edit: always what a
table built afresh shows, and not worked out again for an add or a delete."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QPoint, Qt

from gui.commands import apply
from gui.docks import cable_texts
from gui.docks.cable_runs_model import END_A, END_B, ID, LABEL, CableRunsModel
from gui.docks.cable_texts import SortedText, natural_order, prepare_texts
from model.commands import RemoveDevices
from model.commands_properties import UpdateCable
from model.rows import RowShift

TEXT = st.text(alphabet="ab1290 U-:", max_size=8)


@pytest.mark.parametrize("one_pass", [False, True])
@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=40), st.data())
def test_a_shifted_order_is_the_order_of_the_shifted_texts(one_pass, texts, data):
    """Rows gone and put in carry the texts and the natural order (equal keys in row order) to
    what the new rows' texts give, a few rows one by one and, `one_pass`, more than FEW_ROWS (a
    rack's 1,392 cables: ~0.5 s one by one at 300,000 rows) in one copied pass."""
    from model import rows as rows_module

    gone = sorted(data.draw(st.sets(st.integers(0, max(len(texts) - 1, 0)), max_size=len(texts))) if texts else [])
    kept = [t for i, t in enumerate(texts) if i not in set(gone)]
    new_texts = data.draw(st.lists(TEXT, max_size=12))
    # Each new text at a place among the kept, in the order given (the places ascending).
    places = sorted(data.draw(st.lists(st.integers(0, len(kept)), min_size=len(new_texts), max_size=len(new_texts))))
    after = list(kept)
    added = []
    for k, (place, text) in enumerate(zip(places, new_texts)):
        after.insert(place + k, text)
        added.append(place + k)
    shift = RowShift(np.array(gone, dtype=np.int64), np.array(added, dtype=np.int64), len(texts), len(after))
    with pytest.MonkeyPatch.context() as patch:
        if one_pass:
            patch.setattr(rows_module, "FEW_ROWS", 1)
            patch.setattr(cable_texts, "FEW_ROWS", 1)
        assert shift.texts(list(texts), new_texts) == after
        order = SortedText(texts)
        order.shift(shift, new_texts)
    assert order.order.tolist() == natural_order(after).tolist()
    assert order.keys == [cable_texts.natural_keys(after)[i] for i in order.order.tolist()]
    if after:
        row = data.draw(st.integers(0, len(after) - 1))
        text = data.draw(TEXT)
        order.retext(row, text)
        after[row] = text
        assert order.order.tolist() == natural_order(after).tolist()


def fresh_rows(context, column: int, order, needle: str = "") -> list[int]:
    model = CableRunsModel(context)
    if needle:
        model.set_filter(needle, "")
    model.sort(column, order)
    return model.rows.tolist()


@pytest.mark.parametrize("column", [ID, LABEL, END_A, END_B])
def test_a_table_sorted_by_text_follows_adds_and_deletes_without_sorting_again(sample_context, column, monkeypatch):
    """At 100,000 accelerators every add or delete with the table sorted by an end took 2.2 s
    (texts written and sorted again); filtered by text, 1.2 s. They are carried over now."""
    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)  # as the dock does
    order = Qt.SortOrder.DescendingOrder if column == END_B else Qt.SortOrder.AscendingOrder
    model.sort(column, order)
    model.set_filter("u", "")  # every end text holds a 'U': the rows stay, each searched once
    sorted_afresh: list[int] = []
    monkeypatch.setattr(cable_texts.SortedText, "__init__", _counting(cable_texts.SortedText.__init__, sorted_afresh))
    device = context.document.cables[model.ids(3, 3)[0]].a.partition(":")[0]
    cable = model.ids(7, 7)[0]
    for edit in (
        lambda: apply(context, RemoveDevices(context.document, [device])),
        context.undo_stack.undo,
        lambda: apply(context, UpdateCable(context.document, cable, label="zz 10 relabelled")),
        context.undo_stack.undo,
    ):
        edit()
        model.follow(context.result)
        assert sorted_afresh == []  # not sorted anew: the edit's rows shifted or put in their places
        assert model.rows.tolist() == fresh_rows(context, column, order, "u")
        sorted_afresh.clear()  # (the fresh table's own sort)


def _counting(init, calls: list):
    def counted(self, texts, keys=None):
        calls.append(len(texts))
        init(self, texts, keys)

    return counted


def test_every_text_at_once_is_each_runs_texts(sample_context):
    """The texts written a column at a time (the first sort or filter) are those written a run
    at a time (an edit's runs), breakout legs and a label with a line break included."""
    import json
    from pathlib import Path

    from gui.context import AppContext
    from model.catalog import default_catalog
    from model.document import Document
    from model.io.files import loads_layout

    sample_context.document.update_cable(next(iter(sample_context.document.cables)), label="two\nlines")
    data = json.loads((Path(__file__).parent.parent / "data" / "hardware" / "f08" / "two_legs.json").read_text())
    data["cables"] = [{"id": "bo1", "a": "leaf01:p1", "b": ["srv01:nic1", "srv01:nic2"], "rate_gbps": 400}]
    data["racks"][0]["devices"][1]["type"] = "server-8gpu-400g"
    breakout = AppContext(Document(loads_layout(json.dumps(data), "two_legs.json"), default_catalog()))
    for context in (sample_context, breakout):
        model = CableRunsModel(context)
        doc = context.document
        labels = {rack.id: rack.label for rack in doc.site.racks}
        every = prepare_texts(doc, context.result, doc.revision, list(doc.devices), labels, {"search"}).texts
        legs = context.result.state.compiled.leg.tolist()
        each = [model._cable_texts(c, leg=k) for c, k in zip(context.result.cable_ids, legs)]
        assert [tuple(every[name][i] for name in ("a", "b", "label", "search")) for i in range(len(each))] == each
    assert [every["b"][0].split()[-1], every["b"][1].split()[-1]] == ["srv01:nic1", "srv01:nic2"]


def shown(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_sorting_and_filtering_read_the_ends_as_shown_by_names(sample_context):
    """The ends show rack and device names ('Ultra64 rack B U5 Server 2 tray 1:…'); sorting and
    the filter read texts built from ids, so a column sorted by End A did not look sorted and
    'rack B' found nothing (a fresh user's find, older than the carry-over). Ids still filter."""
    from model.commands_naming import RenameByScheme
    from model.commands_properties import RenameDevice, UpdateRack

    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    ends = shown(model, END_A)
    assert any(" rack B " in end for end in ends) and natural_order(ends).tolist() == list(range(len(ends)))
    model.set_filter("rack b", "")
    assert 0 < model.rowCount() < len(context.result.cable_ids)
    assert all("rack B" in a + b for a, b in zip(shown(model, END_A), shown(model, END_B)))
    device = context.document.cables[model.ids(0, 0)[0]].a.partition(":")[0]
    model.set_filter(device.lower(), "")  # by the device's id, as files name it
    assert model.rowCount() > 0
    model.set_filter("", "")
    # Renamed, one at a time or by the scheme: the order and the filter follow the new names.
    rack = next(iter(context.document.racks))
    for edit in (
        lambda: apply(context, UpdateRack(context.document, rack, name="Zulu")),
        lambda: apply(context, RenameDevice(context.document, device, "aaa-first")),
        lambda: apply(context, RenameByScheme(context.document, rack_ids=list(context.document.racks))),
    ):
        edit()
        model.follow(context.result)
        ends = shown(model, END_A)
        assert natural_order(ends).tolist() == list(range(len(ends)))
        assert model.rows.tolist() == fresh_rows(context, END_A, Qt.SortOrder.AscendingOrder)
    assert ends[0].startswith("R01 ")  # the scheme's rack names, in order
    model.set_filter("zulu", "")
    assert model.rowCount() == 0  # renamed again by the scheme


def _on_worker(monkeypatch) -> list[str]:
    """The sample's 160 runs count as many (written on the worker); returns the names of the
    threads prepare_texts ran on, as it runs."""
    from gui.docks import cable_runs_model
    from tests.gui.conftest import threads_calling

    monkeypatch.setattr(cable_runs_model, "BACKGROUND_RUNS", 100)
    return threads_calling(monkeypatch, cable_runs_model, "prepare_texts")


def test_a_first_sort_or_search_of_many_runs_is_written_on_the_worker(qtbot, sample_context, monkeypatch):
    """Writing and ordering every run's texts took ~1 s at 300,000 cables, the window frozen
    meanwhile (a wait cursor). A big table has them written on the worker: its rows stay as
    they are, `pending` says what it awaits, and once written the rows are the order a small
    table gets at once. Kept after: a second sort of the column or search takes no worker."""
    from gui.docks.cable_runs_model import LENGTH

    small = CableRunsModel(sample_context)  # 160 runs: written at once
    small.sort(END_A, Qt.SortOrder.AscendingOrder)
    by_end_a = small.rows.tolist()
    small.set_filter("rack b", "")
    found = small.rows.tolist()
    assert 0 < len(found) < len(by_end_a)

    threads = _on_worker(monkeypatch)
    model = CableRunsModel(sample_context)
    model.sort(LENGTH, Qt.SortOrder.AscendingOrder)
    by_length = model.rows.tolist()
    assert threads == [] and model.pending == ""  # a figure column: no text to write
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    assert model.pending == "sorting by End A" and model.rows.tolist() == by_length
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        pass
    assert threads and threads[0].startswith("rack-designer-work")
    assert model.rows.tolist() == by_end_a and model.pending == ""
    # The texts kept out of later cyclic collections (gui.background.made_long_lived): each
    # pass walked their 300,000 items, 43-90 ms on the worker at the first sort by Label.
    written = model._texts["a"]
    assert not any(o is written for o in gc.get_objects())
    gc.unfreeze()
    model.sort(END_A, Qt.SortOrder.DescendingOrder)  # its order kept: at once
    assert model.rows.tolist() == by_end_a[::-1] and len(threads) == 1
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    model.set_filter("rack b", "")
    assert model.pending == "searching" and len(model.rows) == len(by_end_a)  # not yet filtered
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        pass
    assert model.rows.tolist() == found and len(threads) == 2
    model.set_filter("rack b u", "")  # the search texts kept: at once
    assert len(threads) == 2 and model.pending == "" and 0 < len(model.rows) <= len(found)


def test_an_edit_while_the_worker_writes_has_the_texts_written_again(qtbot, sample_context, monkeypatch):
    """Texts written on the worker from the layout as it stood are not merged into a layout
    changed since (a rack renamed meanwhile): written again, the rows show the new name."""
    from model.commands_properties import UpdateRack

    threads = _on_worker(monkeypatch)
    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    context.analysisUpdated.connect(model.set_result)
    rack = next(iter(context.document.racks))
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    assert apply(context, UpdateRack(context.document, rack, name="Zulu rack"))
    qtbot.waitUntil(lambda: model.pending == "" and len(threads) >= 2, timeout=10_000)
    ends = shown(model, END_A)
    assert any(end.startswith("Zulu rack ") for end in ends)
    assert natural_order(ends).tolist() == list(range(len(ends)))


def test_a_sort_written_on_the_worker_shows_in_the_count_while_awaited(qtbot, sample_context, monkeypatch):
    """The dock's count says what the table awaits ('160 runs · sorting by End A…'), and
    reads as before once the rows are in order."""
    from gui.docks.cables_table import CablesDock
    from tests.gui.conftest import show_widget

    _on_worker(monkeypatch)
    dock = show_widget(qtbot, CablesDock(sample_context), (1200, 400))
    total = len(sample_context.result.cable_ids)
    header = dock.view.horizontalHeader()
    x = header.sectionViewportPosition(END_A) + header.sectionSize(END_A) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert dock.count.text() == f"{total:,} runs · sorting by End A…"
    qtbot.waitUntil(lambda: dock.count.text() == f"{total:,} runs", timeout=10_000)
    ends = [dock.model.index(r, END_A).data() for r in range(dock.model.rowCount())]
    assert natural_order(ends).tolist() == list(range(total))


def test_settings_or_a_tray_changed_keep_the_texts_and_orders_written(sample_context, monkeypatch):
    """A change of settings or of a tray re-routes every cable but names no end: with the table
    sorted by End A at 300,000 runs, writing and ordering every text again froze the window
    ~1 s after the objective changed. They are kept, and still the rows a fresh table shows."""
    from model.commands_properties import UpdateSettings, UpdateTray

    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    context.analysisUpdated.connect(model.set_result)
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    model.set_filter("rack", "")
    kept = (model._sorted[END_A], model._texts["a"], model._texts["search"])
    tray = next(iter(context.document.trays))
    objective = "power" if context.document.site.settings.objective != "power" else "cost"
    for command in (
        UpdateSettings(context.document, objective=objective),
        UpdateTray(context.document, tray, name="Overhead 9"),
    ):
        assert apply(context, command)
        assert all(a is b for a, b in zip((model._sorted[END_A], model._texts["a"], model._texts["search"]), kept))
        fresh = CableRunsModel(context)
        fresh.sort(END_A, Qt.SortOrder.AscendingOrder)
        fresh.set_filter("rack", "")
        assert model.rows.tolist() == fresh.rows.tolist()


def test_a_moved_rack_writes_no_text_again_and_a_renamed_one_does(sample_context, monkeypatch):
    """A live drag step of a 1,392-cable rack wrote every one of its runs' texts again (~11 ms
    of each step at 100k accelerators with the table sorted by an end), though a move changes
    none: the ends read a rack by its name. Only a rename writes them."""
    from model.commands_properties import UpdateRack

    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    written: list[str] = []
    texts = model._cable_texts
    monkeypatch.setattr(
        model, "_cable_texts", lambda cable_id, *args, **kw: written.append(cable_id) or texts(cable_id, *args, **kw)
    )
    rack = context.document.site.racks[0]
    context.document.move_racks({rack.id: (rack.x_mm, rack.y_mm + 3_000, rack.facing)})
    model.follow(context.result)
    assert written == [] and model.rows.tolist() == fresh_rows(context, END_A, Qt.SortOrder.AscendingOrder)
    apply(context, UpdateRack(context.document, rack.id, name="Zulu rack"))
    model.follow(context.result)
    assert written and model.rows.tolist() == fresh_rows(context, END_A, Qt.SortOrder.AscendingOrder)
    assert any(a.startswith("Zulu rack U") for a in shown(model, END_A))


@pytest.mark.parametrize("name", ["trn2-ultra64", "tor-pod", "gb200-nvl72", "gb200-superpod-su"])
def test_the_keys_put_together_are_the_keys_of_the_texts(name):
    """A first sort by an end or label makes its natural keys from each device's and port's
    (~0.1 s at 300,000 cables, against ~1.1 s for a regex pass over every text): they must be
    natural_keys of the texts shown, names with digits, line breaks and labels given included."""
    from gui.context import AppContext
    from gui.docks.cable_texts import device_places, every_text, natural_keys, run_ends, text_keys
    from model.document import Document
    from model.topologies import build_sample

    context = AppContext(Document(build_sample(name)))
    document = context.document
    rack, device = document.site.racks[0], document.site.racks[0].devices[0]
    document.update_rack(rack.id, name="Hall 2\nrow 10 rack 007")
    document.rename_device(device.id, "gpu-07 tray 12")
    cable = next(iter(document.cables))
    document.update_cable(cable, label="uplink 9 of 12")
    places, ends = device_places(document, document.devices), run_ends(document.cables, context.result)
    texts = every_text(places, ends)
    for column in ("a", "b", "label"):
        assert text_keys(places, ends, column) == natural_keys(texts[column])


@settings(max_examples=80, deadline=None)
@given(st.lists(TEXT, max_size=40), st.integers(1, 7))
def test_keys_and_orders_made_in_pieces_are_those_made_at_once(texts, piece):
    """natural_keys and the natural order work GIL_CHUNK texts a call into C (the window gets
    the interpreter between calls); pieces of any size give the keys of one regex pass and
    the order of one stable sort (equal keys in index order)."""
    keys_at_once = cable_texts._DIGITS.sub(cable_texts._counted, "\n".join(t.replace("\n", " ") for t in texts))
    expected_keys = keys_at_once.split("\n") if texts else []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cable_texts, "GIL_CHUNK", piece)
        keys = cable_texts.natural_keys(texts)
        order = natural_order(texts).tolist()
    assert keys == expected_keys
    assert order == sorted(range(len(texts)), key=expected_keys.__getitem__)


def test_a_sort_by_reason_waits_for_the_search_it_counts_on(qtbot, sample_context, monkeypatch):
    """Sorting by reason is refused past REASON_SORT_LIMIT runs counted after the filters. While
    a big table's search texts were written on the worker the filter counted every run: a sort
    by reason asked then was refused, and one standing when an edit made the table write its
    texts again was let go. Both wait for the search now, and end sorted as a small table is."""
    from gui.commands import apply
    from gui.docks import cable_runs_model
    from gui.docks.cable_runs_model import REASON
    from model.commands_properties import UpdateRack

    small = CableRunsModel(sample_context)
    small.set_filter("rack b", "")
    small.sort(REASON, Qt.SortOrder.AscendingOrder)
    by_reason = small.rows.tolist()
    assert 0 < len(by_reason) < len(sample_context.result.cable_ids)

    _on_worker(monkeypatch)
    monkeypatch.setattr(cable_runs_model, "REASON_SORT_LIMIT", len(by_reason))  # the filtered runs, not all
    said: list[str] = []
    sample_context.statusMessage.connect(said.append)
    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    context.analysisUpdated.connect(model.set_result)
    model.set_filter("rack b", "")
    model.sort(REASON, Qt.SortOrder.AscendingOrder)  # while the search is written
    assert model.sort_column == REASON and said == []
    qtbot.waitUntil(lambda: model.pending == "", timeout=10_000)
    assert model.rows.tolist() == by_reason and said == []

    monkeypatch.setattr(cable_runs_model, "MAX_SHIFTED", 0)  # any edit of texts: every text written again
    rack = next(iter(context.document.racks))
    assert apply(context, UpdateRack(context.document, rack, name="Zulu"))
    qtbot.waitUntil(lambda: model.pending == "" and not model._job.running, timeout=10_000)
    assert model.sort_column == REASON and not any("too many" in s for s in said), said
    monkeypatch.setattr(cable_runs_model, "BACKGROUND_RUNS", 10**9)  # written at once
    fresh = CableRunsModel(context)
    fresh.set_filter("rack b", "")
    fresh.sort(REASON, Qt.SortOrder.AscendingOrder)
    assert fresh.sort_column == REASON and model.rows.tolist() == fresh.rows.tolist()


def test_many_rows_moved_carry_only_the_texts_on_show(sample_context, monkeypatch):
    """A rack of 1,392 cables deleted at 100,000 accelerators moved every text list and natural
    order the table had written (~0.2 s of copies) though the table showed none: unsorted and
    unfiltered, they are forgotten (written again when next needed); sorted by an end, only
    that order is carried, and the rows are still those of a fresh sort."""
    from gui.docks import cable_runs_model
    from model.commands import RemoveDevices

    monkeypatch.setattr(cable_runs_model, "FEW_ROWS", 2)  # a device's cables count as many
    context = sample_context
    model = CableRunsModel(context)
    context.documentChanged.connect(model.on_document_change)
    context.analysisUpdated.connect(model.follow)
    document = context.document
    cabled = [d for d in document.devices if len(document.device_cables.get(d, ())) > 2]
    model.sort(LABEL, Qt.SortOrder.AscendingOrder)
    model.sort(END_A, Qt.SortOrder.AscendingOrder)
    assert set(model._sorted) == {LABEL, END_A}
    assert apply(context, RemoveDevices(document, [cabled[0]]))
    assert set(model._sorted) == {END_A} and model._texts  # the order on show, carried
    assert model.rows.tolist() == fresh_rows(context, END_A, Qt.SortOrder.AscendingOrder)
    model.sort(-1, Qt.SortOrder.AscendingOrder)
    assert apply(context, RemoveDevices(document, [cabled[1]]))
    assert model._sorted == {} and model._texts == {}  # nothing on show needed them
    model.sort(END_B, Qt.SortOrder.AscendingOrder)
    assert model.rows.tolist() == fresh_rows(context, END_B, Qt.SortOrder.AscendingOrder)
