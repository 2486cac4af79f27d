/** What the controller and the node plugin agree on about a hot-plugged disk: its serial. */
package io.kmetal.csi.disk;
