package io.kmetal.storage.testbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The project's own CDI and HostPathProvisioner CRDs (testbed/sandbox/crds/), which the sandbox's
 * under cluster installs: structural, of the right group, kind and scope, and declaring every field
 * the renderers, the CSI controller and the CDI simulator write, so none of them is only kept by
 * {@code x-kubernetes-preserve-unknown-fields}.
 */
class OwnCrdsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Path CRDS = Sandbox.projectRoot().resolve("testbed/sandbox/crds");
  private static final Path GOLDEN =
      Sandbox.projectRoot()
          .resolve("components/src/test/resources/io/kmetal/storage/internal/render");

  enum Crd {
    DATA_VOLUMES(
        "cdi.kubevirt.io/cdi.kubevirt.io_datavolumes.yaml",
        "cdi.kubevirt.io",
        "DataVolume",
        "datavolumes",
        "Namespaced",
        List.of("v1beta1"),
        true),
    STORAGE_PROFILES(
        "cdi.kubevirt.io/cdi.kubevirt.io_storageprofiles.yaml",
        "cdi.kubevirt.io",
        "StorageProfile",
        "storageprofiles",
        "Cluster",
        List.of("v1beta1"),
        true),
    CDIS(
        "cdi.kubevirt.io/cdi.kubevirt.io_cdis.yaml",
        "cdi.kubevirt.io",
        "CDI",
        "cdis",
        "Cluster",
        List.of("v1beta1", "v1alpha1"),
        false),
    HOST_PATH_PROVISIONERS(
        "hostpathprovisioner.kubevirt.io/hostpathprovisioner.kubevirt.io_hostpathprovisioners.yaml",
        "hostpathprovisioner.kubevirt.io",
        "HostPathProvisioner",
        "hostpathprovisioners",
        "Cluster",
        List.of("v1beta1"),
        false);

    final String file;
    final String group;
    final String kind;
    final String plural;
    final String scope;
    final List<String> versions;
    final boolean statusSubresource;

    Crd(
        String file,
        String group,
        String kind,
        String plural,
        String scope,
        List<String> versions,
        boolean statusSubresource) {
      this.file = file;
      this.group = group;
      this.kind = kind;
      this.plural = plural;
      this.scope = scope;
      this.versions = versions;
      this.statusSubresource = statusSubresource;
    }

    Path path() {
      return CRDS.resolve(file);
    }

    JsonNode read() {
      try {
        return YAML.readTree(path().toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    JsonNode version(String name) {
      for (JsonNode v : read().path("spec").path("versions")) {
        if (name.equals(v.path("name").asText())) return v;
      }
      throw new AssertionError(file + " has no version " + name);
    }

    /** The schema of the storage version (v1beta1 for all four). */
    JsonNode schema() {
      return version("v1beta1").path("schema").path("openAPIV3Schema");
    }
  }

  @ParameterizedTest
  @EnumSource(Crd.class)
  void eachFileSaysTheProjectWroteItAndWhy(Crd crd) throws IOException {
    List<String> lines = Files.readAllLines(crd.path());
    assertTrue(lines.get(0).startsWith("# Written by the kmetal-storage project"), lines.get(0));
    String header =
        String.join(" ", lines.stream().takeWhile(l -> l.startsWith("#")).toList())
            .replace("# ", "");
    assertTrue(header.contains("not copied from upstream"), header);
    assertTrue(header.contains("not served by the Go module proxy"), header);
    assertTrue(header.contains("x-kubernetes-preserve-unknown-fields: true"), header);
    String upstream = crd == Crd.HOST_PATH_PROVISIONERS ? "HPP operator v0.25.2" : "CDI v1.66.0";
    assertTrue(header.contains(upstream), header);
  }

  @ParameterizedTest
  @EnumSource(Crd.class)
  void eachFileIsAV1CrdOfItsGroupKindAndScope(Crd crd) {
    JsonNode doc = crd.read();
    assertEquals("apiextensions.k8s.io/v1", doc.path("apiVersion").asText());
    assertEquals("CustomResourceDefinition", doc.path("kind").asText());
    assertEquals(crd.plural + "." + crd.group, doc.path("metadata").path("name").asText());
    JsonNode spec = doc.path("spec");
    assertEquals(crd.group, spec.path("group").asText());
    assertEquals(crd.kind, spec.path("names").path("kind").asText());
    assertEquals(crd.kind + "List", spec.path("names").path("listKind").asText());
    assertEquals(crd.plural, spec.path("names").path("plural").asText());
    assertEquals(crd.scope, spec.path("scope").asText());
    List<String> names = new ArrayList<>();
    List<String> stored = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      names.add(v.path("name").asText());
      assertTrue(v.path("served").asBoolean(), v.path("name").asText() + " is not served");
      if (v.path("storage").asBoolean()) stored.add(v.path("name").asText());
      assertEquals(
          crd.statusSubresource,
          v.path("subresources").has("status"),
          v.path("name").asText() + ": status subresource as upstream has it");
    }
    assertEquals(crd.versions, names);
    assertEquals(List.of("v1beta1"), stored);
  }

  @Test
  void dataVolumesAreNamedAndListedAsUpstreamNamesThem() {
    JsonNode names = Crd.DATA_VOLUMES.read().path("spec").path("names");
    assertEquals(List.of("dv", "dvs"), texts(names.path("shortNames")));
    assertEquals(List.of("all"), texts(names.path("categories")));
    assertEquals(
        List.of("Phase", "Progress", "Restarts", "Age"),
        columns(Crd.DATA_VOLUMES.version("v1beta1")));
    for (String v : Crd.CDIS.versions) {
      assertEquals(List.of("Age", "Phase"), columns(Crd.CDIS.version(v)));
    }
  }

  @ParameterizedTest
  @EnumSource(Crd.class)
  void everySchemaNodeDeclaresItsType(Crd crd) {
    for (JsonNode v : crd.read().path("spec").path("versions")) {
      List<String> problems = new ArrayList<>();
      structural(v.path("schema").path("openAPIV3Schema"), v.path("name").asText(), problems);
      assertEquals(List.of(), problems, crd.file);
    }
  }

  @ParameterizedTest
  @EnumSource(Crd.class)
  void specAndStatusKeepTheFieldsTheSchemaDoesNotName(Crd crd) {
    JsonNode root = crd.schema().path("properties");
    assertEquals(YAML.createObjectNode().put("type", "object"), root.path("metadata"));
    for (String part : List.of("spec", "status")) {
      assertEquals("object", root.path(part).path("type").asText(), part);
      assertTrue(
          root.path(part).path("x-kubernetes-preserve-unknown-fields").asBoolean(),
          part + " keeps unknown fields");
    }
  }

  @Test
  void cdiServesV1alpha1WithTheSameSchemaAsV1beta1() {
    assertEquals(
        Crd.CDIS.version("v1beta1").path("schema"), Crd.CDIS.version("v1alpha1").path("schema"));
  }

  @Test
  void everyFieldTheDriverWritesOnADataVolumeIsDeclared() {
    // DataVolumes.create: spec.source from ContentSource, spec.storage with one access mode.
    for (String source :
        List.of(
            "blank: {}",
            "snapshot: {namespace: tenant-ns, name: snap-1}",
            "pvc: {namespace: tenant-ns, name: pvc-1}")) {
      assertDeclared(
          Crd.DATA_VOLUMES,
          """
          apiVersion: cdi.kubevirt.io/v1beta1
          kind: DataVolume
          metadata:
            name: pvc-0a1b
            namespace: tenant-ns
            labels: {csi.kubevirt.io/tenant-cluster: alpha}
          spec:
            source:
              %s
            storage:
              accessModes: [ReadWriteOnce]
              volumeMode: Block
              resources:
                requests:
                  storage: "1073741824"
              storageClassName: ceph-rbd
          """
              .formatted(source));
    }
    // DataVolumes.resize: a merge patch of spec.storage.resources.requests.storage.
    assertDeclared(
        Crd.DATA_VOLUMES,
        """
        spec:
          storage:
            resources:
              requests:
                storage: "2147483648"
        """);
  }

  @Test
  void everyFieldTheCdiSimulatorWritesInADataVolumeStatusIsDeclared() {
    String volume =
        """
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: DataVolume
        metadata: {name: pvc-0a1b, namespace: tenant-ns}
        spec:
          source: {blank: {}}
          storage:
            accessModes: [ReadWriteMany]
            volumeMode: Filesystem
            resources: {requests: {storage: 1Gi}}
        """;
    assertDeclared(
        Crd.DATA_VOLUMES,
        volume
            + """
            status:
              phase: Succeeded
              progress: 100.0%
              claimName: pvc-0a1b
            """);
    assertDeclared(
        Crd.DATA_VOLUMES,
        volume
            + """
            status:
              phase: Pending
              restartCount: 0
              conditions:
                - {type: Bound, status: "False", reason: ErrExceededQuota, message: "exceeded quota: q"}
                - {type: Ready, status: "False", reason: ErrExceededQuota, message: "exceeded quota: q"}
                - {type: Running, status: "False", reason: "", message: ""}
            """);
  }

  @Test
  void aDataVolumeNeedsItsSpecAndNamedCloneSources() {
    assertEquals(
        List.of("$.spec: required"),
        problems(Crd.DATA_VOLUMES, "{apiVersion: cdi.kubevirt.io/v1beta1, kind: DataVolume}"));
    assertEquals(
        List.of("$.spec.source.pvc.namespace: required"),
        problems(Crd.DATA_VOLUMES, "spec: {source: {pvc: {name: pvc-1}}}"));
  }

  @Test
  void everyFieldTheStorageTierRendersOnAStorageProfileIsDeclared() {
    assertDeclared(
        Crd.STORAGE_PROFILES,
        """
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: StorageProfile
        metadata:
          name: tenant-storage-class
          labels: {app.kubernetes.io/part-of: kmetal-storage}
        spec:
          claimPropertySets:
            - accessModes: [ReadWriteOnce]
              volumeMode: Block
            - accessModes: [ReadWriteMany, ReadOnlyMany]
              volumeMode: Filesystem
          cloneStrategy: csi-clone
          snapshotClass: ceph-rbd-snapshot
        status:
          storageClass: tenant-storage-class
          provisioner: rbd.csi.ceph.com
          cloneStrategy: csi-clone
          claimPropertySets:
            - accessModes: [ReadWriteOnce]
              volumeMode: Block
        """);
  }

  @Test
  void aClaimPropertySetIsHeldToUpstreamsAccessAndVolumeModes() {
    assertEquals(
        List.of(
            "$.spec.claimPropertySets[0].accessModes[0]: ReadWriteAlways is not one of"
                + " [ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod]",
            "$.spec.claimPropertySets[0].volumeMode: Raw is not one of [Block, Filesystem]",
            "$.spec.claimPropertySets[1].volumeMode: required"),
        problems(
            Crd.STORAGE_PROFILES,
            """
            spec:
              claimPropertySets:
                - {accessModes: [ReadWriteAlways], volumeMode: Raw}
                - {accessModes: [ReadWriteOnce]}
            """));
  }

  @Test
  void everyFieldTheHppOverlayRendersIsDeclared() {
    assertDeclared(
        Crd.HOST_PATH_PROVISIONERS,
        """
        apiVersion: hostpathprovisioner.kubevirt.io/v1beta1
        kind: HostPathProvisioner
        metadata:
          name: hostpath-provisioner
          labels: {app.kubernetes.io/part-of: kmetal-storage}
        spec:
          imagePullPolicy: IfNotPresent
          featureGates: [Snapshotting]
          storagePools:
            - name: nfs-backend
              path: /nfs-vol
              snapshotProvider: reflink
              overlayClassName: hpp-overlay
              pvcTemplate:
                accessModes: [ReadWriteMany]
                storageClassName: nfs-csi
                volumeMode: Filesystem
                resources: {requests: {storage: 10Gi}}
          workload:
            nodeSelector: {kubernetes.io/os: linux}
            tolerations:
              - {key: node-role.kubernetes.io/infra, operator: Exists, effect: NoSchedule}
              - {key: k, operator: Equal, value: v, effect: NoExecute, tolerationSeconds: 30}
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions:
                        - {key: kmetal.io/storage, operator: In, values: ["true"]}
                preferredDuringSchedulingIgnoredDuringExecution:
                  - weight: 10
                    preference:
                      matchFields:
                        - {key: metadata.name, operator: NotIn, values: [node-0]}
        status:
          observedVersion: v0.25.2
          operatorVersion: v0.25.2
          targetVersion: v0.25.2
          conditions:
            - {type: Available, status: "True", reason: Complete, message: ready}
          storagePoolStatuses:
            - {name: nfs-backend, phase: Ready, currentReady: 1, desiredReady: 1}
        """);
  }

  @Test
  void anHppStoragePoolNeedsANameAndAPath() {
    assertEquals(
        List.of("$.spec.storagePools[0].name: required", "$.spec.storagePools[0].path: required"),
        problems(Crd.HOST_PATH_PROVISIONERS, "spec: {storagePools: [{overlayClassName: x}]}"));
  }

  @Test
  void theCdiSettingsAPlatformSetsAreDeclaredInBothServedVersions() {
    String cdi =
        """
        apiVersion: cdi.kubevirt.io/v1beta1
        kind: CDI
        metadata: {name: cdi}
        spec:
          imagePullPolicy: IfNotPresent
          uninstallStrategy: BlockUninstallIfWorkloadsExist
          cloneStrategyOverride: snapshot
          infra:
            nodeSelector: {kubernetes.io/os: linux}
            tolerations: [{key: CriticalAddonsOnly, operator: Exists}]
          workload:
            nodeSelector: {kubernetes.io/os: linux}
          config:
            featureGates: [HonorWaitForFirstConsumer]
            filesystemOverhead:
              global: "0.055"
              storageClass: {ceph-rbd: "0.1"}
            scratchSpaceStorageClass: ceph-rbd
            preallocation: false
        status:
          phase: Deployed
          observedVersion: v1.66.0
          operatorVersion: v1.66.0
          targetVersion: v1.66.0
          conditions:
            - {type: Available, status: "True", reason: DeployCompleted}
        """;
    assertDeclared(Crd.CDIS, cdi);
    assertEquals(
        List.of("$.spec.imagePullPolicy: Sometimes is not one of [Always, IfNotPresent, Never]"),
        problems(Crd.CDIS, "spec: {imagePullPolicy: Sometimes}"));
  }

  @Test
  void everyStorageProfileAndHostPathProvisionerInTheGoldenRendersIsDeclared() throws IOException {
    Map<String, Crd> byKind =
        Map.of(
            "StorageProfile", Crd.STORAGE_PROFILES,
            "HostPathProvisioner", Crd.HOST_PATH_PROVISIONERS,
            "DataVolume", Crd.DATA_VOLUMES,
            "CDI", Crd.CDIS);
    List<String> seen = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(GOLDEN)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path file : files) {
      List<JsonNode> docs;
      try (MappingIterator<JsonNode> it =
          YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
        docs = it.readAll();
      }
      for (JsonNode doc : docs) {
        Crd crd = byKind.get(doc.path("kind").asText());
        if (crd == null || !doc.path("apiVersion").asText().startsWith(crd.group + "/")) continue;
        assertEquals(crd.group + "/v1beta1", doc.path("apiVersion").asText());
        assertEquals(List.of(), problems(crd, doc), file.getFileName() + " " + crd.kind);
        seen.add(crd.kind);
      }
    }
    assertTrue(seen.contains("StorageProfile"), "no StorageProfile in " + GOLDEN);
    assertTrue(seen.contains("HostPathProvisioner"), "no HostPathProvisioner in " + GOLDEN);
  }

  @Test
  void theCheckerItselfFindsAFieldOnlyPreserveUnknownKeeps() {
    List<String> found =
        problems(Crd.DATA_VOLUMES, "spec: {source: {http: {url: x}}, storage: {selector: {}}}");
    assertEquals(2, found.size(), found.toString());
    assertTrue(found.get(0).startsWith("$.spec.source.http: not declared"), found.get(0));
    assertTrue(found.get(1).startsWith("$.spec.storage.selector: not declared"), found.get(1));
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static void assertDeclared(Crd crd, String yaml) {
    assertEquals(List.of(), problems(crd, yaml), yaml);
  }

  private static List<String> problems(Crd crd, String yaml) {
    try {
      return problems(crd, YAML.readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What the CRD's schema says of {@code object}: wrong types, values outside an enum or pattern,
   * missing required fields, and fields reached only through preserve-unknown (or pruned). Metadata
   * is the API server's, not the schema's.
   */
  private static List<String> problems(Crd crd, JsonNode object) {
    List<String> problems = new ArrayList<>();
    JsonNode copy = object.deepCopy();
    if (copy instanceof ObjectNode o) {
      JsonNode meta = o.remove("metadata");
      if (meta != null && !meta.isObject()) problems.add("$.metadata: not an object");
    }
    check(copy, crd.schema(), "$", problems);
    return problems;
  }

  private static void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
      if (!value.isTextual() && !value.isIntegralNumber())
        problems.add(path + ": " + value.getNodeType() + " is no int-or-string");
      else if (value.isTextual()) pattern(value, schema, path, problems);
      return;
    }
    String type = schema.path("type").asText();
    boolean fits =
        switch (type) {
          case "object" -> value.isObject();
          case "array" -> value.isArray();
          case "string" -> value.isTextual();
          case "integer" -> value.isIntegralNumber();
          case "number" -> value.isNumber();
          case "boolean" -> value.isBoolean();
          default -> false;
        };
    if (!fits) {
      problems.add(path + ": " + value.getNodeType() + " where the schema has " + type);
      return;
    }
    if (schema.has("enum")) {
      List<String> allowed = texts(schema.get("enum"));
      if (!allowed.contains(value.asText()))
        problems.add(path + ": " + value.asText() + " is not one of " + allowed);
    }
    if (value.isTextual()) pattern(value, schema, path, problems);
    if (value.isArray()) {
      if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt())
        problems.add(path + ": more than " + schema.get("maxItems").asInt() + " items");
      for (int i = 0; i < value.size(); i++)
        check(value.get(i), schema.path("items"), path + "[" + i + "]", problems);
    }
    if (value.isObject()) {
      for (String required : texts(schema.path("required"))) {
        if (!value.has(required)) problems.add(path + "." + required + ": required");
      }
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String at = path + "." + field.getKey();
        if (properties.has(field.getKey()))
          check(field.getValue(), properties.get(field.getKey()), at, problems);
        else if (additional.isObject()) check(field.getValue(), additional, at, problems);
        else if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean())
          problems.add(at + ": not declared, only kept by x-kubernetes-preserve-unknown-fields");
        else problems.add(at + ": not declared, pruned");
      }
    }
  }

  private static void pattern(JsonNode value, JsonNode schema, String path, List<String> problems) {
    if (schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find())
      problems.add(path + ": " + value.asText() + " does not match " + schema.get("pattern"));
  }

  /**
   * The structural-schema rules the API server applies to the parts used here: a type on every node
   * (int-or-string nodes excepted, which have none), properties only on objects and never beside
   * additionalProperties, items on every array, and anyOf only as int-or-string.
   */
  private static void structural(JsonNode schema, String path, List<String> problems) {
    boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean();
    String type = schema.path("type").asText();
    if (intOrString) {
      if (schema.has("type")) problems.add(path + ": int-or-string with a type");
      ArrayNode anyOf =
          YAML.createArrayNode()
              .add(YAML.createObjectNode().put("type", "integer"))
              .add(YAML.createObjectNode().put("type", "string"));
      if (schema.has("anyOf") && !anyOf.equals(schema.get("anyOf")))
        problems.add(path + ": anyOf other than integer or string");
    } else {
      if (type.isEmpty()) problems.add(path + ": no type");
      if (schema.has("anyOf")) problems.add(path + ": anyOf outside int-or-string");
    }
    for (String k : List.of("allOf", "oneOf", "not")) {
      if (schema.has(k)) problems.add(path + ": " + k + " (not used in these CRDs)");
    }
    if (schema.has("properties") && !"object".equals(type))
      problems.add(path + ": properties on a " + type);
    if (schema.has("properties") && schema.has("additionalProperties"))
      problems.add(path + ": both properties and additionalProperties");
    if ("array".equals(type) != schema.has("items"))
      problems.add(path + ": items and type array go together");
    if (schema.has("additionalProperties") && !schema.get("additionalProperties").isObject())
      problems.add(path + ": additionalProperties is not a schema");
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      structural(p.getValue(), path + "." + p.getKey(), problems);
    }
    if (schema.has("items")) structural(schema.get("items"), path + "[]", problems);
    if (schema.path("additionalProperties").isObject())
      structural(schema.get("additionalProperties"), path + ".*", problems);
  }

  private static List<String> columns(JsonNode version) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : version.path("additionalPrinterColumns")) out.add(c.path("name").asText());
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) out.add(n.asText());
    return out;
  }
}
