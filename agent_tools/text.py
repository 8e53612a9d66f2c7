"""Text a person reads before approving: hidden characters shown, never obeyed; names compared as people read them.

Bidi controls (U+202E…), C0/C1 controls (ESC of ANSI sequences, CR, BEL…), zero-width and other
invisible format characters can make a summary say one thing and mean another, or rewrite a
terminal line. ``neutralise`` replaces each with a visible escape such as ``⟨U+202E⟩``.
"""

from __future__ import annotations

import unicodedata

__all__ = ["comparable_name", "is_hidden", "neutralise"]

# Shown as-is: ordinary spaces, and newline/tab where a multi-line text allows them.
_LAYOUT = {"\n", "\t"}
# Invisible but not in category Cf/Cc/Zl/Zp: fillers and variation selectors that render as nothing.
_INVISIBLE = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u180e", "\u2800"} | {chr(c) for c in range(0xFE00, 0xFE10)}


def is_hidden(char: str) -> bool:
    """True for a character that is invisible or changes how the text around it is shown."""
    if char in _INVISIBLE or 0xE0000 <= ord(char) <= 0xE0FFF:  # tags, variation selectors supplement
        return True
    category = unicodedata.category(char)
    # Cc controls, Cf format (bidi, zero-width, soft hyphen), Zl/Zp separators, Co private use, Cn unassigned
    return category in {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"} or (category == "Zs" and char != " ")


def neutralise(text: object, *, multiline: bool = False) -> str:
    """``text`` with every hidden character shown as a visible ``⟨U+XXXX⟩`` escape.

    With ``multiline`` a newline or tab stays as layout; otherwise it is escaped too, so a
    one-line summary can't pretend to end early.
    """
    value = text if isinstance(text, str) else str(text)
    out = []
    for char in value:
        if multiline and char in _LAYOUT:
            out.append(char)
        elif is_hidden(char):
            out.append(f"⟨U+{ord(char):04X}⟩")
        else:
            out.append(char)
    return "".join(out)


def comparable_name(name: str) -> str:
    """A person's name as compared for self-approval: NFKC, invisible characters removed, casefolded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", name)
    visible = "".join(char for char in folded if not is_hidden(char))
    return " ".join(visible.casefold().split())
