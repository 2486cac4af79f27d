// Wrapper main module for kubevirt-crds (main.go and ./components, which build.sh fills with
// upstream's CRD generator files): build.sh adds the require of kubevirt.io/kubevirt at
// KUBEVIRT_VERSION and repeats its replace directives.
module kmetal.local/testbed/kubevirt-crds

go 1.26.0
