"""Light and dark palettes: every text colour reads on its background (4.5:1), every bar and
line on the plots (3:1), the dark palette's meanings stay apart for every colour vision; the
window follows the system's scheme or View → Theme, remembers the choice, and re-styles every
widget (plots, bars, heatmaps, tables, the key insight, the problem bar) and back exactly.

Contrast and colour-vision distances are computed from their definitions in
test_gui_theme.py, not taken from the palette module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from test_gui_theme import _closest, contrast

from gui import theme, theme_chooser
from gui.app_settings import app_settings
from gui.palette import DARK, LIGHT, PALETTES, Palette, translation
from gui.widgets.weight_heatmap import _cell_label, cell_colour

BOTH = pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])


@pytest.fixture(autouse=True)
def _light_again() -> Iterator[None]:
    """Every test ends in the light palette, presenter mode off (the theme is per process)."""
    yield
    theme.set_presenting(False)
    theme.set_palette(LIGHT)


# The palettes as data ------------------------------------------------------------------------


@BOTH
@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presenting"])
def test_text_reads_on_every_background_it_is_drawn_on(palette: Palette, presenting: bool) -> None:
    text = palette.presenter_text if presenting else palette.text
    muted = palette.presenter_muted if presenting else palette.muted
    backgrounds = (
        palette.background,
        palette.window,
        palette.surface,
        palette.insight_background,
        palette.hover_background,
        palette.right_background,
        palette.wrong_background,
    )
    for background in backgrounds:
        assert contrast(text, background) >= 7, (text, background)
        assert contrast(muted, background) >= 4.5, (muted, background)
    for colour in (palette.error, palette.positive, palette.gradient, palette.slope):
        assert contrast(colour, palette.background) >= 4.5, colour
    for shade in (palette.negative_text, palette.predicted_text, palette.test_text):
        assert contrast(shade, palette.background) >= 4.5, shade
    assert contrast(palette.error, palette.problem_background) >= 4.5
    # The prediction badge and the lesson banner.
    for badge in (palette.predicted_text, palette.error):
        assert contrast(palette.on_strong, badge) >= 4.5, badge
    assert contrast("#ffffff", palette.banner) >= 7
    assert contrast(palette.banner_soft, palette.banner) >= 4.5


@BOTH
def test_bars_and_lines_stand_out_from_the_background(palette: Palette) -> None:
    for colour in (
        palette.positive,
        palette.negative,
        palette.predicted,
        palette.test,
        palette.gradient,
        palette.slope,
        palette.ghost,
        *palette.runs,
    ):
        assert contrast(colour, palette.background) >= 3.0, colour
    assert len(set(palette.runs)) == 4


def test_the_dark_palettes_meanings_differ_for_every_colour_vision() -> None:
    """The light palette's rules (test_gui_theme.py), for the dark palette's colours."""
    meanings = {
        "positive": DARK.positive,
        "negative": DARK.negative,
        "predicted": DARK.predicted,
        "test": DARK.test,
        "ghost": DARK.ghost,
        "error": DARK.error,
        "gradient": DARK.gradient,
        "slope": DARK.slope,
    }
    assert len(set(meanings.values())) == len(meanings)
    for name in ("gradient", "slope"):
        for other, colour in meanings.items():
            if other != name:
                assert _closest(meanings[name], colour) >= 20, (name, other)
    assert _closest(DARK.positive, DARK.slope) >= 30
    assert _closest(DARK.slope, DARK.error) >= 30
    assert _closest(DARK.positive, DARK.test) >= 20


@BOTH
def test_every_heatmap_number_reads_on_its_cell(palette: Palette) -> None:
    theme.set_palette(palette)
    for value in [i / 20 for i in range(-20, 21)]:
        cell = cell_colour(value, 1.0)
        text = _cell_label(0, 0, value, 1.0).colour
        assert contrast(text, cell) >= 4.5, (value, cell, text)
    assert cell_colour(0.0, 1.0) == palette.background
    assert cell_colour(1.0, 1.0) == palette.positive


@pytest.mark.parametrize("before", [False, True])
@pytest.mark.parametrize("after", [False, True])
def test_translations_are_one_to_one(before: bool, after: bool) -> None:
    """A colour means one slot in each palette, so a style sheet translates both ways."""
    for old in PALETTES.values():
        for new in PALETTES.values():
            mapping = translation(old, new, (before, after))
            back = translation(new, old, (after, before))
            for slot in fields(Palette):
                if slot.name == "name" or "presenter" in slot.name:
                    continue
                source, target = (
                    getattr(palette, f"presenter_{slot.name}" if on else slot.name).lower()
                    if slot.name in ("text", "muted")
                    else getattr(palette, slot.name).lower()
                    for palette, on in ((old, before), (new, after))
                )
                assert mapping[source] == target, slot.name
                assert back[target] == source, slot.name


# The window ------------------------------------------------------------------------------------


def _sheets(window: QWidget) -> dict[int, str]:
    """Every style sheet, its colours spelled one way ("white" is #ffffff), by widget."""
    found = {}
    for widget in [window, *window.findChildren(QWidget)]:
        sheet = widget.styleSheet()
        if sheet:
            found[id(widget)] = re.sub(r"\bwhite\b", "#ffffff", sheet).lower()
    return found


def _window_colour() -> str:
    return str(QApplication.palette().color(QPalette.ColorRole.Window).name())


def test_choosing_dark_restyles_every_widget_and_light_brings_it_all_back(
    qtbot: QtBot, window: Any
) -> None:
    window.gradients.action_show_gradients.setChecked(True)
    for mode in ("train", "predict", "explore"):  # every shared view laid out once
        window.state.mode = mode
    before, window_before = _sheets(window), _window_colour()
    panel = window.panels[0]
    assert panel.bar_colours[0] == LIGHT.positive
    chooser = window.menus.theme_chooser
    assert chooser.choice == "system"
    assert window.findChild(type(window.menus.action_shortcuts), "action_theme_system").isChecked()

    window.findChild(type(window.menus.action_shortcuts), "action_theme_dark").trigger()
    assert theme.dark()
    assert app_settings().value(theme_chooser.THEME_KEY) == "dark"
    assert QApplication.palette().color(QPalette.ColorRole.Base).name() == DARK.background
    assert _window_colour() == DARK.window
    assert panel.bar_colours[0] == DARK.positive  # the newest trace drawn again
    assert panel.plot.backgroundBrush().color().name() == DARK.background
    assert window.loss_plot.backgroundBrush().color().name() == DARK.background
    heatmap = window.heatmaps[0]
    assert heatmap.plot.getViewBox().background.brush().color().name() == DARK.empty
    after = _sheets(window)
    light_only = {
        getattr(LIGHT, slot.name).lower()
        for slot in fields(Palette)
        if slot.name != "name" and getattr(LIGHT, slot.name) != getattr(DARK, slot.name)
    }
    banner = id(window.presenter.bar)  # white text on the banner in both palettes
    for widget, sheet in after.items():
        leftovers = [colour for colour in light_only if colour in sheet and widget != banner]
        assert not leftovers, (leftovers, sheet)
    insight = window.pages["explore"].insight.styleSheet()
    assert DARK.insight_background in insight
    assert DARK.problem_background in window.model_problem.styleSheet()

    chooser.choose("light")
    assert not theme.dark()
    assert _sheets(window) == before
    assert _window_colour() == window_before
    assert panel.bar_colours[0] == LIGHT.positive
    assert panel.plot.backgroundBrush().color().name() == LIGHT.background


def test_following_the_system_scheme(
    qtbot: QtBot, window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hints = QGuiApplication.styleHints()
    assert theme_chooser.palette_for("system") is LIGHT  # offscreen says Unknown: light
    monkeypatch.setattr(theme_chooser, "system_scheme", lambda: Qt.ColorScheme.Dark)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.dark()
    assert window.panels[0].bar_colours[0] == DARK.positive
    # An explicit choice wins over the system's.
    window.menus.theme_chooser.choose("light")
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.dark()
    monkeypatch.setattr(theme_chooser, "system_scheme", lambda: Qt.ColorScheme.Light)
    window.menus.theme_chooser.choose("system")
    assert not theme.dark()


def test_a_remembered_dark_choice_opens_dark(qtbot: QtBot) -> None:
    import main

    settings = app_settings()
    settings.setValue(theme_chooser.THEME_KEY, "dark")
    settings.sync()
    window = main.build_window("quiz")
    qtbot.addWidget(window)
    try:
        assert theme.dark()
        assert window.panels[0].plot.backgroundBrush().color().name() == DARK.background
        assert window.menus.theme_chooser.actions["dark"].isChecked()
        for sheet in _sheets(window).values():  # built in the dark palette's colours
            assert LIGHT.insight_background not in sheet
        banner = window.presenter.bar.styleSheet()
        assert f"color: {LIGHT.on_strong}" in banner  # white on the banner, kept
        assert DARK.banner in banner
    finally:
        window.close()


def test_a_garbage_choice_follows_the_system(qapp: QApplication) -> None:
    settings = app_settings()
    settings.setValue(theme_chooser.THEME_KEY, "purple")
    settings.sync()
    assert theme_chooser.stored_choice() == "system"
    theme_chooser.apply_stored_theme()
    assert not theme.dark()


def test_presenter_mode_in_the_dark_palette(qapp: QApplication) -> None:
    theme.set_palette(DARK)
    assert (DARK.text, DARK.muted) == (theme.TEXT, theme.MUTED)
    theme.set_presenting(True)
    assert (DARK.presenter_text, DARK.presenter_muted) == (theme.TEXT, theme.MUTED)
    assert contrast(theme.TEXT, DARK.background) > contrast(DARK.text, DARK.background)
    theme.set_palette(LIGHT)  # while presenting: the light presenter's near black
    assert (LIGHT.presenter_text, LIGHT.presenter_muted) == (theme.TEXT, theme.MUTED)
    theme.set_presenting(False)
    assert (LIGHT.text, LIGHT.muted) == (theme.TEXT, theme.MUTED)
    assert theme.text_colour(theme.NEGATIVE) == LIGHT.negative_text


def _ink_lightness(action: Any) -> float:
    """The mean lightness (0–255) of an action icon's opaque pixels."""
    image = action.icon().pixmap(24, 24).toImage()
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 128
    ]
    assert values, "the icon draws nothing"
    return sum(values) / len(values)


def test_the_media_icons_read_on_either_palette(window: Any) -> None:
    """Train and Step's icons are drawn dark grey by the style: on the dark palette they
    vanished. They take the button text's ink, and contrast with the toolbar either way."""
    controls = window.controls
    for choice, palette in (("dark", DARK), ("light", LIGHT)):
        window.menus.theme_chooser.choose(choice)
        toolbar = QApplication.palette().color(QPalette.ColorRole.Window).lightness()
        for action in (controls.action_train, controls.action_step):
            assert abs(_ink_lightness(action) - toolbar) > 100, (palette.name, action.text())
    controls.action_train.setChecked(True)  # Pause: the same ink
    window.menus.theme_chooser.choose("dark")
    assert _ink_lightness(controls.action_train) > 150
    controls.action_train.setChecked(False)


def test_the_code_view_is_one_colour_behind_the_highlighting(qtbot: QtBot, window: Any) -> None:
    """Qt paints the highlighted HTML's background line by line: the view's own base showed
    between the lines as stripes on the dark palette. The view takes the style's background
    (the one its colours' 4.5:1 contrast is measured on)."""
    window.state.mode = "code"
    view = window.pages["code"].code_view
    for choice, background in (("dark", "#1d2331"), ("light", "#ffffff")):
        window.menus.theme_chooser.choose(choice)
        qtbot.waitUntil(
            lambda b=background: view.palette().color(QPalette.ColorRole.Base).name() == b,
            timeout=5000,
        )
        assert f"background-color:{background}" in view.toHtml()


def test_an_unticked_check_box_shows_its_border_on_the_dark_palette(
    qtbot: QtBot, window: Any
) -> None:
    """Fusion outlines a check box in its window colour, darker: on the dark palette the
    border of an unticked box was #1e2226 on #262b31, invisible. It must reach 3:1 (WCAG's
    minimum for the parts of a control) against the window."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    window.menus.theme_chooser.choose("dark")
    boxes = [b for b in window.findChildren(QCheckBox) if b.isVisible() and not b.isChecked()]
    assert boxes
    for box in boxes:
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        qtbot.waitUntil(  # the application's palette reaches each widget by a posted event
            lambda b=box: b.palette().color(QPalette.ColorRole.Base).name() == DARK.background,
            timeout=5000,
        )
        image = box.grab().toImage()
        ratio = image.devicePixelRatio()
        x, y = round(indicator.left() * ratio), round(indicator.center().y() * ratio)
        edge = image.pixelColor(x, y)
        assert contrast(edge.name(), DARK.window) >= 3.0, (box.text(), edge.name())
