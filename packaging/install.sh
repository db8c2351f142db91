#!/bin/sh
# Put Activation Lab in this user's applications menu (no root needed, nothing is copied:
# the launcher runs the app from this folder, so keep the folder where it is).
# Undo with ./uninstall.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
app="$here/activation-lab"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
case "$here" in
  *[\"\`\$\\]*)
    echo "install.sh: the folder's path contains \" \` \$ or \\; move it (e.g. to ~/activation-lab) and run again" >&2
    exit 1 ;;
esac
if [ ! -x "$app" ]; then
  echo "install.sh: $app is missing or not executable: extract the archive again, onto the local disk (not a FAT32 stick)" >&2
  exit 1
fi
mkdir -p "$data/applications"
for size in 16 32 48 64 128 256; do
  mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
  cp "$here/share/icons/activation-lab-$size.png" "$data/icons/hicolor/${size}x${size}/apps/activation-lab.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$here/share/icons/activation-lab.svg" "$data/icons/hicolor/scalable/apps/activation-lab.svg"
# The launcher runs this folder's executable (quoted: the path may contain spaces).
sed -e "s|^Exec=.*|Exec=\"$app\"|" -e "s|^TryExec=.*|TryExec=$app|" \
  "$here/share/activation-lab.desktop" > "$data/applications/activation-lab.desktop"
chmod 644 "$data/applications/activation-lab.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "Activation Lab is in the applications menu (Education). Remove it with $here/uninstall.sh"
