/**
 * {@code kmetal spbm import}: VMware SPBM storage policies to storage tiers. A reader for the
 * policy inventory, a pure {@link io.kmetal.storage.cli.spbm.SpbmMapper} that turns each policy
 * into a tier with one {@link io.kmetal.storage.cli.spbm.Decision} per setting (and a {@link
 * io.kmetal.storage.cli.spbm.Gap} for what has no counterpart), and a writer of the fleet-file
 * fragment the project's own validator accepts.
 */
package io.kmetal.storage.cli.spbm;
