"""A seccomp filter for sandboxed programs (classic BPF, loaded by bubblewrap).

It refuses the system calls that would let an unprivileged program gain capabilities or
reach kernel surfaces no evaluation needs: new namespaces (``unshare``, ``setns``,
``clone`` with a namespace flag; ``clone3`` reports ENOSYS so libc falls back to
``clone``), io_uring, kernel keyrings, bpf, perf events and userfaultfd. System calls of
another ABI (32-bit calls on x86-64, x32) are refused as a whole.
"""

from __future__ import annotations

import errno
import platform
import struct

LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
JEQ = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x35  # BPF_JMP | BPF_JGE | BPF_K
JSET = 0x45  # BPF_JMP | BPF_JSET | BPF_K
RET = 0x06  # BPF_RET | BPF_K

ALLOW = 0x7FFF0000
DENY = 0x00050000 | errno.EPERM
NO_SYSCALL = 0x00050000 | errno.ENOSYS

NAMESPACE_FLAGS = 0x7E020000
"""CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET."""

X32_BIT = 0x40000000

ARCHES: dict[str, tuple[int, dict[str, int]]] = {
    "x86_64": (
        0xC000003E,
        dict(
            clone=56, clone3=435, unshare=272, setns=308, io_uring_setup=425,
            io_uring_enter=426, io_uring_register=427, keyctl=250, add_key=248,
            request_key=249, bpf=321, perf_event_open=298, userfaultfd=323,
        ),
    ),
    "aarch64": (
        0xC00000B7,
        dict(
            clone=220, clone3=435, unshare=97, setns=268, io_uring_setup=425,
            io_uring_enter=426, io_uring_register=427, keyctl=219, add_key=217,
            request_key=218, bpf=280, perf_event_open=241, userfaultfd=282,
        ),
    ),
}  # fmt: skip


def _op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program(machine: str | None = None) -> bytes | None:
    """The compiled filter for this machine's architecture, or None where it has none."""
    arch = ARCHES.get(machine or platform.machine())
    if arch is None:
        return None
    audit_arch, numbers = arch
    refused = [n for name, n in numbers.items() if name not in ("clone", "clone3")]
    # Layout: [checks...] allow, deny, no_syscall, clone-check (load, jset, allow, deny).
    checks: list[tuple[int, int, str]] = [(JEQ, numbers["clone3"], "no_syscall")]
    checks += [(JEQ, n, "deny") for n in refused]
    checks.append((JEQ, numbers["clone"], "clone"))
    head = [_op(LOAD, 4), _op(JEQ, audit_arch, 1, 0), _op(RET, DENY), _op(LOAD, 0)]
    if audit_arch == ARCHES["x86_64"][0]:
        checks.insert(0, (JGE, X32_BIT, "deny"))
    after = len(checks)  # index of "allow" relative to the first check
    targets = {"deny": after + 1, "no_syscall": after + 2, "clone": after + 3}
    body = [_op(code, k, targets[label] - i - 1, 0) for i, (code, k, label) in enumerate(checks)]
    tail = [_op(RET, ALLOW), _op(RET, DENY), _op(RET, NO_SYSCALL)]
    clone = [_op(LOAD, 16), _op(JSET, NAMESPACE_FLAGS, 1, 0), _op(RET, ALLOW), _op(RET, DENY)]
    return b"".join(head + body + tail + clone)
