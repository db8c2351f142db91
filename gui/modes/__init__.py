"""One page per learning mode; the window (a shell) stacks them and shows one at a time."""
