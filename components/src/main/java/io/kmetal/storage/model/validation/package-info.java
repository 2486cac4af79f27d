/**
 * Validation of a whole fleet before anything is rendered or applied: every rule reports the field
 * path it concerns and how to fix it, and all problems are reported at once.
 */
package io.kmetal.storage.model.validation;
