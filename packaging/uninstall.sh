#!/bin/sh
# Take Activation Lab out of this user's applications menu (what install.sh added).
# The app's folder, its settings and its log stay; delete the folder to remove the app.
set -eu
data="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -f "$data/applications/activation-lab.desktop"
for size in 16 32 48 64 128 256; do
  rm -f "$data/icons/hicolor/${size}x${size}/apps/activation-lab.png"
done
rm -f "$data/icons/hicolor/scalable/apps/activation-lab.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Activation Lab is no longer in the applications menu."
