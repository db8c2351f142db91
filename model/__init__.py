"""The model side of Activation Lab: pure Python and PyTorch, no Qt.

Importing this package is cheap on purpose: modules that need torch import it themselves, so the
window can use the torch-free parts (parsing, activation descriptions, the message protocol)
before PyTorch has loaded.
"""
