"""In-process deadlines: code that defeats the alarm is stopped all the same, in the main
thread and in others, and no exception escapes a block that ended in time."""

import signal
import threading
import time

import pytest

from evo.evaluation import deadline as dl
from evo.evaluation.deadline import DeadlineExceeded, DeadlineWarning, deadline


def spin_ignoring_the_alarm():
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass


def swallow_once_then_spin():
    try:  # noqa: SIM105  (a literal swallow is the point)
        time.sleep(60)
    except BaseException:
        pass
    while True:
        pass


@pytest.mark.parametrize("body", [spin_ignoring_the_alarm, swallow_once_then_spin])
def test_code_that_defeats_the_alarm_is_stopped_in_the_main_thread(body):
    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded), deadline(0.3):
        body()
    assert time.monotonic() - started < 3
    signal.signal(signal.SIGALRM, previous)


def test_other_threads_get_a_deadline_too():
    caught = []

    def work():
        try:
            with deadline(0.3):
                while True:
                    pass
        except DeadlineExceeded:
            caught.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert caught == [True] and not thread.is_alive()


def test_nothing_escapes_blocks_that_end_in_time():
    for _ in range(200):
        with deadline(0.002):
            sum(range(2000))
    time.sleep(dl.ESCALATE + 3 * dl.REPEAT)  # a late throw would land here


def test_a_task_that_cannot_be_stopped_is_reported(monkeypatch):
    monkeypatch.setattr(dl, "HOPELESS", 0.3)
    stop = threading.Event()

    def stubborn():
        with deadline(0.1):
            while not stop.is_set():
                try:
                    while not stop.is_set():
                        pass
                except BaseException:
                    continue

    thread = threading.Thread(target=stubborn)
    with pytest.warns(DeadlineWarning, match="cannot kill it"):
        thread.start()
        time.sleep(1.5)
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
