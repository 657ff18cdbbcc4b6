#!/usr/bin/env bash
# Make sure the Debian packages the pipeline needs are present (see README, "Dependencies").
# As root: install what is missing with apt-get. Otherwise: name the missing packages and stop.
set -euo pipefail
PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-arphic-gkai00mp fonts-babelstone-han fonts-hanazono poppler-utils fontconfig python3-uno"
missing=()
command -v soffice   >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
dpkg -s libreoffice-calc-nogui >/dev/null 2>&1 || command -v localc >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v fc-list   >/dev/null 2>&1 || missing+=(fontconfig)
# The conversion server (make converter-server) runs unoserver under the system python3 with LibreOffice's uno.
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing+=(python3-uno)
if command -v fc-list >/dev/null 2>&1; then
  families=$(fc-list : family)  # read once: `fc-list | grep -q` dies of SIGPIPE under pipefail
  grep -q "Noto Serif CJK SC" <<<"$families" || missing+=(fonts-noto-cjk)
  grep -q "AR PL KaitiM GB"  <<<"$families" || missing+=(fonts-arphic-gkai00mp)
  # Rare characters in names (CJK Extensions A–G), see README "Fonts for rare characters".
  grep -q "BabelStone Han"   <<<"$families" || missing+=(fonts-babelstone-han)
  grep -q "HanaMinB"         <<<"$families" || missing+=(fonts-hanazono)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "正在安装系统软件包：$PACKAGES" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends $PACKAGES >/dev/null
  exit 0
fi
echo "缺少系统软件包：${missing[*]}" >&2
echo "请让管理员运行：sudo apt-get install --no-install-recommends $PACKAGES" >&2
exit 1
