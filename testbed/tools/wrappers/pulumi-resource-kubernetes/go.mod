// Download context for pulumi-resource-kubernetes. The provider/v4 module has only
// pseudo-versions, which the sum database does not answer for, so go.sum pins the hash of the
// version in versions.env (PULUMI_KUBERNETES_MODULE_VERSION). The provider itself is built
// from a copy of its module, with its own go.sum (see build.sh).
module kmetal.local/testbed/pulumi-resource-kubernetes

go 1.26.0
