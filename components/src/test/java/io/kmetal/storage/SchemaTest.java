package io.kmetal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pulumi.core.annotations.Export;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import io.kmetal.storage.model.validation.Problem;
import io.kmetal.storage.model.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * schema.json, the package's public contract, agrees with the spec records (names, types,
 * defaults), the validation rules (required fields, allowed values) and the components' exported
 * outputs. Every failure names the schema path that disagrees.
 */
class SchemaTest {
  private static final String PKG = "kmetal-storage:index:";
  private static final String LOCAL_REF = "#/types/";
  private static final String ANY_REF = "pulumi.json#/Any";

  /** The one input that is no record component: each tenant cluster's kubeconfig, a secret. */
  private static final String TENANT_CLUSTER = PKG + "TenantCluster";

  private static final String KUBECONFIG = "kubeconfig";
  private static final String NOT_ALLOWED = "not-an-allowed-value";

  private static final JsonNode SCHEMA = readSchema();

  static Stream<Arguments> components() {
    return Stream.of(
        Arguments.of(StorageTier.TYPE, StorageTier.class, StorageTierSpec.class),
        Arguments.of(TenantStorage.TYPE, TenantStorage.class, TenantStorageSpec.class),
        Arguments.of(HppOverlay.TYPE, HppOverlay.class, HppOverlaySpec.class),
        Arguments.of(StoragePlatform.TYPE, StoragePlatform.class, Fleet.class));
  }

