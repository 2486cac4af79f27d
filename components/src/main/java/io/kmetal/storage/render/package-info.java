/**
 * Pure rendering: validated model records in, Kubernetes objects tagged with their target cluster
 * out. No I/O, no clocks, no randomness: the same input always renders the same objects.
 */
package io.kmetal.storage.render;
