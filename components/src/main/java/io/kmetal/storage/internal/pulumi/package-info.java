/**
 * The Pulumi layer under the components: one Pulumi resource per rendered object, in the right
 * cluster, with stable logical names and Kubernetes' immutable fields marked replace-on-change; and
 * what only a deployment does, such as issuing the webhook's certificate.
 *
 * <p>Internal: not API, may change in any release (see {@link io.kmetal.storage.internal.render}).
 */
package io.kmetal.storage.internal.pulumi;
