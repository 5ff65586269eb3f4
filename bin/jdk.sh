# Sourced by bin/run and bin/test: points JAVA_HOME at a JDK 21 or newer.
# Looks at JAVA_HOME, then the java on the PATH, then the system's JVM folder; fails clearly when none is found.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1
}

usable_jdk() {
  local home="$1"
  [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  local major
  major=$(java_major "$home/bin/java")
  [ -n "$major" ] && [ "$major" -ge 21 ]
}

find_jdk() {
  if usable_jdk "${JAVA_HOME:-}"; then
    return 0
  fi
  local java_on_path
  java_on_path=$(command -v java 2>/dev/null || true)
  if [ -n "$java_on_path" ]; then
    local home
    home=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
    if usable_jdk "$home"; then
      export JAVA_HOME="$home"
      return 0
    fi
  fi
  local best="" best_major=0 candidate major
  for candidate in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home /opt/java/* /opt/jdk*; do
    [ -d "$candidate" ] || continue
    usable_jdk "$candidate" || continue
    major=$(java_major "$candidate/bin/java")
    if [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    return 0
  fi
  echo "Cronhook needs a JDK 21 or newer, and none was found (checked JAVA_HOME, the java on the PATH and /usr/lib/jvm)." >&2
  echo "Install one (for example Temurin 21 or 25) or set JAVA_HOME to it." >&2
  return 1
}

find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
