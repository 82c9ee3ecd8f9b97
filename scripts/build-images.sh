#!/usr/bin/env bash
# Builds autoreg's three OCI images from local parts only - no image registry is needed:
#
#   localhost/autoreg-registry:VERSION  the registry server   (java -jar autoreg-registry.jar, data on /var/lib/autoreg)
#   localhost/autoreg-sidecar:VERSION   the sidecar / CLI     (java -jar autoreg-sidecar.jar; busybox sh for exec checks)
#   localhost/autoreg-agent:VERSION     the agent jar only    (busybox cp of autoreg-agent.jar into a shared volume)
#
# The Java images share one base, localhost/autoreg-jre:17-KEY: a jlink'ed runtime of the build JDK (only the
# modules autoreg uses) plus the few shared libraries ldd says it needs, copied from this Debian machine, an
# /etc/passwd with the non-root user autoreg (10001) and an empty /tmp. It is built once per JDK and module
# list, kept as a tar in the cache ($AUTOREG_IMAGE_CACHE, default ~/.cache/autoreg-images) and imported from
# there when podman's storage lacks it. busybox comes from Debian's busybox-static package (apt-get download,
# unpacked into the cache; nothing is installed on the host for it).
#
# Usage: scripts/build-images.sh [--skip-jars] [--save]
#   --skip-jars  use the jars in */target as they are (the containers IT does: the reactor built them)
#   --save       also write each image as an OCI archive to target/images/ (podman load -i FILE)
# Runs podman through scripts/podman.sh (runc, cgroupfs, deploy/podman/containers.conf). As root; installs
# podman, runc and catatonit with apt-get when podman is missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

skip_jars=false
save=false
for arg in "$@"; do
  case "$arg" in
    --skip-jars) skip_jars=true ;;
    --save) save=true ;;
    *) echo "usage: scripts/build-images.sh [--skip-jars] [--save]" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | awk 'NR == 1')"
# the images' creation time is the build's outputTimestamp, as for the jars: same commit, same image ids
created="$(date -d "$(sed -n 's:.*<project.build.outputTimestamp>\(.*\)</project.build.outputTimestamp>.*:\1:p' pom.xml)" +%s)"
cache="${AUTOREG_IMAGE_CACHE:-$HOME/.cache/autoreg-images}"
out="$root/target/images"
prefix="localhost/autoreg"
jdk="${AUTOREG_IMAGE_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
# What the jars use (jdeps --print-module-deps on the registry and sidecar jars: java.base, java.management,
# java.naming, java.security.jgss, java.security.sasl, java.sql, jdk.httpserver (the sidecar's /healthz),
# jdk.unsupported), plus jdk.crypto.ec for TLS to a registry, jdk.naming.dns for ZooKeeper, jdk.zipfs,
# java.instrument and jdk.attach for the agent (injected into an app on this runtime, or `attach`).
# Left out: java.desktop (12 MB), which jdeps lists only for Jackson's and Config's optional java.beans support.
modules="java.base,java.instrument,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.attach,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs"
uid=10001
podman_() { "$root/scripts/podman.sh" "$@"; }
step_started=$SECONDS
step() { echo "[build-images] $(( SECONDS - step_started ))s $*"; }

mkdir -p "$cache" "$out"

if ! command -v podman >/dev/null; then
  step "installing podman, runc, catatonit (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman runc catatonit >/dev/null
fi

jars=(registry/target/autoreg-registry.jar sidecar/target/autoreg-sidecar.jar agent/target/autoreg-agent.jar)
if ! $skip_jars; then
  step "building the jars"
  ./mvnw -B -q package -DskipTests -pl registry,sidecar,agent -am
fi
for jar in "${jars[@]}"; do
  [ -f "$jar" ] || { echo "build-images: $jar is missing (build it, or drop --skip-jars)" >&2; exit 1; }
done

# --- busybox (static) from Debian, cached --------------------------------------------------------------
busybox="$cache/busybox/bin/busybox"
if [ ! -x "$busybox" ]; then
  step "fetching Debian's busybox-static"
  rm -rf "$cache/busybox" "$cache/busybox-deb" && mkdir -p "$cache/busybox-deb"
  # (as root apt warns that its _apt user cannot write into the cache: harmless, the download runs as root)
  (cd "$cache/busybox-deb" && apt-get download -q busybox-static 2>&1 | grep -v "unsandboxed" >&2 || true)
  dpkg-deb -x "$cache"/busybox-deb/busybox-static_*.deb "$cache/busybox"
fi
busybox_tar="$cache/busybox-rootfs.tar"
if [ ! -f "$busybox_tar" ] || [ "$busybox" -nt "$busybox_tar" ]; then
  bb="$(mktemp -d)"
  mkdir -p "$bb/bin"
  cp "$busybox" "$bb/bin/busybox"
  for applet in sh cp cat ls mkdir rm sleep test touch wget; do ln -s busybox "$bb/bin/$applet"; done
  tar -C "$bb" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$busybox_tar" .
  rm -rf "$bb"
fi

