#!/usr/bin/env bash
# Installs what jack's one-node cluster (testenv OneNodeCluster, e2e NodeIT) runs on top of what
# testenv/install.sh installs, into jack's cache ($JACK_CACHE, by default ~/.cache/jack):
#   kubelet, kube-controller-manager and kube-scheduler, built from the Go module pinned in
#   testenv/node/go.mod (a module of its own: see testenv/node/tools.go);
#   the pod sandbox ("pause") image, node/pause.tar: testenv/node/pause.c built statically, as an
#   OCI image layout;
# and, from the distribution (Debian or Ubuntu, as root): containerd, runc, the CNI plugins,
# iptables, nftables (the cluster removes the tables the kubelet adds) and umoci. None of their services is started or enabled: the cluster runs its own
# containerd with its own configuration.
# Idempotent: a second run with the same pins does nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${JACK_CACHE:-$HOME/.cache/jack}
bin=$cache/bin
node=$cache/node
packages=(containerd runc containernetworking-plugins iptables nftables umoci)
pause_image=localhost/jack-pause:1

log() { printf 'install-node: %s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { log "$1 is required: $2"; exit 1; }
}

install_packages() {
  local missing=()
  for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$package")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "${packages[*]}: installed"
    return
  fi
  if [[ $(id -u) -ne 0 ]]; then
    log "the packages ${missing[*]} are missing, and installing them needs root"
    exit 1
  fi
  need apt-get "a Debian or Ubuntu machine, or install ${missing[*]} yourself"
  log "installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d keeps the packages' scripts from starting containerd as a service.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    { [[ -n $created_policy ]] && rm -f "$policy"; exit 1; }
  [[ -n $created_policy ]] && rm -f "$policy"
  return 0
}

install_node_binaries() {
  local stamp=$bin/.node-pins
  local pins
  # The pins: the module, and how it is built (this function), not the rest of this script.
  pins=$({ cat "$here/node/go.mod" "$here/node/go.sum" "$here/node/tools.go"; declare -f install_node_binaries; } |
    sha256sum | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$pins" ]] &&
    [[ -x $bin/kubelet && -x $bin/kube-controller-manager && -x $bin/kube-scheduler ]]; then
    log "kubelet, kube-controller-manager, kube-scheduler: up to date in $bin"
    return
  fi
  need go "install Go 1.23 or newer"
  local k8s_version
  k8s_version=$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" {print $3}' "$here/node/go.mod")
  log "building kubelet, kube-controller-manager and kube-scheduler $k8s_version into $bin" \
    "(about 7 minutes on 2 cores the first time)"
  mkdir -p "$bin"
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version"
  (
    cd "$here/node"
    # go.sum pins every module's hash, so no checksum database is consulted.
    export GOSUMDB=off GOFLAGS=-mod=readonly CGO_ENABLED=0
    for cmd in kubelet kube-controller-manager kube-scheduler; do
      go build -trimpath -ldflags "$ldflags" -o "$bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
    done
  )
  echo "$pins" >"$stamp"
}

install_pause_image() {
  local out=$node/pause.tar
  local stamp=$node/.pause-pins
  local pins
  pins=$({ cat "$here/node/pause.c"; declare -f install_pause_image; } | sha256sum | cut -d' ' -f1)
  if [[ -f $out && $(cat "$stamp" 2>/dev/null) == "$pins" ]]; then
    log "pause image $pause_image: up to date in $node"
    return
  fi
  need gcc "install gcc and the C library's static archive (libc6-dev)"
  need umoci "install umoci"
  need python3 "install Python 3"
  log "building the pause image $pause_image into $out"
  mkdir -p "$node"
  local tmp
  tmp=$(mktemp -d)
  gcc -static -O2 -Wall -Wextra -o "$tmp/pause" "$here/node/pause.c"
  umoci init --layout "$tmp/oci"
  umoci new --image "$tmp/oci:pause"
  umoci unpack --rootless --image "$tmp/oci:pause" "$tmp/bundle"
  install -m 0755 "$tmp/pause" "$tmp/bundle/rootfs/pause"
  umoci repack --image "$tmp/oci:pause" "$tmp/bundle"
  umoci config --image "$tmp/oci:pause" --config.entrypoint /pause --config.user 65535:65535
  umoci gc --layout "$tmp/oci"
  # containerd names an imported image after this annotation.
  python3 - "$tmp/oci/index.json" "$pause_image" <<'EOF'
import json, sys
path, name = sys.argv[1], sys.argv[2]
with open(path) as f:
    index = json.load(f)
for manifest in index["manifests"]:
    manifest.setdefault("annotations", {})["io.containerd.image.name"] = name
with open(path, "w") as f:
    json.dump(index, f)
EOF
  tar -C "$tmp/oci" -cf "$out.partial" oci-layout index.json blobs && mv "$out.partial" "$out"
  rm -rf "$tmp"
  echo "$pins" >"$stamp"
}

install_packages
install_node_binaries
install_pause_image
log "done: binaries in $bin, the pause image in $node"
