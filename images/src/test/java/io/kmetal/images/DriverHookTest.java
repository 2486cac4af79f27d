package io.kmetal.images;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.storage.model.Images;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The controller pod's postStart hook runs what the driver image really holds. */
class DriverHookTest {
  @Test
  void theHookClassIsAMainOfTheDriverJar() throws Exception {
    var main = Class.forName(Images.DRIVER_SOCKET_WAIT).getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()));
  }
}
