"""Hidden characters are shown to the approver, never obeyed; names compare as people read them."""

from agent_tools.text import comparable_name, neutralise


def test_ansi_sequences_are_shown_not_run():
    assert neutralise("\x1b[2K\x1b[1GPay AUD 1.00") == "⟨U+001B⟩[2K⟨U+001B⟩[1GPay AUD 1.00"


def test_bidi_and_zero_width_characters_become_visible_escapes():
    assert neutralise("Grace\u202eoH\u200b") == "Grace⟨U+202E⟩oH⟨U+200B⟩"
    assert neutralise("a\u00adb\ufeffc\u2066d") == "a⟨U+00AD⟩b⟨U+FEFF⟩c⟨U+2066⟩d"


def test_ordinary_text_in_any_script_is_unchanged():
    text = "Grace Ho — café 中文 Ωμέγα 👍"
    assert neutralise(text) == text


def test_newlines_are_escaped_unless_the_text_is_multiline():
    assert neutralise("a\nb") == "a⟨U+000A⟩b"
    assert neutralise("a\nb\r", multiline=True) == "a\nb⟨U+000D⟩"


def test_names_that_read_the_same_compare_equal():
    for variant in ("Assistant", "assistant\u200b", "ass\u00adistant", "ＡＳＳＩＳＴＡＮＴ", " assistant "):
        assert comparable_name(variant) == "assistant"
    assert comparable_name("Grace Ho") != comparable_name("assistant")
