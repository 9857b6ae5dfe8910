#!/usr/bin/env bash
# The image's root filesystem beneath jack's distribution (which the image adds as a layer of its
# own): a Java runtime jlinked from the build's JDK with the modules jack's jars use, that
# runtime's class-data-sharing archive of jack's start-up, the shared libraries the runtime links
# (from this machine, so the image needs no distribution), and the non-root user.
# Usage: rootfs.sh DIST_DIR OUTPUT_DIR
set -euo pipefail
dist=$1
out=$2
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

rm -rf "$out"
mkdir -p "$out/opt/jack" "$out/etc" "$out/tmp"
chmod 1777 "$out/tmp"

# jdeps finds the modules the jars name; the elliptic-curve TLS provider is loaded as a service,
# which jdeps cannot see, and the API server's certificate needs it.
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 -q \
  "$dist"/lib/*.jar "$dist"/services/*/*.jar)
"$java_home/bin/jlink" --add-modules "$modules,jdk.crypto.ec" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/jack/jre"
# A distribution's JDK may link its trust store to the system's: the image holds the file itself.
if [ -L "$out/opt/jack/jre/lib/security/cacerts" ] || [ ! -s "$out/opt/jack/jre/lib/security/cacerts" ]; then
  cp -L "$java_home/lib/security/cacerts" "$out/opt/jack/jre/lib/security/cacerts.real"
  mv -f "$out/opt/jack/jre/lib/security/cacerts.real" "$out/opt/jack/jre/lib/security/cacerts"
fi
# java.desktop comes for java.beans; its native window, sound, font and image libraries are never
# loaded by a headless controller, and would bring X11 and the rest with them.
for gui in libawt_xawt libsplashscreen libjsound libfontmanager libjavajpeg liblcms libmlib_image; do
  rm -f "$out/opt/jack/jre/lib/$gui.so"
done

# The classes jack loads while starting, parsed and verified ahead: the runtime's class-data-sharing
# archive, /opt/jack/jack.jsa (the entrypoint's -XX:SharedArchiveFile), made by the distribution's
# bin/jack-cds with this runtime. The JVM takes an archive only for the jars it was made from, as
# named on the class path and with their sizes and modification times: the entrypoint starts in
# /opt/jack with the class path lib/*, and Jib gives every file of the image the modification time
# 1970-01-01T00:00:01Z, which the copy the archive is made from has too.
train=$(mktemp -d)
trap 'rm -rf "$train"' EXIT
cp -R "$dist/." "$train/"
rm -f "$train/jack.jsa"
find "$train" "$out/opt/jack/jre" -exec touch -h -d @1 {} +
JAVA_HOME="$out/opt/jack/jre" "$train/bin/jack-cds" --relative
mv "$train/jack.jsa" "$out/opt/jack/jack.jsa"

# Every shared library of the system that the runtime's executables and libraries load (the
# runtime's own are found beside them), at the path the dynamic linker looks for it, copied as
# files (not links).
find "$out/opt/jack/jre" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
  xargs -0 ldd 2>/dev/null |
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }' |
  sort -u |
  grep -v "^$out/" |
  while read -r so; do
    mkdir -p "$out$(dirname "$so")"
    cp -L "$so" "$out$so"
  done

cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:jack:/tmp:/sbin/nologin
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
nonroot:x:65532:
GROUP
echo "rootfs: $(du -sh "$out" | cut -f1) in $out (modules: $modules,jdk.crypto.ec)"
