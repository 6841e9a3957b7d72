"""The portal's own set of pictograms, drawn as inline SVG (no icon font, no requests).

Caseworkers pick one per plan item (`PlanItem.pictogram` holds the key); the
children's path and easy-read pages draw them. Shapes are simple, high-contrast
line drawings on a 24×24 grid, readable at small sizes; they use `currentColor`
so they follow the text colour. Arrows are mirrored for right-to-left pages by
the stylesheet (class `picto-directional`).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

# The outline and eyes every face shares.
_FACE = "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8.5 9.5h1M14.5 9.5h1"

# key: (label for the picker and screen readers, SVG path data)
PICTOGRAMS: dict[str, tuple] = {
    "home": (_l("House"), "M3 11l9-8 9 8M5 10v10h5v-6h4v6h5V10"),
    "bed": (_l("Bed"), "M3 18V7M3 14h18v4M21 14v-3a3 3 0 0 0-3-3h-7v6M7 11.5a1.5 1.5 0 1 0 0-.01"),
    "clock": (_l("Clock"), "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2"),
    "moon": (_l("Moon"), "M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z"),
    "sun": (_l("Sun"), "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2"),
    "ball": (_l("Ball"), "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3.5 9h17M3.5 15h17M12 3c-3 3-3 15 0 18M12 3c3 3 3 15 0 18"),
    "handshake": (_l("Handshake"), "M2 11l5-5 5 3 5-3 5 5M7 6v6l4 4M17 6v6l-4 4M9 14l2 2M11 12l3 3"),
    "people": (_l("People"), "M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM2 20c0-3 3-5 6-5s6 2 6 5M12 20c0-3 2-5 4-5s6 2 6 5"),
    "calendar": (_l("Calendar"), "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h3v3H8z"),
    "suitcase": (_l("Suitcase"), "M4 8h16v11H4zM9 8V5h6v3M9 8v11M15 8v11"),
    "heart": (_l("Heart"), "M12 20s-8-5-8-11a4.5 4.5 0 0 1 8-2.5A4.5 4.5 0 0 1 20 9c0 6-8 11-8 11z"),
    "school": (_l("School"), "M2 9l10-5 10 5-10 5zM6 11v5c3 2 9 2 12 0v-5M22 9v6"),
    "talk": (_l("Talking"), "M4 5h16v10H9l-5 4z"),
    "star": (_l("Star"), "M12 3l2.7 5.6 6.3.9-4.5 4.4 1 6.1-5.5-2.9-5.5 2.9 1-6.1L3 9.5l6.3-.9z"),
    "doctor": (_l("Health"), "M10 3h4v7h7v4h-7v7h-4v-7H3v-4h7z"),
    "court": (_l("Court"), "M3 20h18M5 17h14M6 10v7M10 10v7M14 10v7M18 10v7M3 10h18L12 4z"),
    "path": (_l("Way"), "M5 21c0-6 14-6 14-12M19 9l-3-3M19 9l3-3"),
    "check": (_l("Done"), "M4 12l5 5L20 6"),
    "globe": (_l("Languages"), "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c-3 3-3 15 0 18M12 3c3 3 3 15 0 18"),
    "phone": (_l("Phone"), "M5 4h4l2 5-3 2a11 11 0 0 0 5 5l2-3 5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z"),
    # Five faces, from very sad to very happy: a child's check-in (portal.checkins).
    "face1": (_l("Very sad face"), _FACE + "M8 17.5c1.5-3.5 6.5-3.5 8 0"),
    "face2": (_l("Sad face"), _FACE + "M8.5 16.5c1.5-1.8 5.5-1.8 7 0"),
    "face3": (_l("Neither sad nor happy face"), _FACE + "M8.5 15.5h7"),
    "face4": (_l("Happy face"), _FACE + "M8.5 14.5c1.5 1.8 5.5 1.8 7 0"),
    "face5": (_l("Very happy face"), _FACE + "M7.5 13.5c1.5 4 7.5 4 9 0z"),
}


# Pictograms that point along the reading direction: mirrored on right-to-left pages.
DIRECTIONAL = frozenset({"path"})


def names() -> list[tuple[str, str]]:
    """(key, label) pairs for a picker, in the reader's language."""
    return [(key, str(label)) for key, (label, _path) in PICTOGRAMS.items()]


def svg(key: str | None, size: int = 48, labelled: bool = False) -> Markup:
    """An inline SVG for `key`; decorative (aria-hidden) unless `labelled`."""
    if key not in PICTOGRAMS:
        return Markup("")
    label, path = PICTOGRAMS[key]
    accessible = f'role="img" aria-label="{Markup.escape(str(label))}"' if labelled else 'aria-hidden="true" focusable="false"'
    return Markup(
        f'<svg class="picto picto-{key}{" picto-directional" if key in DIRECTIONAL else ""}" width="{size}" height="{size}" viewBox="0 0 24 24" {accessible} '
        f'fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">'
        f'<path d="{path}"/></svg>'
    )
