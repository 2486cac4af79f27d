package io.kmetal.storage.cli.usage;

/**
 * One tenant cluster's share of its tenant's usage.
 *
 * @param cluster null for the claims of the class that no tenant cluster's labels mark
 */
public record ClusterUsage(String cluster, Amount used, Amount pending) {}
