// Wrapper main module for the Pulumi CLI, the java and yaml language hosts and pulumi-sdkgen
// (cmd/pulumi-sdkgen): build.sh adds the requires of github.com/pulumi/pulumi/pkg/v3,
// pulumi-java and pulumi-yaml and repeats their replace directives.
module kmetal.local/testbed/pulumi

go 1.26.0
