package io.kmetal.storage.provider;

import com.pulumi.provider.internal.ResourceProviderService;
import java.util.Arrays;
import java.util.List;

/**
 * {@code pulumi-resource-kmetal-storage [flags...] <engine address>}: serves the provider until the
 * engine shuts it down. The engine passes its own flags (logging, tracing) before the address; the
 * only line written to stdout is the port the engine reads.
 */
public final class ProviderMain {
  private ProviderMain() {}

  public static void main(String[] args) throws Exception {
    List<String> positional = Arrays.stream(args).filter(a -> !a.startsWith("-")).toList();
    if (Arrays.asList(args).contains("--version")) {
      System.out.println(version());
      return;
    }
    if (positional.isEmpty()) {
      System.err.println(
          "usage: pulumi-resource-kmetal-storage <engine address>\n"
              + "The Pulumi engine starts this plugin; see the README for installing it.");
      System.exit(2);
    }
    String engine = positional.get(positional.size() - 1);
    new ResourceProviderService(engine, new KmetalProvider()).startAndBlockUntilShutdown();
  }

  static String version() {
    String v = ProviderMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
