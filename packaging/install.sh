#!/bin/sh
# Installs BadgeDesk from this unpacked tarball for the current user (no root needed).
#   ./install.sh                  the app in ~/.local/opt/badgedesk, `badgedesk` in ~/.local/bin,
#                                 its menu entry and icon under ~/.local/share
#   ./install.sh --prefix DIR     the same under DIR (DIR/opt/badgedesk, DIR/bin, DIR/share)
#   ./install.sh --uninstall      removes what an install put there (add --prefix DIR if you gave one);
#                                 your communities' caches and settings stay
set -eu

APP_ID=org.badgedesk.BadgeDesk
here=$(cd "$(dirname "$0")" && pwd)
prefix="$HOME/.local"
action=install

usage() {
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix)
      [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }
      prefix=$2
      shift 2
      ;;
    --prefix=*)
      prefix=${1#--prefix=}
      shift
      ;;
    --uninstall)
      action=uninstall
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "install.sh: unknown argument: $1" >&2
      usage >&2
      exit 2
      ;;
  esac
done

case "$prefix" in
  /*) ;;
  *) prefix="$(pwd)/$prefix" ;;
esac

app_dir="$prefix/opt/badgedesk"
link="$prefix/bin/badgedesk"
desktop_file="$prefix/share/applications/$APP_ID.desktop"
metainfo_file="$prefix/share/metainfo/$APP_ID.metainfo.xml"
icon_file="$prefix/share/icons/hicolor/scalable/apps/$APP_ID.svg"

# Menus and icon themes pick the change up at once where their caches are kept; quiet elsewhere.
refresh_caches() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "$action" = uninstall ]; then
  rm -rf "$app_dir"
  # The link only if it is ours (it points into the app folder).
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$app_dir/badgedesk" ]; then
    rm -f "$link"
  fi
  rm -f "$desktop_file" "$metainfo_file" "$icon_file"
  refresh_caches
  echo "BadgeDesk removed from $prefix (your communities' caches and settings are kept)."
  exit 0
fi

[ -x "$here/badgedesk/badgedesk" ] || { echo "install.sh: $here/badgedesk/badgedesk is missing: unpack the whole tarball first" >&2; exit 1; }

mkdir -p "$prefix/opt" "$prefix/bin" "$(dirname "$desktop_file")" "$(dirname "$metainfo_file")" \
  "$(dirname "$icon_file")"
# A new version replaces the old folder whole: no file of the old one is left behind.
rm -rf "$app_dir.new"
cp -R "$here/badgedesk" "$app_dir.new"
rm -rf "$app_dir"
mv "$app_dir.new" "$app_dir"
ln -sfn "$app_dir/badgedesk" "$link"
# The menu entry starts the installed program by its full path: ~/.local/bin is not on every
# desktop session's PATH.
sed "s|^Exec=badgedesk\$|Exec=\"$app_dir/badgedesk\"|" "$here/$APP_ID.desktop" >"$desktop_file"
cp "$here/$APP_ID.metainfo.xml" "$metainfo_file"
cp "$here/$APP_ID.svg" "$icon_file"
refresh_caches

echo "BadgeDesk installed in $app_dir."
case ":$PATH:" in
  *":$prefix/bin:"*) echo "Start it with: badgedesk (or from your desktop's menu)" ;;
  *) echo "Start it with: $link (or from your desktop's menu; $prefix/bin is not on your PATH)" ;;
esac
