package io.kmetal.storage.internal.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kmetal.storage.model.Target;
import java.util.Objects;

/** One rendered Kubernetes object and where it goes. */
public record Manifest(Target target, HasMetadata object, Ownership ownership) {
  public Manifest {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(ownership, "ownership");
  }

  public static Manifest under(HasMetadata object) {
    return new Manifest(Target.UNDER, object, Ownership.OWNED);
  }

  public static Manifest patch(HasMetadata object) {
    return new Manifest(Target.UNDER, object, Ownership.PATCH);
  }

  public String kind() {
    return object.getKind();
  }

  public String name() {
    return object.getMetadata().getName();
  }

  public String namespace() {
    return object.getMetadata().getNamespace();
  }

  /** A readable unique key within one target: {@code Kind/namespace/name} or {@code Kind/name}. */
  public String key() {
    return namespace() == null ? kind() + "/" + name() : kind() + "/" + namespace() + "/" + name();
  }
}
