"""Lessons are read from a model's answer as untrusted text."""

from evo.llm.experience import MAX_LESSON, parse_lessons


def test_only_bulleted_sentences_outside_code_become_lessons():
    answer = "\n".join(
        [
            "Here are some lessons:",
            "- bomb with a step coprime to the core size",
            "```redcode",
            "- mov.i 0, 1",
            " add.ab #4, 3",
            "```",
            "- mov.i 0, 1",
            "* keep warriors short and fast",
            "- " + "long " * MAX_LESSON,
            "-",
            "- ok",
        ]
    )
    assert parse_lessons(answer, 8) == [
        "bomb with a step coprime to the core size",
        "keep warriors short and fast",
    ]
    assert parse_lessons(answer, 1) == ["bomb with a step coprime to the core size"]


def test_an_answer_without_lessons_gives_none():
    assert parse_lessons("```python\nx = 1\n```\nnothing to add", 5) == []
