# Sourced by bin/test and .ci/run: the dashboard's browser tests drive Debian's Chromium through its ChromeDriver
# (/usr/bin/chromium, /usr/bin/chromedriver) and fail, not skip, without them. Installs both with apt-get when they
# are missing and this runs as root; otherwise says what to install.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and chromium-driver for the browser tests"
    apt-get install -y -q chromium chromium-driver >/dev/null \
      || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
  fi
fi
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "the browser tests need Chromium and ChromeDriver: apt-get install chromium chromium-driver" >&2
  exit 1
fi
