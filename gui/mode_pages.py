"""The page class of every mode, in the switcher's order (keys 1–8; 9 is presenter mode)."""

from __future__ import annotations

from gui.modes.base import ModePage
from gui.modes.code_page import CodePage
from gui.modes.compare_page import ComparePage
from gui.modes.explore_page import ExplorePage
from gui.modes.gradients_page import GradientsPage
from gui.modes.predict_page import PredictPage
from gui.modes.quiz_page import QuizPage
from gui.modes.step_page import StepPage
from gui.modes.train_page import TrainPage

PAGES: list[type[ModePage]] = [
    ExplorePage,
    StepPage,
    ComparePage,
    TrainPage,
    PredictPage,
    GradientsPage,
    QuizPage,
    CodePage,
]
