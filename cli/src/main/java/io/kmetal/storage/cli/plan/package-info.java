/**
 * {@code kmetal plan}: the raw capacity a tier's pool needs for the VMs a team expects. A pure
 * {@link io.kmetal.storage.cli.plan.Planner} over the tiers' {@code protection}; readers for the
 * demand file (YAML or CSV) that report every problem with its entry or line; table and JSON
 * printers.
 */
package io.kmetal.storage.cli.plan;
