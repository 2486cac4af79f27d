/**
 * Programs that show what the node plugin's stack holds before the plugin does anything: the JVM
 * alone, and the driver's gRPC server answering Probe. {@code ./kmetal bench csi start} runs them
 * with the images' flags beside the plugin, so a memory goal can be read against its floor.
 */
package io.kmetal.storage.bench.csi.floor;
