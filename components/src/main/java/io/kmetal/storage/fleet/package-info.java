/** Fleet files: strict YAML parsing into the model, and writing rendered manifests for GitOps. */
package io.kmetal.storage.fleet;
