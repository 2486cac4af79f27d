package io.kmetal.storage.model;

/**
 * A VolumeSnapshotClass of the tenant clusters and the under-cluster VolumeSnapshotClass its
 * snapshots are taken with. The mapping lives in the driver's ConfigMap (the platform's side), so a
 * tenant cannot pick an under-cluster class by writing its own parameters.
 */
public record TenantSnapshotClassSpec(String name, String infraSnapshotClassName) {}
