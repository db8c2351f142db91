"""The window of Activation Lab: every widget, and the thread that talks to the model."""
