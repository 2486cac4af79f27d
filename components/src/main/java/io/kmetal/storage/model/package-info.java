/**
 * The kmetal-storage model: one record per concept of the fleet file and the component inputs.
 *
 * <p>Records apply documented defaults in their canonical constructors and copy collections; they
 * never reject input. {@link io.kmetal.storage.model.validation.Validator} checks a whole fleet and
 * reports every problem with the field path that caused it.
 */
package io.kmetal.storage.model;
