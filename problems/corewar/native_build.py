"""Build ``rounds.play_rounds`` into a plain shared library with a C entry point.

numba compiles a C-callable wrapper (``cfunc``) that views raw buffers as arrays and
calls ``play_rounds``; LLVM then keeps only that entry point, optimises the whole module
and writes a position-independent object, which the C compiler links into a library.
Nothing in it refers to numba's runtime or to Python (the link refuses undefined
symbols), so ``compiled`` calls it through ctypes with neither numba nor numpy loaded.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sysconfig
import tempfile
from pathlib import Path

from problems.corewar.layout import ARGUMENTS, ENTRY, OBSERVATIONS, STATE_ROWS


def _entry():  # noqa: ANN202 - a numba CFunc
    from numba import carray, cfunc, types

    from problems.corewar.rounds import play_rounds

    kinds = {
        "i32*": types.CPointer(types.int32),
        "i64*": types.CPointer(types.int64),
        "u8*": types.CPointer(types.uint8),
        "u16*": types.CPointer(types.uint16),
        "bool*": types.CPointer(types.boolean),
        "i64": types.int64,
    }
    signature = types.int64(*(kinds[kind] for _, kind in ARGUMENTS))

    @cfunc(signature, error_model="numpy")
    def entry(  # noqa: PLR0913 - the table above
        instr, a, b, offsets, lengths, starts, positions, starters, pspace_index, alive,
        order, observations, core, queue, state, written, pspace, last_result, n, rounds,
        code_length, size, cycles, processes, psize, queue_length, track,
    ):  # fmt: skip
        tracked = track != 0
        return play_rounds(
            carray(instr, code_length),
            carray(a, code_length),
            carray(b, code_length),
            carray(offsets, n),
            carray(lengths, n),
            carray(starts, n),
            carray(positions, (rounds, n)),
            carray(starters, rounds),
            cycles,
            processes,
            carray(pspace_index, n),
            tracked,
            carray(alive, (rounds, n)),
            carray(order, (rounds, n)),
            carray(observations, (rounds, n, OBSERVATIONS)),
            carray(core, 4 * size),
            carray(queue, queue_length),
            carray(state, (STATE_ROWS, n)),
            carray(written, (n, size) if tracked else (1, 1)),
            carray(pspace, (n, psize)),
            carray(last_result, n),
        )

    return entry


def _object_code() -> bytes:
    """The entry point and all it calls as one optimised, position-independent object."""
    import llvmlite.binding as llvm

    entry = _entry()
    module = llvm.parse_assembly(entry.inspect_llvm())
    for function in module.functions:
        if function.is_declaration:
            continue
        if function.name == entry.native_name:
            function.name = ENTRY
        else:
            function.linkage = "internal"
    for variable in module.global_variables:
        if not variable.is_declaration:
            variable.linkage = "internal"
    target = llvm.Target.from_triple(llvm.get_process_triple())
    machine = target.create_target_machine(opt=3, reloc="pic", codemodel="default")
    passes = llvm.create_pass_builder(machine, llvm.create_pipeline_tuning_options(3))
    passes.getModulePassManager().run(module, passes)
    return machine.emit_object(module)


def c_compiler() -> list[str]:
    """The C compiler: ``$CC``, else Python's, else ``cc``."""
    return shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")


def build(target: Path) -> None:
    """Write the library to ``target`` (atomically: built beside it, then renamed)."""
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        obj = Path(scratch) / "kernel.o"
        obj.write_bytes(_object_code())
        library = Path(scratch) / target.name
        command = [*c_compiler(), "-shared", "-Wl,-z,defs", "-o", str(library), str(obj)]
        linked = subprocess.run(command, capture_output=True, text=True)
        if linked.returncode != 0:
            detail = (linked.stderr or linked.stdout).strip().splitlines()
            raise RuntimeError(f"{shlex.join(command)} failed: {' '.join(detail[:3])}")
        os.replace(library, target)
