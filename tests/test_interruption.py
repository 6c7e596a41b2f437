"""Interrupted computations: the CLI leaves no partial output and exits 130; sweeps cancel and clean up.

``python -m optolib reproduce`` stages ``ID.png`` and ``ID.csv`` as temporary files and renames
both only when both are complete, so Ctrl-C (or any error) at any point leaves the output folder
as it was.  :func:`optolib.sweep.sweep` cancels the chunks still pending when one chunk fails or
the user interrupts, re-raises, and closes its progress bar.
"""

from __future__ import annotations

import concurrent.futures as cf
import signal
import subprocess
import sys
import textwrap
import threading
import time

import matplotlib.figure
import numpy as np
import pytest

import optolib.figures as figures
import optolib.sweep as sweep_module
from optolib.__main__ import main
from optolib.sweep import sweep

FIG = "A-fig1b"  # the cheapest registered figure (0.1 s)


def _interrupting_savefig(self, fname, *args, **kwargs):
    fname.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)  # half a PNG already on disk, then Ctrl-C
    fname.flush()
    raise KeyboardInterrupt


def _interrupting_rows(f, header, rows, has_z):
    f.write(",".join(header) + "\r\n" + "a,left,0.1,")  # a header and half a row, then Ctrl-C
    f.flush()
    raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["savefig", "csv"])
def test_ctrl_c_while_writing_leaves_nothing_and_exits_130(tmp_path, capsys, monkeypatch, where):
    if where == "savefig":
        monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _interrupting_savefig)
    else:
        monkeypatch.setattr(figures, "_write_rows", _interrupting_rows)
    assert main(["reproduce", FIG, "--outdir", str(tmp_path)]) == 130
    assert list(tmp_path.iterdir()) == []  # no ID.png, no ID.csv, no .ID.png.xxxx temporaries
    err = capsys.readouterr().err
    assert err.strip() == f"interrupted while reproducing {FIG}: no {FIG}.png or {FIG}.csv written"


@pytest.mark.parametrize("where", ["savefig", "csv"])
def test_ctrl_c_keeps_the_previous_complete_pair(tmp_path, monkeypatch, where):
    assert main(["reproduce", FIG, "--outdir", str(tmp_path)]) == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(before) == [f"{FIG}.csv", f"{FIG}.png"]
    if where == "savefig":
        monkeypatch.setattr(matplotlib.figure.Figure, "savefig", _interrupting_savefig)
    else:
        monkeypatch.setattr(figures, "_write_rows", _interrupting_rows)
    assert main(["reproduce", FIG, "--outdir", str(tmp_path)]) == 130
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_an_error_while_writing_csv_leaves_no_png(tmp_path, monkeypatch):
    def full_disk(f, header, rows, has_z):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(figures, "_write_rows", full_disk)
    with pytest.raises(OSError, match="No space left"):
        figures.reproduce(FIG, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_computation_exits_130(tmp_path, capsys, monkeypatch):
    spec = figures.get(FIG)

    def compute():
        raise KeyboardInterrupt

    monkeypatch.setitem(figures.FIGURES, FIG, type(spec)(**{**spec.__dict__, "compute": compute}))
    assert main(["reproduce", FIG, "B-fig1b", "--outdir", str(tmp_path)]) == 130  # stops: no B-fig1b
    assert list(tmp_path.iterdir()) == []
    assert "interrupted" in capsys.readouterr().err


# The real thing: a child process computing A-fig3e (about 2 s) gets SIGINT mid-computation.  The
# child announces on stdout when the computation has started, so the signal never lands during
# the imports; everything else is the unmodified command line.
_CHILD = textwrap.dedent("""
    import sys
    import optolib.figures as figures
    from optolib.__main__ import main
    spec = figures.get("A-fig3e")

    def compute():
        print("computing", flush=True)
        return spec.compute()

    figures.FIGURES["A-fig3e"] = type(spec)(**{**spec.__dict__, "compute": compute})
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigint_to_a_real_process_while_it_computes(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, "reproduce", "A-fig3e", "--outdir", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "computing"
        time.sleep(0.3)
        t0 = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        latency = time.perf_counter() - t0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1
    assert stderr.strip() == "interrupted while reproducing A-fig3e: no A-fig3e.png or A-fig3e.csv written"
    assert "wrote" not in stdout
    assert list(out.iterdir()) == []  # the folder was created, nothing was written into it
    assert latency < 10  # Ctrl-C is honoured within one batched call, not after the whole figure


# -- optolib.sweep -------------------------------------------------------------------------------
class _Bar:
    """Stand-in for the tqdm bar: records updates and whether it was closed."""

    def __init__(self):
        self.n, self.closed = 0, False

    def update(self, k):
        self.n += k

    def close(self):
        self.closed = True


@pytest.fixture
def bar(monkeypatch):
    made = []

    def fake(total, desc, enabled):
        made.append(_Bar())
        return made[-1]

    monkeypatch.setattr(sweep_module, "_progress_bar", fake)
    return made


class _ManualExecutor:
    """Executor whose futures never run by themselves: the test decides each one's fate."""

    def __init__(self):
        self.futures: list[cf.Future] = []

    def submit(self, fn, *args, **kwargs):
        fut = cf.Future()
        self.futures.append(fut)
        return fut


@pytest.mark.parametrize("exc", [RuntimeError("chunk failed"), KeyboardInterrupt()])
def test_failing_chunk_cancels_every_pending_future_and_propagates(bar, exc):
    ex = _ManualExecutor()

    def start_then_fail():
        # runs once sweep has submitted everything and waits for the first result
        while len(ex.futures) < 10:
            time.sleep(0.001)
        ex.futures[0].set_result(np.zeros(5))
        ex.futures[1].set_exception(exc)

    t = threading.Thread(target=start_then_fail)
    t.start()
    with pytest.raises(type(exc)):
        sweep(lambda x: x, {"x": np.arange(50.0)}, chunk_size=5, executor=ex, progress=True)
    t.join()
    assert [f.cancelled() for f in ex.futures] == [False, False] + [True] * 8
    assert bar[-1].closed and bar[-1].n == 5  # one chunk counted, then closed


def _slow_chunk(x, fail_at, ran):
    ran.append(float(x[0]))
    time.sleep(0.02)
    if x[0] == fail_at:
        raise KeyboardInterrupt  # what Ctrl-C inside a worker looks like to the caller
    return x


def test_thread_pool_stops_after_a_failing_chunk(bar):
    ran: list[float] = []
    with cf.ThreadPoolExecutor(max_workers=1) as ex, pytest.raises(KeyboardInterrupt):
        sweep(_slow_chunk, {"x": np.arange(100.0)}, chunk_size=2, executor=ex, progress=True,
              fail_at=2.0, ran=ran)
    # 50 chunks were submitted; the failing one is the second, and at most the one already
    # running when the error arrived follows it: the other ~47 were cancelled, not run
    assert len(ran) <= 4, ran
    assert bar[-1].closed


def test_serial_sweep_propagates_and_closes_the_bar(bar):
    ran: list[float] = []
    with pytest.raises(KeyboardInterrupt):
        sweep(_slow_chunk, {"x": np.arange(10.0)}, chunk_size=2, progress=True, fail_at=4.0, ran=ran)
    assert ran == [0.0, 2.0, 4.0] and bar[-1].closed and bar[-1].n == 4
