/**
 * Pure rendering: validated model records in, Kubernetes objects tagged with their target cluster
 * out. No I/O, no clocks, no randomness: the same input always renders the same objects.
 *
 * <p>Internal: the components, {@code kmetal render} and the provider use it; it is not API and may
 * change in any release. The API is {@link io.kmetal.storage} (the components), {@link
 * io.kmetal.storage.model} (their inputs) and {@link io.kmetal.storage.fleet} (fleet files).
 */
package io.kmetal.storage.internal.render;
