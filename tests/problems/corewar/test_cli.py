"""`evo battle` as a whole process: pMARS's output format, options and exit codes."""

import json
import subprocess

import pytest

from support import EVO, REPO, SHARED

COREWAR = SHARED / "corewar"


def test_two_warrior_output_matches_pmars(evo_cli):
    g = json.loads((COREWAR / "pmars-golden-94nop.jsonl").read_text().splitlines()[0])
    result = evo_cli(
        "battle",
        "-r",
        str(g["rounds"]),
        "-F",
        str(g["F"]),
        str(COREWAR / g["w1"]),
        str(COREWAR / g["w2"]),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("Damage Incorporated by Anton Marsden scores ")
    assert lines[2] == f"Results: {g['w1_wins']} {g['w2_wins']} {g['ties']}"
    w1, w2 = (int(line.rsplit(" ", 1)[1]) for line in lines[:2])
    assert w1 == 3 * g["w1_wins"] + g["ties"] and w2 == 3 * g["w2_wins"] + g["ties"]


def test_melee_output_format(evo_cli):
    names = ["aeka", "rave", "flashpaper"]
    result = evo_cli(
        "battle",
        "-r",
        "10",
        "-F",
        "3000",
        *(str(COREWAR / "warriors" / "examples" / f"{n}.red") for n in names),
    )
    assert result.returncode == 0, result.stderr
    # recorded from `pmars -b -r 10 -F 3000 aeka.red rave.red flashpaper.red`
    assert result.stdout.splitlines() == [
        "Aeka by T.Hsu scores 34",
        "  Results: 2 3 3 2",
        "Rave by Stefan Strack scores 22",
        "  Results: 2 0 3 5",
        "Flash Paper3.7 by Matt Hastings scores 18",
        "  Results: 0 3 3 4",
    ]


def test_a_warrior_without_instructions_plays_and_dies_as_in_pmars(evo_cli, tmp_path):
    """pMARS only warns about a warrior with no instructions (here its code sits in a
    FOR block that counts to 0 under these settings): it starts on an empty cell and dies
    at its first step, so of two such warriors the first mover loses each round."""
    empty = tmp_path / "empty.red"
    empty.write_text(";redcode\n;name Empty\n;author nobody\nFOR MAXCYCLES == 1\nmov 0, 1\nROF\n")
    imp = tmp_path / "imp.red"
    imp.write_text(";redcode\n;name Imp\n;author x\nmov 0, 1\n")
    # recorded from `pmars -b -r 4 imp.red empty.red` and `pmars -b -r 4 empty.red empty.red`
    result = evo_cli("battle", "-r", "4", str(imp), str(empty))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Imp by x scores 12", "Empty by nobody scores 0", "Results: 4 0 0",
    ]  # fmt: skip
    assert result.stderr.strip() == (
        f"{empty}: warning: no instructions: the warrior dies at its first step"
    )
    result = evo_cli("battle", "-r", "4", str(empty), str(empty))
    assert result.stdout.splitlines() == [
        "Empty by nobody scores 6", "Empty by nobody scores 6", "Results: 2 2 0",
    ]  # fmt: skip


def test_assembly_error_names_file_and_line_with_status_3(evo_cli, tmp_path):
    bad = tmp_path / "bad.red"
    bad.write_text(";redcode\n;name Bad\n mov 0, 1\n jmp nowhere\n")
    good = COREWAR / "warriors" / "examples" / "aeka.red"
    result = evo_cli("battle", str(good), str(bad))
    assert result.returncode == 3 and result.stdout == ""
    assert result.stderr.strip() == f"{bad}:4: undefined symbol 'nowhere'"
    missing = evo_cli("battle", str(good), str(tmp_path / "absent.red"))
    assert missing.returncode == 3 and "absent.red: cannot read warrior" in missing.stderr


@pytest.mark.parametrize(
    "options, message",
    [
        (["-d", "50"], "-d (min distance) cannot be smaller"),
        (["-F", "20"], "-F (position"),
        (["-r", "0"], "-r must be at least 1"),
        (["-s", "150"], "core size too small"),
    ],
)
def test_bad_options_are_refused(evo_cli, options, message):
    w = str(COREWAR / "warriors" / "examples" / "aeka.red")
    result = evo_cli("battle", *options, w, w)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_other_settings_are_accepted(evo_cli):
    w = [str(REPO / "problems" / "corewar" / "seeds" / f"{n}.red") for n in ("dwarf", "paper")]
    small = evo_cli(
        "battle",
        "-r",
        "5",
        "-F",
        "1000",
        "-s",
        "4000",
        "-c",
        "2000",
        "-p",
        "64",
        "-l",
        "100",
        "-d",
        "200",
        "-S",
        "100",
        *w,
    )
    assert small.returncode == 0, small.stderr
    assert small.stdout.splitlines()[-1].startswith("Results: ")


def test_a_pmars_command_line_is_drop_in(evo_cli):
    """`pmars -b -r 20 a b` works as `evo battle -b -r 20 a b`, with the same output."""
    w = [str(REPO / "problems" / "corewar" / "seeds" / f"{n}.red") for n in ("dwarf", "imp")]
    brief = evo_cli("battle", "-b", "-r", "20", "-F", "2000", *w)
    plain = evo_cli("battle", "-r", "20", "-F", "2000", *w)
    assert brief.returncode == 0, brief.stderr
    assert brief.stdout == plain.stdout and "Results: " in brief.stdout


def test_a_reader_that_goes_away_ends_the_battle_quietly():
    """As `evo battle ... | head -1`: no traceback when stdout's reader has gone."""
    warrior = str(COREWAR / "warriors" / "examples" / "rave.red")
    battle = subprocess.Popen(
        [*EVO, "battle", "-r", "2", warrior, warrior],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    battle.stdout.close()
    stderr = battle.stderr.read().decode()
    assert battle.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "Error" not in stderr
