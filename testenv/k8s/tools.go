//go:build tools

// Package tools pins the Kubernetes, etcd and helm programs that jack's tests and sandbox run;
// testenv/install.sh builds them from the versions this module selects.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
	_ "helm.sh/helm/v3/cmd/helm"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
