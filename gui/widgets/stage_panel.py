"""One stage of the pipeline: its values as bars, the pre-activations behind them, the words,
and on request the gradient of the loss under them.

Plot items are created once and updated in place: a panel repaints in well under a millisecond,
so bars follow every keystroke. Ranges never autoscale: bounded activations use their fixed
range, unbounded ones (and the gradients) a symmetric range that only grows, so bars don't jump.

Panels are named by position ("input", "layer1", "layer2", "output"), never by activation: two
ReLU layers must not share names, and a panel keeps its names when the learner picks another
activation for its layer (:meth:`StagePanel.set_activation` reconfigures it in place).

The panel composes its parts (:class:`StageHeader`, :class:`ValuePlot`, :class:`GradientPlot`
and a footer) and keeps them in step: it holds the stage shown, whether it is stale, and gives
both plots' axes one width so that each gradient bar stands under its value bar.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from gui import theme
from gui.widgets.bar_plot import BarPlot, ticks_width
from gui.widgets.fitting_label import FittingLabel
from gui.widgets.gradient_plot import GradientPlot
from gui.widgets.plot_labels import Label, PlotLabels
from gui.widgets.stage_header import StageHeader
from gui.widgets.stage_text import WAITING, bar_labels, footer_texts, formula_text, gradient_tip
from gui.widgets.value_plot import PLOT_MIN_HEIGHT, PLOT_MIN_HEIGHT_WITH_GRADIENT, ValuePlot
from model.activations import Activation
from model.trace import StageTrace


class StagePanel(QFrame):
    """Bars for one stage, titled with its activation's name, formula and meaning.

    ``key`` names every child widget by position (``stage_panel_{key}``, ``stage_plot_{key}``
    …); ``title`` is the position as the learner reads it ("Input", "layer 1", "output").
    Layer panels get their activation from :meth:`set_activation` (or are built with
    :meth:`for_activation`); the Input panel has none. The gradient row, hidden at first,
    shows ∂L/∂z per unit (∂L/∂x for the input) under the value bars.
    """

    def __init__(
        self,
        key: str,
        title: str,
        formula: str = "",
        meaning: str = "",
        *,
        labels: Sequence[str] = ("1", "2", "3", "4"),
        has_pre_activation: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.title = title
        #: The activation's name as displayed ("Input" for the input stage).
        self.name = title
        self._activation: Activation | None = None
        self._temperature = 1.0
        self._normalizes = False
        self._count = len(labels)
        self._heights: tuple[float, ...] = ()
        self._states: tuple[str, ...] = ()
        self._stage: StageTrace | None = None
        self._stale = False
        self._gradients_visible = False
        self.setObjectName(f"stage_panel_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._header = StageHeader(key)
        self._footer = FittingLabel()
        self._footer.setObjectName(f"stage_footer_{key}")
        self._footer.setStyleSheet(f"color: {theme.MUTED}")
        self._footer.set_texts(WAITING)
        self.plot = ValuePlot(key, self._count, has_pre_activation=has_pre_activation)
        self.plot.resized.connect(self._apply_range)
        self.gradient_plot = GradientPlot(key, self._count)
        self.gradient_plot.resized.connect(self._apply_gradient_range)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(self._header)
        layout.addWidget(self.plot, 2)
        layout.addWidget(self.gradient_plot, 1)
        layout.addWidget(self._footer)
        self.set_labels(labels)
        self._set_words(formula, meaning, "")
        self._apply_range()
        self._apply_gradient_range()

    @classmethod
    def for_activation(
        cls,
        key: str,
        title: str,
        activation: Activation,
        *,
        temperature: float = 1.0,
        labels: Sequence[str] | None = None,
        parent: QWidget | None = None,
    ) -> StagePanel:
        """A layer's panel for ``activation`` (bar names from its symbol unless ``labels``)."""
        panel = cls(key, title, labels=labels or bar_labels(activation.symbol), parent=parent)
        panel.set_activation(activation, temperature)
        return panel

    # Configuring ----------------------------------------------------------------------------

    def set_activation(
        self,
        activation: Activation,
        temperature: float = 1.0,
        labels: Sequence[str] | None = None,
    ) -> None:
        """Show ``activation`` (a learner picked another one for this layer), in place.

        Title, formula (with ``temperature`` T for a normalizing activation), meaning, the
        "watch out" sentence, the value range (fixed when both ends are bounded, else growing
        from ±1 again) and the bar names (from the symbol unless ``labels``) all follow.
        Bars drawn for the previous activation are cleared until the next :meth:`show_stage`.
        Nothing happens when the activation and temperature are those already shown.
        """
        new_labels = tuple(labels or bar_labels(activation.symbol, self._count))
        if (activation, temperature) == (self._activation, self._temperature):
            self.set_labels(new_labels)
            return
        self._activation, self._temperature = activation, temperature
        self.name = activation.name
        low, high = activation.output_range
        self.plot.fixed_range = (low, high) if low is not None and high is not None else None
        self._normalizes = activation.normalizes
        self.plot.has_pre_activation = True
        self.set_labels(new_labels)
        formula = formula_text(activation, temperature)
        self._set_words(formula, activation.meaning, activation.caution)
        self._clear()
        self.reset_range()

    def set_labels(self, labels: Sequence[str]) -> None:
        """Name the bars (along the bottom of the value plot), one name per bar."""
        self.plot.set_names(labels)

    def set_gradients_visible(self, visible: bool) -> None:
        """Show or hide the gradient row under the value bars."""
        if visible == self._gradients_visible:
            return
        self._gradients_visible = visible
        # Together the two plots ask for little more than the value plot alone.
        self.plot.setMinimumHeight(PLOT_MIN_HEIGHT_WITH_GRADIENT if visible else PLOT_MIN_HEIGHT)
        self.gradient_plot.setVisible(visible)
        if visible:
            self._draw_gradient()
        self._fit_axes()

    def set_meaning_visible(self, visible: bool) -> None:
        """Show or hide the activation's one-line meaning under its formula."""
        self._header.set_meaning_visible(visible)

    def add_title_widget(self, widget: QWidget, *, names_activation: bool = False) -> None:
        """Put ``widget`` (a picker) in the title row, after the title.

        With ``names_activation`` (an activation combo box shows the name already) the title
        says the position instead, and steps aside when the row is short of room; otherwise
        the name stays and only the position steps aside.
        """
        self._header.add_title_widget(widget, names_activation=names_activation)

    def _set_words(self, formula: str, meaning: str, caution: str) -> None:
        title = self.title
        self._header.set_words(self.name, title, formula, meaning, caution)
        tip = f"{self.name}: {meaning}" if meaning else self.name
        if caution:
            tip += f"\n⚠ Watch out: {caution}"
        self.setToolTip(tip)
        self.setAccessibleName(f"{title} stage" if title == self.name else f"{title}: {self.name}")
        self.plot.setAccessibleName(f"{self.name} bars")
        caption = self._gradient_caption()
        self.gradient_plot.setAccessibleName(f"{self.name} gradients {caption}")
        self.gradient_plot.set_words(caption, gradient_tip(caption, self.plot.has_pre_activation))

    # Updating -------------------------------------------------------------------------------

    def show_stage(self, stage: StageTrace, predicted: int | None = None) -> None:
        """Draw ``stage``'s values, gradients and unit states; highlight ``predicted`` (the
        output panel's class). A layer's stage of another activation than the panel shows (a
        trace computed before the pipeline changed) is not drawn: its numbers would stand
        under the wrong formula."""
        if self._activation is not None and stage.name != self._activation.name:
            return
        values = stage.values
        if not all(math.isfinite(v) for v in values):
            self._footer.set_texts("Not a finite number: nothing drawn", "Not finite: not drawn")
            return
        if self._stale:
            self._stale = False
            self._footer.setStyleSheet(f"color: {theme.MUTED}")
        self._stage, self._heights = stage, tuple(values)
        pre = stage.pre_activation
        if self.plot.grow(values, pre):
            self._apply_range()
        self._states = stage.unit_states()
        self.plot.draw_bars(values, pre, self._states, predicted)
        self.plot.show_labels(values, pre)
        self.plot.shown_version += 1
        self._show_gradient(stage.gradient)
        self._header.show_shape(stage.shape_text)
        self._show_footer(values, predicted)

    def _show_gradient(self, gradient: Sequence[float] | None) -> None:
        if self.gradient_plot.set_gradient(gradient):
            self._apply_gradient_range()
        # Hidden (the default), the row costs nothing per frame: it is drawn when shown.
        if self._gradients_visible:
            self._draw_gradient()

    def _draw_gradient(self) -> None:
        self.gradient_plot.draw_gradient(self._states, self._stale)

    def _show_footer(self, values: Sequence[float], predicted: int | None) -> None:
        texts, tip = footer_texts(
            values, self._states, normalizes=self._normalizes, predicted=predicted
        )
        self._footer.set_texts(*texts)
        if self._footer.toolTip() != tip:
            self._footer.setToolTip(tip)

    def _clear(self) -> None:
        """No bars until the next stage: those shown belonged to another activation."""
        self._stage, self._heights, self._states = None, (), ()
        self.gradient_plot.heights = ()
        self.plot.clear_bars()
        if self._gradients_visible:
            self._draw_gradient()
        if not self._stale:
            self._footer.set_texts(WAITING)
            self._footer.setToolTip("")

    def set_stale(self, reason: str) -> None:
        """Say that the bars no longer follow the inputs (the model process has stopped)."""
        self._stale = True
        self.plot.show_stale()
        self.gradient_plot.show_stale()
        self._footer.set_texts(f"⚠ Stale: {reason}", "⚠ Stale")
        self._footer.setToolTip(f"Stale: {reason}")
        self._footer.setStyleSheet(f"color: {theme.ERROR}")

    def reset_range(self) -> None:
        """Shrink the unbounded ranges (values and gradients) back to where they start
        (Reset, divergence, another activation)."""
        self.plot.reset_limit()
        self.gradient_plot.reset_limit()
        self._apply_range()
        self._apply_gradient_range()

    # Reading --------------------------------------------------------------------------------

    @property
    def activation(self) -> Activation | None:
        """The activation shown (None for the input stage)."""
        return self._activation

    @property
    def is_stale(self) -> bool:
        """True while the bars show numbers of inputs that have changed since."""
        return self._stale

    @property
    def heights(self) -> tuple[float, ...]:
        """The bar heights as drawn (what a test or a screen reader would read)."""
        return self._heights

    @property
    def gradient_heights(self) -> tuple[float, ...]:
        """The gradient bars as drawn; empty when the stage had no gradient."""
        return self.gradient_plot.heights

    @property
    def unit_states(self) -> tuple[str, ...]:
        """Per unit "dead", "saturated" or "" (empty for the input stage)."""
        return self._states

    @property
    def gradients_visible(self) -> bool:
        """True while the gradient row is shown."""
        return self._gradients_visible

    @property
    def plots(self) -> tuple[BarPlot, ...]:
        """The plots that paint (the gradient row only while shown): what to wait for."""
        return (self.plot, self.gradient_plot) if self._gradients_visible else (self.plot,)

    @property
    def bar_colours(self) -> tuple[str, ...]:
        """The fill colour of each value bar, as ``#rrggbb``."""
        return self.plot.bar_colours

    @property
    def hatched(self) -> tuple[bool, ...]:
        """Per value bar: drawn hatched (its unit is dead or saturated)."""
        return self.plot.hatched

    @property
    def labels(self) -> tuple[Label, ...]:
        """The numbers printed on the plot: values, then z along the bottom edge."""
        return self.plot.value_labels.labels

    @property
    def label_item(self) -> PlotLabels:
        """The item that draws the numbers (tests read where it placed them)."""
        return self.plot.value_labels

    @property
    def gradient_labels(self) -> tuple[Label, ...]:
        """What the gradient row prints: gradients, then the state words (muted)."""
        return self.gradient_plot.gradient_labels.labels

    @property
    def gradient_label_item(self) -> PlotLabels:
        """The item that draws the gradient row's numbers and words."""
        return self.gradient_plot.gradient_labels

    @property
    def footer_text(self) -> str:
        """The summary line under the bars."""
        return self._footer.text()

    @property
    def y_range(self) -> tuple[float, float]:
        """The visible value range of the bars."""
        return self.plot.value_range()

    @property
    def gradient_range(self) -> tuple[float, float]:
        """The visible range of the gradient bars (symmetric, only growing)."""
        return (-self.gradient_plot.limit, self.gradient_plot.limit)

    # Ranges ---------------------------------------------------------------------------------

    def _apply_range(self) -> None:
        self.plot.apply_range()
        self._fit_axes()
        if self._stage is not None and not self._stale:
            self.plot.show_labels(self._stage.values, self._stage.pre_activation)

    def _apply_gradient_range(self) -> None:
        self.gradient_plot.apply_range()
        self._fit_axes()
        if self._gradients_visible and not self._stale:
            self.gradient_plot.show_labels(self._states)

    def _gradient_caption(self) -> str:
        return "∂L/∂z" if self.plot.has_pre_activation else "∂L/∂x"

    def _fit_axes(self) -> None:
        """Tick labels on both axes, each axis just wide enough for them: every pixel goes to
        the bars. With the gradient row shown, both axes take the wider width, so that each
        gradient bar stands exactly under its value bar."""
        main, gradient = self.plot.axis_ticks, self.gradient_plot.axis_ticks
        widths = [ticks_width(main), ticks_width(gradient)]
        width = max(widths) if self._gradients_visible else widths[0]
        for plot, ticks in ((self.plot, main), (self.gradient_plot, gradient)):
            axis = plot.getPlotItem().getAxis("left")
            axis.setTicks([ticks])
            axis.setWidth(width)
