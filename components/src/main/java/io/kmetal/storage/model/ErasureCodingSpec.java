package io.kmetal.storage.model;

/**
 * An erasure-code profile: every object is cut into {@code dataChunks} (k) pieces and {@code
 * codingChunks} (m) parity pieces, so it survives the loss of m and stores (k+m)/k bytes per byte.
 */
public record ErasureCodingSpec(Integer dataChunks, Integer codingChunks) {}
