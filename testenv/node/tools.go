//go:build tools

// Package tools pins the node's Kubernetes programs (kubelet, controller manager, scheduler) that
// jack's one-node cluster runs; testenv/install-node.sh builds them from the versions this module
// selects. It is a module of its own, apart from testenv/k8s: helm there forces
// github.com/containerd/errdefs v0.3.0, and the kubelet's cadvisor needs v0.1.0.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
