package io.kmetal.csi.command;

import io.kmetal.csi.disk.Bus;
import picocli.CommandLine;

/** {@code --bus}, refused with the buses KubeVirt hot-plugs on. */
public final class BusConverter implements CommandLine.ITypeConverter<Bus> {
  @Override
  public Bus convert(String value) {
    try {
      return Bus.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
