/** Fleet files: strict YAML parsing into the model, every problem named by its field path. */
package io.kmetal.storage.fleet;
