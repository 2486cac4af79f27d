package io.kmetal.storage.provider;

import com.pulumi.core.internal.Internal;
import com.pulumi.provider.internal.Provider;
import com.pulumi.provider.internal.models.ConstructRequest;
import com.pulumi.provider.internal.models.ConstructResponse;
import com.pulumi.provider.internal.models.GetSchemaRequest;
import com.pulumi.provider.internal.models.GetSchemaResponse;
import com.pulumi.provider.internal.properties.PropertyValueSerializer;
import com.pulumi.resources.ComponentResource;
import io.kmetal.storage.HppOverlay;
import io.kmetal.storage.StoragePlatform;
import io.kmetal.storage.StorageTier;
import io.kmetal.storage.TenantStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The kmetal-storage package over gRPC: {@code GetSchema} serves the committed schema.json, and
 * {@code Construct} builds the same component classes Java programs use, from inputs mapped field
 * for field onto their spec records. The engine's resource options (providers, protect, aliases,
 * dependsOn, ignoreChanges, retainOnDelete, replaceOnChanges, customTimeouts) arrive in the
 * request's options and are passed to the component unchanged.
 */
public final class KmetalProvider implements Provider {
  private final String schema;

  public KmetalProvider() {
    this.schema = bundledSchema();
  }

  /** schema.json as packaged with the plugin (copied from the project root at build time). */
  public static String bundledSchema() {
    try (InputStream in = KmetalProvider.class.getResourceAsStream("/schema.json")) {
      if (in == null) throw new IllegalStateException("schema.json is missing from the plugin");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletableFuture<GetSchemaResponse> getSchema(GetSchemaRequest request) {
    return CompletableFuture.completedFuture(new GetSchemaResponse(schema));
  }

  @Override
  public CompletableFuture<ConstructResponse> construct(ConstructRequest request) {
    ComponentResource component = build(request);
    return Internal.of(component.urn())
        .getValueNullable()
        .thenCombine(
            PropertyValueSerializer.stateFromComponentResourceAsync(component),
            (urn, state) -> new ConstructResponse(urn, state, Map.of()));
  }

  private static ComponentResource build(ConstructRequest request) {
    String name = request.getName();
    var inputs = request.getInputs();
    var options = request.getOptions();
    return switch (request.getType()) {
      case StorageTier.TYPE ->
          new StorageTier(name, ComponentInputs.storageTier(name, inputs), options);
      case TenantStorage.TYPE ->
          new TenantStorage(name, ComponentInputs.tenantStorage(name, inputs), options);
      case HppOverlay.TYPE ->
          new HppOverlay(name, ComponentInputs.hppOverlay(name, inputs), options);
      case StoragePlatform.TYPE ->
          new StoragePlatform(name, ComponentInputs.storagePlatform(name, inputs), options);
      default ->
          throw new IllegalArgumentException(
              "unknown resource type "
                  + request.getType()
                  + "; kmetal-storage provides "
                  + String.join(
                      ", ",
                      StorageTier.TYPE,
                      TenantStorage.TYPE,
                      HppOverlay.TYPE,
                      StoragePlatform.TYPE));
    };
  }
}
