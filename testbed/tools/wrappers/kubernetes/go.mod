// Wrapper main module for etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
// the CSI sidecars, csi-sanity and kwok. k8s.io/kubernetes requires its staging modules at
// v0.0.0 and replaces them with local folders, which a dependency's go.mod cannot do for us:
// build.sh adds the requires and one replace per staging module (derived from k/k's own go.mod).
module kmetal.local/testbed/kubernetes

go 1.26.0

godebug default=go1.26
