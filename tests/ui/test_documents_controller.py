"""DocumentsController: indexing runs on a thread of its own, pauses and stops from the GUI thread (what
was read is kept), and searching answers while indexing is paused."""

from app.ui.documents.controller import DocumentsController


def test_indexing_pauses_stops_and_keeps_what_it_read_while_search_goes_on(qtbot, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for number in range(300):
        (folder / f"note{number:03}.txt").write_text(f"Notiz {number}: die Heizung im Raum {number} ist kalt.\n",
                                                      encoding="utf-8")
    controller = DocumentsController(tmp_path / "documents.sqlite3")
    try:
        steps = []
        controller.progressed.connect(steps.append)
        assert controller.index("Notizen", [str(folder)])
        controller.pause()  # before the first file: the indexing thread waits at its first step
        assert not controller.index("Andere", [str(folder)])  # one indexing at a time
        qtbot.wait(300)
        assert controller.paused and steps == []

        controller.resume()
        qtbot.waitUntil(lambda: bool(steps) and steps[-1].done >= 20)
        controller.pause()
        qtbot.wait(200)  # a step under way may still arrive
        paused_at = steps[-1].done
        qtbot.wait(300)
        assert steps[-1].done == paused_at < 300  # paused: no file more

        with qtbot.waitSignal(controller.retrieved, timeout=10_000) as found:  # searching does not wait for it
            controller.retrieve(["Notizen"], "Heizung Raum 7")
        assert [hit.path for hit in found.args[1]][:1] == [str(folder / "note007.txt")]

        with qtbot.waitSignal(controller.stopped, timeout=10_000):
            controller.stop()
        assert controller.indexing is None
        qtbot.waitUntil(lambda: bool(controller.collections))
        kept = controller.collections[0].files
        assert paused_at <= kept <= paused_at + 1

        with qtbot.waitSignal(controller.indexed, timeout=60_000) as done:  # the next run reads only the rest
            controller.index("Notizen", [])
        assert (done.args[1].added, done.args[1].unchanged) == (300 - kept, kept)
    finally:
        controller.close()
