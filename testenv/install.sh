#!/usr/bin/env bash
# Installs the real components that jack's tests and sandbox run, into jack's cache
# ($JACK_CACHE, by default ~/.cache/jack), never into the repository:
#   etcd, kube-apiserver, kubectl and helm, built from the Go modules pinned in testenv/k8s/go.mod;
#   moto's server, from PyPI at the version below, unless moto_server is already on the PATH;
#   botocore's wheel, from PyPI at the version below: the AWS API documentation that the code
#   generator puts into the CRDs' field descriptions (it is read as a zip, never installed);
#   ACK's S3 controller (Go), built from its module at the version below with its own go.sum, and
#   the CRDs its Helm chart installs: the peer that the migration test hands resources over from.
# Idempotent: a second run with the same pins does nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${JACK_CACHE:-$HOME/.cache/jack}
bin=$cache/bin
moto_version=5.2.1
botocore_version=1.43.11
ack_s3_version=v1.1.1

log() { printf 'install: %s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { log "$1 is required: $2"; exit 1; }
}

install_go_binaries() {
  local stamp=$bin/.go-pins
  local pins
  pins=$(cat "$here/k8s/go.mod" "$here/k8s/go.sum" "$here/k8s/tools.go" "$0" | sha256sum | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$pins" ]] &&
    [[ -x $bin/etcd && -x $bin/kube-apiserver && -x $bin/kubectl && -x $bin/helm ]]; then
    log "etcd, kube-apiserver, kubectl, helm: up to date in $bin"
    return
  fi
  need go "install Go 1.23 or newer"
  local k8s_version
  k8s_version=$(awk '$1 == "k8s.io/kubernetes" {print $2}' "$here/k8s/go.mod")
  log "building etcd, kube-apiserver $k8s_version, kubectl and helm into $bin (several minutes the first time)"
  mkdir -p "$bin"
  # The go.sum in testenv/k8s pins every module's hash, so no checksum database is consulted.
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$k8s_version"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1"
  ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)"
  ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=$k8s_version"
  (
    cd "$here/k8s"
    export GOSUMDB=off GOFLAGS=-mod=readonly CGO_ENABLED=0
    go build -trimpath -ldflags "$ldflags" -o "$bin/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
    go build -trimpath -ldflags "$ldflags" -o "$bin/kubectl" k8s.io/kubernetes/cmd/kubectl
    go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3
    go build -trimpath -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$(awk '$1 == "helm.sh/helm/v3" {print $2}' go.mod)" \
      -o "$bin/helm" helm.sh/helm/v3/cmd/helm
  )
  echo "$pins" >"$stamp"
}

install_moto() {
  if command -v moto_server >/dev/null 2>&1; then
    log "moto_server: using $(command -v moto_server)"
    return
  fi
  local venv=$cache/moto
  if [[ -x $venv/bin/moto_server ]] && "$venv/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$moto_version')"; then
    log "moto $moto_version: up to date in $venv"
    return
  fi
  need python3 "install Python 3.9 or newer"
  log "installing moto[server]==$moto_version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "moto[server]==$moto_version"
}

install_api_docs() {
  local dir=$cache/models
  local wheel=$dir/botocore.whl
  if [[ -f $wheel && $(cat "$dir/.botocore-version" 2>/dev/null) == "$botocore_version" ]]; then
    log "botocore $botocore_version (API documentation): up to date in $dir"
    return
  fi
  need python3 "install Python 3.9 or newer"
  log "downloading botocore $botocore_version (API documentation) into $dir"
  mkdir -p "$dir"
  local tmp
  tmp=$(mktemp -d)
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "botocore==$botocore_version"
  mv "$tmp"/botocore-"$botocore_version"-*.whl "$wheel"
  rm -rf "$tmp"
  echo "$botocore_version" >"$dir/.botocore-version"
}

install_ack_s3_controller() {
  local out=$bin/ack-s3-controller
  local crds=$cache/ack-crds/s3
  local stamp=$bin/.ack-s3-controller
  if [[ -x $out && -d $crds && $(cat "$stamp" 2>/dev/null) == "$ack_s3_version" ]]; then
    log "ACK's s3-controller $ack_s3_version: up to date in $bin"
    return
  fi
  need go "install Go 1.23 or newer"
  need python3 "install Python 3.9 or newer"
  log "building ACK's s3-controller $ack_s3_version into $bin (a few minutes the first time)"
  mkdir -p "$bin"
  local tmp zip
  tmp=$(mktemp -d)
  (
    # The proxy serves the module's zip; `go install module@version` would also ask for its list
    # of versions, which the proxy here refuses. The module's own go.sum pins its dependencies.
    export GOSUMDB=off GOFLAGS=-mod=mod CGO_ENABLED=0
    cd "$tmp"
    zip=$(go mod download -json "github.com/aws-controllers-k8s/s3-controller@$ack_s3_version" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["Zip"])')
    python3 -m zipfile -e "$zip" src
    cd "src/github.com/aws-controllers-k8s/s3-controller@$ack_s3_version"
    go build -trimpath -ldflags "-s -w" -o "$out" ./cmd/controller
    rm -rf "$crds" && mkdir -p "$crds" && cp helm/crds/*.yaml "$crds/"
  )
  chmod -R u+w "$tmp" && rm -rf "$tmp"
  echo "$ack_s3_version" >"$stamp"
}

install_go_binaries
install_moto
install_api_docs
install_ack_s3_controller
log "done: binaries in $bin"
