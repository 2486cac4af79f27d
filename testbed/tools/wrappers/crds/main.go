// kubevirt-crds DIR: writes the VirtualMachine and VirtualMachineInstance CRDs that virt-operator
// installs into DIR, as YAML.
//
// KubeVirt commits no YAML for these two: virt-operator builds them at install time from its
// generator functions and their generated validation schemas. This calls those functions and
// writes what they return; it holds no generation logic itself. build.sh puts upstream's two
// files that define them (crds.go, validations_generated.go of virt-operator's
// resource/generate/components) unchanged into ./components, because that package as a whole
// imports modules the Go module proxy refuses.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"kmetal.local/testbed/kubevirt-crds/components"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kubevirt-crds DIR")
		os.Exit(2)
	}
	generators := map[string]func() (*extv1.CustomResourceDefinition, error){
		"kubevirt.io_virtualmachines.yaml":         components.NewVirtualMachineCrd,
		"kubevirt.io_virtualmachineinstances.yaml": components.NewVirtualMachineInstanceCrd,
	}
	for file, generate := range generators {
		if err := write(filepath.Join(os.Args[1], file), generate); err != nil {
			fmt.Fprintln(os.Stderr, "kubevirt-crds:", err)
			os.Exit(1)
		}
	}
}

func write(path string, generate func() (*extv1.CustomResourceDefinition, error)) error {
	crd, err := generate()
	if err != nil {
		return err
	}
	out, err := yaml.Marshal(crd)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
