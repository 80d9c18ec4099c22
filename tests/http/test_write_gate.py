"""The write gate: replays wait for the process's other writes, within their patience."""

import threading

from objweb.web.writers import WriteGate

# Long enough for a thread to get as far as it can; the gate is bounded by
# PATIENCE, so no test waits longer than a few seconds even when it fails.
SETTLE = 0.2
PATIENCE = 5.0


class Holder(threading.Thread):
    """A thread that enters the gate one way, says so, and leaves when released."""

    def __init__(self, enter):
        super().__init__(daemon=True)
        self.enter = enter
        self.entered = threading.Event()
        self.release = threading.Event()

    def run(self):
        with self.enter():
            self.entered.set()
            self.release.wait(PATIENCE)

    def leave(self):
        self.release.set()
        self.join(PATIENCE)


def started(enter) -> Holder:
    holder = Holder(enter)
    holder.start()
    return holder


def test_writers_share_the_gate():
    gate = WriteGate(patience=PATIENCE)
    first, second = started(gate.shared), started(gate.shared)
    assert first.entered.wait(PATIENCE) and second.entered.wait(PATIENCE)
    first.leave(), second.leave()


def test_a_replay_waits_for_the_writes_under_way_and_new_writes_wait_for_it():
    gate = WriteGate(patience=PATIENCE)
    writing = started(gate.shared)
    assert writing.entered.wait(PATIENCE)
    replay = started(gate.alone)
    assert not replay.entered.wait(SETTLE)
    late = started(gate.shared)
    assert not late.entered.wait(SETTLE)
    writing.leave()
    assert replay.entered.wait(PATIENCE)
    assert not late.entered.wait(SETTLE)
    replay.leave()
    assert late.entered.wait(PATIENCE)
    late.leave()


def test_a_replay_that_runs_out_of_patience_runs_beside_the_others():
    gate = WriteGate(patience=SETTLE)
    writing = started(gate.shared)
    assert writing.entered.wait(PATIENCE)
    replay = started(gate.alone)
    assert replay.entered.wait(PATIENCE)
    assert not writing.release.is_set()
    # Both leave as sharers: a patient replay then finds the gate free at once.
    writing.leave(), replay.leave()
    gate.patience = PATIENCE
    free = started(gate.alone)
    assert free.entered.wait(SETTLE * 5)
    free.leave()


def test_a_writer_that_runs_out_of_patience_goes_in_beside_a_long_replay():
    gate = WriteGate(patience=SETTLE)
    replay = started(gate.alone)
    assert replay.entered.wait(PATIENCE)
    writer = started(gate.shared)
    assert writer.entered.wait(PATIENCE)
    writer.leave(), replay.leave()
