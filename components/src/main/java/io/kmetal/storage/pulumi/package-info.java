/**
 * The Pulumi layer under the components: one Pulumi resource per rendered object, in the right
 * cluster, with stable logical names and Kubernetes' immutable fields marked replace-on-change.
 */
package io.kmetal.storage.pulumi;
