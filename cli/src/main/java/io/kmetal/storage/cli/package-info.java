/**
 * The {@code kmetal} command line: {@code render} for GitOps users; the operations commands {@code
 * released} (the driver image's own), {@code usage}, {@code plan} and {@code spbm import}.
 */
package io.kmetal.storage.cli;
