// Wrapper main module for pulumi-sdkgen (main.go): build.sh adds the require of
// github.com/pulumi/pulumi/pkg/v3 at PULUMI_VERSION and repeats its replace directives.
module kmetal.local/testbed/pulumi-sdkgen

go 1.26.0