  /**
   * A StoragePlatform's entries take the inputs of their own components, field for field, except
   * that {@code name} is required: an entry has no resource name to take. (The checks that walk
   * examples cover these fields through the components' own inputs.)
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"StorageTier", "TenantStorage", "HppOverlay"})
  void eachPlatformEntryTypeIsItsComponentsInputsWithANameRequired(String component) {
    JsonNode inputs = SCHEMA.path("resources").path(PKG + component).path("inputProperties");
    JsonNode type = types().get(PKG + component + "Spec");
    assertEquals(names(inputs), names(type.path("properties")), component + "Spec");
    names(inputs).stream()
        .filter(name -> !name.equals("name"))
        .forEach(name -> assertEquals(inputs.get(name), type.path("properties").get(name), name));
    Set<String> required = new TreeSet<>(required(PKG + component));
    required.add("name");
    assertEquals(required, required(PKG + component + "Spec"), component + "Spec required");
  }

  private static boolean isPlatformEntry(String token) {
    return token.endsWith("Spec") && SCHEMA.path("resources").has(token.replaceAll("Spec$", ""));
  }

  /**
   * Each enum type and the list validation accepts. FsType and PoolVolumeMode are compared with
   * literals: TierRules and HppRules check those two fields against inline lists, not constants
   * (the behavioural test below still runs every value through the validator).
   */
  static Stream<Arguments> enumTypes() {
    return Stream.of(
        Arguments.of("ReclaimPolicy", allowed("TierRules", "RECLAIM")),
        Arguments.of("DeletionPolicy", allowed("TierRules", "RECLAIM")),
        Arguments.of("VolumeBindingMode", allowed("TierRules", "BINDING")),
        Arguments.of("TierRole", allowed("TierRules", "ROLES")),
        Arguments.of("IssuerKind", allowed("TenantRules", "ISSUER_KINDS")),
        Arguments.of("TolerationOperator", allowed("TierRules", "TOLERATION_OPERATORS")),
        Arguments.of("TaintEffect", allowed("TierRules", "TAINT_EFFECTS")),
        Arguments.of("AccessMode", allowed("TierRules", "ACCESS_MODES")),
        Arguments.of("VolumeMode", allowed("TierRules", "VOLUME_MODES")),
        Arguments.of("RbdImageFeature", allowed("TierRules", "RBD_FEATURES")),
        Arguments.of("FsType", List.of("ext4", "xfs")),
        Arguments.of("DeviceClass", allowed("TierRules", "DEVICE_CLASSES")),
        Arguments.of("Bus", allowed("TenantRules", "BUSES")),
        Arguments.of("TenantCredentials", allowed("TenantRules", "CREDENTIALS")),
        Arguments.of("FailurePolicy", allowed("TenantRules", "FAILURE_POLICIES")),
        Arguments.of("LabelSelectorOperator", allowed("TenantRules", "SELECTOR_OPERATORS")),
        Arguments.of("HppFeatureGate", allowed("HppRules", "FEATURE_GATES")),
        Arguments.of("SnapshotProvider", allowed("HppRules", "SNAPSHOT_PROVIDERS")),
        Arguments.of("PoolVolumeMode", List.of("Filesystem")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("components")
  void inputsAreExactlyTheSpecRecordComponentsAtEveryLevel(
      String token, Class<?> component, Class<?> spec) {
    assertNone(walk(token, spec).names, "schema.json inputs and " + spec.getSimpleName());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("components")
  void inputTypesMatchTheJavaTypesOfTheRecords(String token, Class<?> component, Class<?> spec) {
    assertNone(walk(token, spec).types, "schema.json types and " + spec.getSimpleName());
  }

  @Test
  void everyObjectTypeIsARecordReachableFromAComponent() {
    Set<String> reached = new TreeSet<>();
    components().forEach(a -> reached.addAll(walk(arg(a, 0), arg(a, 2)).records.keySet()));
    Set<String> objectTypes = new TreeSet<>(types().keySet());
    objectTypes.removeIf(token -> isEnum(types().get(token)));
    assertEquals(objectTypes, reached, "object types in schema.json vs. types reached from inputs");
  }

  @Test
  void everyReferencePointsAtADefinedTypeAndEveryTypeIsUsed() {
    List<String> problems = new ArrayList<>();
    Set<String> used = new TreeSet<>();
    refs(SCHEMA, "", problems, used);
    for (String token : types().keySet()) {
      if (!used.contains(token)) problems.add("types." + token + ": defined but never referenced");
    }
    assertNone(problems, "references in schema.json");
  }

  @Test
  void everyResourcePropertyTypeAndEnumValueHasADescription() {
    List<String> problems = new ArrayList<>();
    described(SCHEMA, "(package)", problems);
    SCHEMA
        .path("resources")
        .properties()
        .forEach(
            r -> {
              String path = shortName(r.getKey());
              described(r.getValue(), path, problems);
              r.getValue()
                  .path("inputProperties")
                  .properties()
                  .forEach(p -> described(p.getValue(), path + "." + p.getKey(), problems));
              r.getValue()
                  .path("properties")
                  .properties()
                  .forEach(p -> described(p.getValue(), path + " output " + p.getKey(), problems));
            });
    types()
        .forEach(
            (token, def) -> {
              String path = shortName(token);
              described(def, path, problems);
              def.path("properties")
                  .properties()
                  .forEach(p -> described(p.getValue(), path + "." + p.getKey(), problems));
              for (JsonNode value : def.path("enum")) {
                described(value, path + "." + value.path("value").asText(), problems);
              }
            });
    assertNone(problems, "descriptions in schema.json");
  }

  @Test
  void descriptionsSayRequiredOrStateTheRecordDefault() {
    Map<String, Class<?>> owners = new TreeMap<>();
    components()
        .forEach(
            a -> {
              String token = arg(a, 0);
              Class<?> spec = arg(a, 2);
              owners.put(token, spec);
              owners.putAll(walk(token, spec).records);
            });
    List<String> problems = new ArrayList<>();
    owners.forEach(
        (owner, record) -> {
          Object defaults = allNull(record);
          Set<String> required = required(owner);
          properties(owner)
              .properties()
              .forEach(
                  p -> {
                    String path = shortName(owner) + "." + p.getKey();
                    String description = p.getValue().path("description").asText("");
                    if (required.contains(p.getKey())) {
                      if (!description.contains("Required")) {
                        problems.add(path + ": required, but the description does not say so");
                      }
                      return;
                    }
                    if (!description.contains("Default:")) {
                      problems.add(path + ": optional, but the description states no default");
                    }
                    RecordComponent c = component(record, p.getKey());
                    String stated = c == null ? null : literal(get(defaults, c));
                    if (stated != null && !description.contains("Default: `" + stated + "`")) {
                      problems.add(
                          path
                              + ": "
                              + record.getSimpleName()
                              + " defaults it to `"
                              + stated
                              + "`; the description must say \"Default: `"
                              + stated
                              + "`\"");
                    }
                  });
        });
    assertNone(problems, "defaults in schema.json descriptions");
  }

  @Test
  void requiredInputsAreExactlyTheFieldsValidationRequires() {
    List<String> problems = new ArrayList<>();
    Map<String, Map<String, Boolean>> byValidation = new TreeMap<>();
    for (Example example : examples()) {
      for (Slot slot : slots(example)) {
        boolean refused =
            validate(slot.set().apply(null)).stream().anyMatch(p -> within(p, slot.field()));
        Boolean before =
            byValidation
                .computeIfAbsent(slot.owner(), k -> new TreeMap<>())
                .put(slot.property(), refused);
        if (before != null && before != refused) {
          problems.add(
              shortName(slot.owner())
                  + "."
                  + slot.property()
                  + ": validation requires it in one example and not in another ("
                  + slot.field()
                  + ")");
        }
      }
    }
    Set<String> owners = new TreeSet<>(types().keySet());
    owners.removeIf(token -> isEnum(types().get(token)));
    owners.addAll(names(SCHEMA.path("resources")));
    owners.removeIf(SchemaTest::isPlatformEntry);
    owners.remove(StoragePlatform.TYPE); // its lists hold the components' inputs, checked above
    assertEquals(List.of(), Validator.validate(new Fleet(null, null, null)), "an empty platform");
    assertEquals(Set.of(), required(StoragePlatform.TYPE), "StoragePlatform's lists are optional");
    for (String owner : owners) {
      Map<String, Boolean> checked = byValidation.getOrDefault(owner, Map.of());
      Set<String> expected =
          checked.entrySet().stream()
              .filter(Map.Entry::getValue)
              .map(Map.Entry::getKey)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<String> unchecked = names(properties(owner));
      unchecked.removeAll(checked.keySet());
      if (owner.equals(TENANT_CLUSTER)) {
        expected.add(KUBECONFIG); // TenantStorage refuses a cluster without one
        unchecked.remove(KUBECONFIG);
      }
      if (SCHEMA.path("resources").has(owner)) {
        expected.remove("name"); // a component without one takes its resource name
      }
      if (!unchecked.isEmpty()) {
        problems.add(
            shortName(owner) + ": no example sets " + unchecked + "; extend the example fleet");
      }
      if (!expected.equals(required(owner))) {
        problems.add(
            shortName(owner)
                + ": schema.json requires "
                + required(owner)
                + " but validation requires "
                + expected);
      }
    }
    assertNone(problems, "required inputs in schema.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("enumTypes")
  void enumValuesAreTheValuesValidationAllows(String name, List<String> allowed) {
    JsonNode def = types().get(PKG + name);
    assertTrue(def != null && isEnum(def), () -> "types." + PKG + name + " is not an enum type");
    assertEquals("string", def.path("type").asText(), "types." + PKG + name + ".type");
    Set<String> values = new TreeSet<>();
    def.path("enum").forEach(v -> values.add(v.path("value").asText()));
    assertEquals(new TreeSet<>(allowed), values, "types." + PKG + name + ".enum values");
  }

  @Test
  void everyEnumTypeIsComparedWithTheValidationRules() {
    Set<String> inSchema = new TreeSet<>();
    types()
        .forEach(
            (token, def) -> {
              if (isEnum(def)) inSchema.add(shortName(token));
            });
    Set<String> compared = new TreeSet<>();
    enumTypes().forEach(a -> compared.add(arg(a, 0)));
    assertEquals(inSchema, compared, "enum types in schema.json vs. enumTypes() of this test");
  }

  @Test
  void everyEnumInputAcceptsItsValuesAndRefusesAnyOther() {
    List<String> problems = new ArrayList<>();
    Set<String> exercised = new TreeSet<>();
    for (Example example : examples()) {
      for (Slot slot : slots(example)) {
        boolean list = "array".equals(slot.schema().path("type").asText());
        String token = localRef(list ? slot.schema().path("items") : slot.schema());
        if (token == null || !isEnum(types().get(token))) continue;
        exercised.add(shortName(slot.owner()) + "." + slot.property());
        String field = list ? slot.field() + "[0]" : slot.field();
        List<String> values = new ArrayList<>();
        types().get(token).path("enum").forEach(v -> values.add(v.path("value").asText()));
        values.add(NOT_ALLOWED);
        for (String value : values) {
          Object changed = slot.set().apply(list ? List.of(value) : value);
          List<Problem> found =
              validate(changed).stream().filter(p -> p.field().equals(field)).toList();
          if (value.equals(NOT_ALLOWED) && found.isEmpty()) {
            problems.add(field + ": validation accepts \"" + value + "\" (" + token + ")");
          } else if (!value.equals(NOT_ALLOWED) && !found.isEmpty()) {
            problems.add(field + ": validation refuses enum value \"" + value + "\": " + found);
          }
        }
      }
    }
    Set<String> enumInputs = new TreeSet<>();
    List<String> owners = new ArrayList<>(names(SCHEMA.path("resources")));
    owners.addAll(types().keySet());
    owners.removeIf(SchemaTest::isPlatformEntry);
    for (String owner : owners) {
      properties(owner)
          .properties()
          .forEach(
              p -> {
                JsonNode s = p.getValue();
                String token = localRef(s.has("items") ? s.path("items") : s);
                if (token != null && isEnum(types().get(token))) {
                  enumInputs.add(shortName(owner) + "." + p.getKey());
                }
              });
    }
    assertEquals(enumInputs, exercised, "enum inputs vs. those the example fleet exercises");
    assertNone(problems, "enum inputs and validation");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("components")
  void outputsAreTheExportedFieldsOfTheComponent(String token, Class<?> component, Class<?> spec) {
    Map<String, Export> exports = new TreeMap<>();
    for (Field f : component.getDeclaredFields()) {
      Export export = f.getAnnotation(Export.class);
      if (export != null) exports.put(export.name(), export);
    }
    JsonNode outputs = SCHEMA.path("resources").path(token).path("properties");
    String path = shortName(token) + " outputs";
    assertEquals(exports.keySet(), names(outputs), path + " vs. @Export fields");
    List<String> problems = new ArrayList<>();
    exports.forEach(
        (name, export) -> {
          String expected = outputType(export.refs());
          String actual = schemaType(outputs.path(name));
          if (!expected.equals(actual)) {
            problems.add(path + "." + name + ": @Export is " + expected + ", schema " + actual);
          }
        });
    for (JsonNode name : SCHEMA.path("resources").path(token).path("required")) {
      if (!outputs.has(name.asText()))
        problems.add(path + ": required output " + name + " unknown");
    }
    assertNone(problems, "outputs");
  }

  // ---- walking schema.json and the records side by side

  /** What one walk found: name and type mismatches, and the record behind each object type. */
  private static final class Walk {
    final List<String> names = new ArrayList<>();
    final List<String> types = new ArrayList<>();
    final Map<String, Class<?>> records = new TreeMap<>();

    void object(String path, String owner, JsonNode properties, Class<?> record) {
      Map<String, RecordComponent> components = new LinkedHashMap<>();
      for (RecordComponent c : record.getRecordComponents()) components.put(c.getName(), c);
      Set<String> inSchema = names(properties);
      for (String name : components.keySet()) {
        if (!inSchema.contains(name)) {
          names.add(path + "." + name + ": " + record.getSimpleName() + " has it, the schema not");
        }
      }
      for (String name : inSchema) {
        JsonNode property = properties.get(name);
        if (components.containsKey(name)) {
          property(path + "." + name, property, components.get(name).getGenericType());
        } else if (owner.equals(TENANT_CLUSTER) && name.equals(KUBECONFIG)) {
          if (!property.path("secret").asBoolean(false)) {
            names.add(path + "." + name + ": must be secret: true");
          }
          if (!"string".equals(property.path("type").asText())) {
            types.add(path + "." + name + ": must be a string, schema has " + property);
          }
        } else {
          names.add(path + "." + name + ": in the schema, not in " + record.getSimpleName());
        }
      }
    }

    void property(String path, JsonNode schema, Type type) {
      if (type instanceof ParameterizedType p) {
        Type raw = p.getRawType();
        Type[] args = p.getActualTypeArguments();
        if (raw == List.class) {
          if (expect(path, schema, type, "array"))
            property(path + "[]", schema.path("items"), args[0]);
        } else if (raw == Map.class && args[0] == String.class) {
          if (expect(path, schema, type, "object") && schema.has("additionalProperties")) {
            property(path + "{}", schema.path("additionalProperties"), args[1]);
          } else if (schema.path("type").asText().equals("object")) {
            types.add(path + ": Java " + type.getTypeName() + " needs additionalProperties");
          }
        } else {
          types.add(path + ": no schema mapping for Java " + type.getTypeName());
        }
        return;
      }
      Class<?> c = (Class<?>) type;
      if (c.isRecord()) {
        String token = localRef(schema);
        JsonNode def = token == null ? null : types().get(token);
        if (def == null || !"object".equals(def.path("type").asText())) {
          types.add(path + ": Java " + c.getSimpleName() + " needs a $ref to an object type");
          return;
        }
        Class<?> before = records.putIfAbsent(token, c);
        if (before != null && before != c) {
          types.add(path + ": " + token + " stands for " + before + " and " + c);
        } else {
          object(path, token, def.path("properties"), c);
        }
      } else if (c == Object.class) {
        if (!ANY_REF.equals(schema.path("$ref").asText())) {
          types.add(path + ": Java Object needs $ref " + ANY_REF + ", schema has " + schema);
        }
      } else if (c == String.class) {
        String token = localRef(schema);
        JsonNode def = token == null ? null : types().get(token);
        boolean stringEnum =
            def != null && isEnum(def) && "string".equals(def.path("type").asText());
        if (!stringEnum) expect(path, schema, type, "string");
      } else if (c == Boolean.class) {
        expect(path, schema, type, "boolean");
      } else if (c == Integer.class) {
        expect(path, schema, type, "integer");
      } else if (c == Double.class) {
        expect(path, schema, type, "number");
      } else {
        types.add(path + ": no schema mapping for Java " + c.getName());
      }
    }

    private boolean expect(String path, JsonNode schema, Type type, String schemaType) {
      if (schema.has("$ref") || !schemaType.equals(schema.path("type").asText())) {
        types.add(
            path
                + ": Java "
                + type.getTypeName()
                + " needs type "
                + schemaType
                + ", schema has "
                + schema);
        return false;
      }
      return true;
    }
  }

  private static Walk walk(String token, Class<?> spec) {
    Walk walk = new Walk();
    walk.object(shortName(token), token, properties(token), spec);
    return walk;
  }

  /** Every {@code $ref} below {@code node}; local ones must name a defined type. */
  private static void refs(JsonNode node, String path, List<String> problems, Set<String> used) {
    if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                  String ref = e.getValue().asText();
                  String token = localRef(node);
                  if (token != null && types().containsKey(token)) {
                    used.add(token);
                  } else if (!ref.equals(ANY_REF)) {
                    problems.add(at + ": " + ref + " points at no type of this package");
                  }
                } else {
                  refs(e.getValue(), at, problems, used);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) refs(node.get(i), path + "[" + i + "]", problems, used);
    }
  }

  private static void described(JsonNode node, String path, List<String> problems) {
    if (node.path("description").asText("").isBlank()) problems.add(path + ": no description");
  }

  // ---- the example fleet: every field of every input set, valid as it stands

  private record Example(String token, Object spec) {}

  /** One record component of an example: its validation field path and how to replace it. */
  private record Slot(
      String field, String owner, String property, JsonNode schema, UnaryOperator<Object> set) {}

  private static final String EXAMPLE_FLEET =
      """
      storageTiers:
        - name: local
          storageClassName: local-tenant
          description: node-local disks of the tenant workers
          role: tenant
          isDefault: false
          reclaimPolicy: Delete
          volumeBindingMode: WaitForFirstConsumer
          allowVolumeExpansion: false
          mountOptions: [noatime]
          backend:
            localPath:
              nodePathMap:
                - node: worker-1
                  paths: [/var/lib/kmetal/tenant]
              provisionerNodeSelector:
                node-role.kubernetes.io/control-plane: ""
              provisionerTolerations:
                - key: dedicated
                  operator: Equal
                  value: storage
                  effect: NoSchedule
          storageProfile:
            claimPropertySets:
              - accessModes: [ReadWriteOnce]
                volumeMode: Filesystem
        - name: rbd
          role: platform
          backend:
            cephRbd:
              provisioner: rook-ceph.rbd.csi.ceph.com
              clusterID: rook-ceph
              pool: replicapool
              dataPool: ec-datapool
              imageFeatures: [layering, exclusive-lock]
              secretNamespace: rook-ceph
              fsType: xfs
          snapshotClass:
            name: rbd-snapshots
            deletionPolicy: Retain
            isDefault: true
          enforceSingleDefault: true
          protection:
            erasureCoding: {dataChunks: 4, codingChunks: 2}
            compressionRatio: 1.25
            deviceClass: ssd
            encrypted: true
          retainCleanup:
            olderThan: 14d
            dryRun: false
            schedule: "0 4 * * 0"
        - name: cephfs
          backend:
            cephFs:
              provisioner: rook-ceph.cephfs.csi.ceph.com
              clusterID: rook-ceph
              fsName: myfs
              pool: myfs-replicated
              secretNamespace: rook-ceph
          protection: {replicas: 3, deviceClass: hdd}
        - name: nfs
          backend:
            csi:
              provisioner: nfs.csi.k8s.io
              parameters: {server: nfs.example.com, share: /exports}
      tenantStorages:
        - name: alpha
          namespace: alpha-ns
          createNamespace: true
          enforceSingleDefault: true
          snapshotClasses:
            - name: kubevirt-snapshot
              infraSnapshotClassName: rbd-snapshots
          storageQuota: 10Gi
          infraStorageClassName: local-tenant
          tenantStorageClassName: kubevirt-alpha
          bus: virtio
          tenantCredentials: kubeconfigSecret
          clusters:
            - name: alpha-prod
              kubeconfigSecret: {name: alpha-prod-kubeconfig, key: kubeconfig}
              labels: {team: alpha}
          images:
            controller: example.com/controller:1.0.0
            node: example.com/node:1.0.0
            csiProvisioner: example.com/csi-provisioner:1.0.0
            csiAttacher: example.com/csi-attacher:1.0.0
            csiResizer: example.com/csi-resizer:1.0.0
            csiSnapshotter: example.com/csi-snapshotter:1.0.0
            livenessProbe: example.com/livenessprobe:1.0.0
            nodeDriverRegistrar: example.com/node-driver-registrar:1.0.0
          controllerReplicas: 3
          webhook:
            enabled: true
            replicas: 1
            failurePolicy: Fail
            timeoutSeconds: 10
            url: https://hook.example.com/validate-pvc
            caBundle: %s
            tlsSecretName: hook-tls
            namespaceSelector:
              matchLabels: {kmetal.io/quota: enforced}
              matchExpressions:
                - {key: kmetal.io/quota-exempt, operator: DoesNotExist}
                - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system]}
            pushConfiguration: false
        - name: beta
          storageQuota: 5Gi
          clusters: [{name: beta-one}]
          webhook:
            certificate:
              certManager:
                issuerRef: {name: webhook-ca, kind: ClusterIssuer, group: cert-manager.io}
      hppOverlays:
        - name: vm-state
          featureGates: [Snapshotting]
          storagePools:
            - name: vm-state
              path: /var/hpp/vm-state
              snapshotProvider: reflink
              overlayClassName: hpp-vm-state
              pvcTemplate:
                accessModes: [ReadWriteMany]
                storageClassName: nfs
                volumeMode: Filesystem
                resources: {requests: {storage: 5Gi}}
          workload:
            nodeSelector: {kubernetes.io/os: linux}
            tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            affinity: {nodeAffinity: {}}
          kubevirt: {namespace: kubevirt, name: kubevirt, featureGates: [VMPersistentState]}
          availableTimeoutSeconds: 300
      """;

  private static List<Example> examples() {
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    String ca = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    Fleet fleet = Fixtures.yaml(EXAMPLE_FLEET.formatted(ca));
    List<Example> examples = new ArrayList<>();
    fleet.storageTiers().forEach(t -> examples.add(new Example(StorageTier.TYPE, t)));
    fleet.tenantStorages().forEach(t -> examples.add(new Example(TenantStorage.TYPE, t)));
    fleet.hppOverlays().forEach(h -> examples.add(new Example(HppOverlay.TYPE, h)));
    for (Example e : examples) {
      assertEquals(List.of(), validate(e.spec()), "the example " + e.spec() + " must be valid");
    }
    return examples;
  }

  private static List<Slot> slots(Example example) {
    List<Slot> slots = new ArrayList<>();
    slots(example.spec(), "", example.token(), v -> v, slots);
    return slots;
  }

  private static void slots(
      Object node, String field, String owner, UnaryOperator<Object> setNode, List<Slot> out) {
    RecordComponent[] components = node.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      int index = i;
      String name = components[i].getName();
      String path = field.isEmpty() ? name : field + "." + name;
      JsonNode schema = properties(owner).path(name);
      UnaryOperator<Object> set = v -> setNode.apply(with(node, index, v));
      out.add(new Slot(path, owner, name, schema, set));
      Object value = get(node, components[i]);
      if (value instanceof Record child && localRef(schema) != null) {
        slots(child, path, localRef(schema), set, out);
      } else if (value instanceof List<?> list
          && !list.isEmpty()
          && list.get(0) instanceof Record first
          && localRef(schema.path("items")) != null) {
        UnaryOperator<Object> setFirst =
            v -> {
              List<Object> copy = new ArrayList<>(list);
              copy.set(0, v);
              return set.apply(copy);
            };
        slots(first, path + "[0]", localRef(schema.path("items")), setFirst, out);
      }
    }
  }

  private static List<Problem> validate(Object spec) {
    if (spec instanceof StorageTierSpec t) return Validator.validate(t);
    if (spec instanceof TenantStorageSpec t) return Validator.validate(t);
    if (spec instanceof HppOverlaySpec h) return Validator.validate(h);
    throw new IllegalArgumentException("not a component spec: " + spec);
  }

  private static boolean within(Problem p, String field) {
    return p.field().equals(field)
        || p.field().startsWith(field + ".")
        || p.field().startsWith(field + "[");
  }

  // ---- small helpers

  private static JsonNode readSchema() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path schema = dir.resolve("schema.json");
      if (Files.exists(dir.resolve("kmetal")) && Files.isRegularFile(schema)) {
        try {
          return new ObjectMapper().readTree(schema.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new IllegalStateException(
        "no folder with kmetal and schema.json above " + Path.of("").toAbsolutePath());
  }

  private static Map<String, JsonNode> types() {
    Map<String, JsonNode> types = new TreeMap<>();
    SCHEMA.path("types").properties().forEach(e -> types.put(e.getKey(), e.getValue()));
    return types;
  }

  /** A resource's input properties or an object type's properties. */
  private static JsonNode properties(String owner) {
    JsonNode resource = SCHEMA.path("resources").path(owner);
    return resource.isMissingNode()
        ? SCHEMA.path("types").path(owner).path("properties")
        : resource.path("inputProperties");
  }

  private static Set<String> required(String owner) {
    JsonNode resource = SCHEMA.path("resources").path(owner);
    JsonNode list =
        resource.isMissingNode()
            ? SCHEMA.path("types").path(owner).path("required")
            : resource.path("requiredInputs");
    Set<String> names = new TreeSet<>();
    list.forEach(n -> names.add(n.asText()));
    return names;
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.properties().forEach(e -> names.add(e.getKey()));
    return names;
  }

  private static boolean isEnum(JsonNode def) {
    return def != null && def.has("enum");
  }

  private static String localRef(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.startsWith(LOCAL_REF) ? ref.substring(LOCAL_REF.length()) : null;
  }

  private static String shortName(String token) {
    return token.startsWith(PKG) ? token.substring(PKG.length()) : token;
  }

  private static String outputType(Class<?>[] refs) {
    if (refs.length == 2 && refs[0] == List.class) return "array<" + scalar(refs[1]) + ">";
    return refs.length == 1 ? scalar(refs[0]) : List.of(refs).toString();
  }

  private static String scalar(Class<?> c) {
    return c == String.class
        ? "string"
        : c == Boolean.class
            ? "boolean"
            : c == Integer.class ? "integer" : c == Double.class ? "number" : c.getName();
  }

  private static String schemaType(JsonNode schema) {
    String type = schema.path("type").asText("(none)");
    return type.equals("array") ? "array<" + schemaType(schema.path("items")) + ">" : type;
  }

  /** How a record default appears in a description, or null when it is not a literal. */
  private static String literal(Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Integer) {
      return value.toString();
    }
    if (value instanceof List<?> list
        && !list.isEmpty()
        && list.stream().allMatch(String.class::isInstance)) {
      return list.toString();
    }
    return null;
  }

  private static RecordComponent component(Class<?> record, String name) {
    for (RecordComponent c : record.getRecordComponents()) {
      if (c.getName().equals(name)) return c;
    }
    return null;
  }

  private static Object get(Object record, RecordComponent c) {
    return reflect(() -> c.getAccessor().invoke(record));
  }

  /** The record with every component null: what its canonical constructor defaults. */
  private static Object allNull(Class<?> record) {
    RecordComponent[] components = record.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
    return reflect(
        () -> record.getDeclaredConstructor(types).newInstance(new Object[components.length]));
  }

  /** A copy of {@code record} through its canonical constructor, component {@code index} set. */
  private static Object with(Object record, int index, Object value) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      args[i] = i == index ? value : get(record, components[i]);
    }
    return reflect(() -> record.getClass().getDeclaredConstructor(types).newInstance(args));
  }

  /** A package-private list constant of the validation rules, e.g. TierRules.RECLAIM. */
  private static List<String> allowed(String rules, String constant) {
    return reflect(
        () -> {
          Field f =
              Class.forName("io.kmetal.storage.model.validation." + rules)
                  .getDeclaredField(constant);
          f.setAccessible(true);
          List<String> values = new ArrayList<>();
          for (Object v : (List<?>) f.get(null)) values.add((String) v);
          return values;
        });
  }

  private static <T> T reflect(Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T arg(Arguments arguments, int index) {
    return (T) arguments.get()[index];
  }

  private static void assertNone(List<String> problems, String what) {
    assertTrue(
        problems.isEmpty(), () -> what + " disagree:\n  " + String.join("\n  ", problems) + "\n");
  }
}
