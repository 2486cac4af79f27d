/** The {@code kmetal} command line: {@code kmetal render} for GitOps users. */
package io.kmetal.storage.cli;