# --- the Java base: jlink + the shared libraries it needs, cached ----------------------------------------
# the cache key: the JDK, the modules, the C library and the base's layout (bump it when the steps below change)
base_layout=1
key="$( (cat "$jdk/release"; echo "$modules"; echo "$base_layout"; ldd --version | awk 'NR == 1') | sha256sum | cut -c1-12)"
base="$prefix-jre:17-$key"
base_tar="$cache/jre-$key.tar"
if ! podman_ image exists "$base"; then
  if [ ! -f "$base_tar" ]; then
    step "jlink: a runtime of $jdk with $modules"
    rf="$(mktemp -d)"
    cds=(--generate-cds-archive)
    "$jdk/bin/jlink" --list-plugins | grep -c generate-cds-archive >/dev/null || cds=()
    "$jdk/bin/jlink" --add-modules "$modules" --output "$rf/opt/java" --strip-debug --no-header-files \
      --no-man-pages --compress=2 "${cds[@]}"
    # Debian's JDK links cacerts to /etc/ssl/certs/java/cacerts: carry the file, not the dangling link
    if [ -L "$rf/opt/java/lib/security/cacerts" ]; then
      target="$(readlink -f "$jdk/lib/security/cacerts" || true)"
      rm "$rf/opt/java/lib/security/cacerts"
      [ -f "$target" ] && cp "$target" "$rf/opt/java/lib/security/cacerts"
    fi
    step "copying the shared libraries the runtime links against"
    { find "$rf/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 | xargs -0 ldd 2>/dev/null || true; } \
      | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u | while read -r lib; do
        case "$lib" in "$rf"*) continue ;; esac
        mkdir -p "$rf$(dirname "$lib")"
        cp -L "$lib" "$rf$lib"
      done
    # name lookups (the JDK's InetAddress goes through glibc's NSS): files, then DNS
    for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
      [ -e "$lib" ] && mkdir -p "$rf$(dirname "$lib")" && cp -L "$lib" "$rf$lib"
    done
    mkdir -p "$rf/etc" "$rf/tmp" "$rf/home/autoreg" "$rf/var/lib/autoreg" "$rf/etc/autoreg"
    printf 'root:x:0:0:root:/root:/sbin/nologin\nautoreg:x:%s:%s:autoreg:/home/autoreg:/sbin/nologin\n' $uid $uid >"$rf/etc/passwd"
    printf 'root:x:0:\nautoreg:x:%s:\n' $uid >"$rf/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rf/etc/nsswitch.conf"
    chmod 1777 "$rf/tmp"
    chown $uid:$uid "$rf/home/autoreg" "$rf/var/lib/autoreg"
    tar -C "$rf" --sort=name --mtime=@0 --numeric-owner -cf "$base_tar.partial" .
    mv "$base_tar.partial" "$base_tar"
    rm -rf "$rf"
  fi
  step "importing $base"
  podman_ import -q --change 'ENV PATH=/opt/java/bin:/bin JAVA_HOME=/opt/java' "$base_tar" "$base" >/dev/null
fi

# --- the three images -------------------------------------------------------------------------------------
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "${jars[@]}" "$busybox_tar" "$ctx/"
labels="LABEL org.opencontainers.image.version=\"$version\" org.opencontainers.image.licenses=\"Apache-2.0\" org.opencontainers.image.source=\"https://github.com/autoreg/autoreg\""
# -XX:TrimNativeHeapInterval exists in JDK 17.0.15 and later 17 updates only
trim=""
"$jdk/bin/java" -XX:TrimNativeHeapInterval=2000 -version >/dev/null 2>&1 && trim='"-XX:TrimNativeHeapInterval=2000", '

cat >"$ctx/Containerfile.registry" <<EOF
FROM $base
COPY autoreg-registry.jar /opt/autoreg/autoreg-registry.jar
$labels org.opencontainers.image.title="autoreg-registry"
USER $uid:$uid
WORKDIR /var/lib/autoreg
EXPOSE 8870
ENTRYPOINT ["/opt/java/bin/java", "-Xms40m", "-Xmn24m", "-XX:MaxRAMPercentage=70", "-XX:+UseSerialGC", "-Xss512k", "-XX:ReservedCodeCacheSize=32m", "-XX:MaxDirectMemorySize=32m", $trim"-Djava.io.tmpdir=/tmp", "-jar", "/opt/autoreg/autoreg-registry.jar"]
CMD ["--bind", "0.0.0.0", "--port", "8870", "--data", "/var/lib/autoreg"]
EOF
cat >"$ctx/Containerfile.sidecar" <<EOF
FROM $base
ADD busybox-rootfs.tar /
COPY autoreg-sidecar.jar /opt/autoreg/autoreg-sidecar.jar
$labels org.opencontainers.image.title="autoreg-sidecar"
USER $uid:$uid
WORKDIR /home/autoreg
ENTRYPOINT ["/opt/java/bin/java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-Xss512k", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/autoreg/autoreg-sidecar.jar"]
CMD ["run", "--config", "/etc/autoreg/sidecar.conf"]
EOF
cat >"$ctx/Containerfile.agent" <<EOF
FROM scratch
ADD busybox-rootfs.tar /
COPY autoreg-agent.jar /opt/autoreg/autoreg-agent.jar
$labels org.opencontainers.image.title="autoreg-agent"
USER $uid:$uid
ENTRYPOINT ["/bin/cp", "/opt/autoreg/autoreg-agent.jar"]
CMD ["/autoreg/autoreg-agent.jar"]
EOF

for name in registry sidecar agent; do
  step "building $prefix-$name:$version"
  podman_ build -q --timestamp "$created" -f "$ctx/Containerfile.$name" -t "$prefix-$name:$version" "$ctx" >/dev/null
  if $save; then
    rm -f "$out/autoreg-$name-$version.oci.tar"
    podman_ save -q --format oci-archive -o "$out/autoreg-$name-$version.oci.tar" "$prefix-$name:$version"
  fi
done

step "done"
for name in registry sidecar agent; do
  size="$(podman_ image inspect --format '{{.Size}}' "$prefix-$name:$version")"
  awk -v n="$prefix-$name:$version" -v s="$size" 'BEGIN { printf "%-40s %6.1f MB\n", n, s / 1000000 }'
done
$save && ls -l "$out"/*.oci.tar
exit 0
