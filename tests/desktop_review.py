"""The screenshot review every GUI change needs: the real app on real screens, looked at.

    python tests/desktop_review.py [OUTDIR]      (default: build/review)

For each screen size (1024×700, 1280×800, 1920×1080) this starts Xvfb with no window manager,
runs the app there without QT_QPA_PLATFORM, and drives it with real key presses through idle,
an edit to −4, training, divergence (learning rate 50), Reset, a killed model process (stale
panels) and a restart. It saves a screenshot of the whole screen at each step into
OUTDIR/WIDTHxHEIGHT/ and prints what the automatic checks found (cut text, numbers cut or
overlapping on a plot, widgets past the window's edge, toolbar overflow, a window larger than
the screen). The checks are the floor, not the review: open every picture and look.
Needs Xvfb, xdotool and ImageMagick (Debian: xvfb xdotool imagemagick).
"""

from __future__ import annotations

import sys
from pathlib import Path

import desktop


def main(outdir: Path) -> int:
    """Review every screen size; exit code 1 when a check or a step failed."""
    missing = desktop.missing_tools()
    if missing:
        print(f"desktop_review: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    failed = False
    for width, height in desktop.SCREEN_SIZES:
        folder = outdir / f"{width}x{height}"
        with desktop.xvfb(width, height) as display:
            result = desktop.run_driver(display, "review", str(folder), timeout=600)
        outcome = desktop.driver_result(result.stdout)
        print(f"{width}×{height}: screenshots in {folder}")
        for failure in outcome["failures"]:  # type: ignore[attr-defined]
            failed = True
            print(f"  step failed: {failure}")
        for state, problems in outcome["checks"].items():  # type: ignore[attr-defined]
            failed = failed or bool(problems)
            print(f"  {state}: {'ok' if not problems else '; '.join(problems)}")
        if result.returncode != 0 or "Traceback" in result.stderr:
            failed = True
            print(f"  exit code {result.returncode}\n{result.stderr[-2000:]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/review")))
