package io.kmetal.storage.model.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kmetal.storage.Fixtures;
import io.kmetal.storage.model.Backend;
import io.kmetal.storage.model.CephRbdBackend;
import io.kmetal.storage.model.CsiBackend;
import io.kmetal.storage.model.DataProtectionSpec;
import io.kmetal.storage.model.Fleet;
import io.kmetal.storage.model.HppOverlaySpec;
import io.kmetal.storage.model.LocalPathBackend;
import io.kmetal.storage.model.NodePaths;
import io.kmetal.storage.model.PvcTemplate;
import io.kmetal.storage.model.StoragePoolSpec;
import io.kmetal.storage.model.StorageTierSpec;
import io.kmetal.storage.model.TenantClusterSpec;
import io.kmetal.storage.model.TenantStorageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per validation rule: a small fleet file that breaks exactly that rule, the field path
 * the problem must name, and the words of the fix its message must contain.
 */
class ValidatorTest {
  private static final String CSI = "backend: {csi: {provisioner: csi.example.com}}";
  private static final String NODE = "{node: c1, paths: [/var/data]}";
  private static final String CERT_PEM =
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  // ---- the minimal valid fleet and its problems ----

  @Test
  void acceptsMinimalFleet() {
    String yaml =
        tiers("{name: tenant-storage-class, isDefault: true, " + CSI + "}")
            + tenants(tenant(""))
            + overlays(overlay(""));
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(yaml)));
  }

  @Test
  void acceptsMinimalFleetBuiltWithBuilders() {
    Fleet fleet =
        new Fleet(
            List.of(
                StorageTierSpec.builder()
                    .name("tenant-storage-class")
                    .isDefault(true)
                    .backend(Backend.csi(new CsiBackend("csi.example.com", null)))
                    .build()),
            List.of(
                TenantStorageSpec.builder()
                    .name("alpha")
                    .storageQuota("10Gi")
                    .clusters(TenantClusterSpec.named("alpha-prod"))
                    .build()),
            List.of(
                HppOverlaySpec.builder()
                    .name("vm-state")
                    .storagePools(
                        new StoragePoolSpec("nfs", "/nfs", null, null, rwx("nfs-csi", "10Gi")))
                    .build()));
    assertEquals(List.of(), Validator.validate(fleet));
  }

  @Test
  void acceptsTheAcceptanceFleet() {
    assertEquals(List.of(), Validator.validate(Fixtures.acceptanceFleet()));
  }

  @Test
  void localPathTiersMustPlaceTheirSharedProvisionerAlike() {
    String elsewhere =
        "{name: other, role: tenant, backend: {localPath: {nodePathMap: [{node: w1, paths:"
            + " [/var/t]}], provisionerNodeSelector: {}}}}";
    List<Problem> problems =
        Validator.validate(
            Fixtures.yaml(
                tiers(
                    localPath("role: platform", NODE),
                    elsewhere,
                    "{name: gp, isDefault: true, " + CSI + "}")));
    assertHas(
        problems,
        "storageTiers[1].backend.localPath.provisionerNodeSelector",
        "differs from storageTiers[0]'s",
        "share one provisioner");
    assertEquals(1, problems.size(), problems::toString);
  }

  @Test
  void aDriverWithSnapshotClassesNeedsExactlyOneDefault() {
    String none =
        tiers(
            "{name: a, isDefault: true, " + CSI + ", snapshotClass: {name: a-snap}}",
            "{name: b, " + CSI + ", snapshotClass: {name: b-snap}}");
    List<Problem> problems = Validator.validate(Fixtures.yaml(none));
    assertHas(
        problems,
        "storageTiers[0].snapshotClass.isDefault",
        "no default VolumeSnapshotClass for driver csi.example.com (a-snap, b-snap)");
    assertEquals(1, problems.size(), problems::toString);

    String two = none.replace("-snap}", "-snap, isDefault: true}");
    problems = Validator.validate(Fixtures.yaml(two));
    for (int i : List.of(0, 1))
      assertHas(
          problems,
          "storageTiers[" + i + "].snapshotClass.isDefault",
          "more than one default VolumeSnapshotClass for driver csi.example.com");
    assertEquals(2, problems.size(), problems::toString);

    String one = none.replace("a-snap}", "a-snap, isDefault: true}");
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(one)));

    String only = tiers("{name: a, isDefault: true, " + CSI + ", snapshotClass: {name: a-snap}}");
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(only)), "the only one is the default");
    assertHas(
        Validator.validate(Fixtures.yaml(only.replace("a-snap}", "a-snap, isDefault: false}"))),
        "storageTiers[0].snapshotClass.isDefault",
        "no default VolumeSnapshotClass");
  }

  @Test
  void acceptsEmptyFleet() {
    assertEquals(List.of(), Validator.validate(new Fleet(null, null, null)));
  }

  @Test
  void reportsEveryProblemOfTheFleetAtOnce() {
    Fleet fleet =
        Fixtures.yaml(
            tiers("{name: Fast, isDefault: true, reclaimPolicy: Recycle, " + CSI + "}")
                + tenants("{name: alpha, storageQuota: ten gigs, bus: ide, clusters: [{name: a}]}")
                + overlays("{name: vm-state, storagePools: []}"));
    List<Problem> problems = Validator.validate(fleet);
    assertHas(problems, "storageTiers[0].name", "not a valid Kubernetes object name");
    assertHas(problems, "storageTiers[0].reclaimPolicy", "Delete, Retain");
    assertHas(problems, "tenantStorages[0].storageQuota", "not a Kubernetes quantity");
    assertHas(problems, "tenantStorages[0].bus", "scsi, virtio");
    assertHas(problems, "hppOverlays[0].storagePools", "at least one storage pool");
  }

  @Test
  void requireValidThrowsListingEveryProblem() {
    Fleet fleet =
        Fixtures.yaml(
            tenants(
                "{name: alpha, storageQuota: ten gigs, controllerReplicas: 0, clusters: [{name: a}]}"));
    List<Problem> problems = Validator.validate(fleet);
    assertEquals(2, problems.size(), problems::toString);

    InvalidSpecException e =
        assertThrows(InvalidSpecException.class, () -> Validator.requireValid(fleet));

    assertEquals(problems, e.problems());
    assertTrue(e.getMessage().startsWith("2 problems"), e.getMessage());
    for (Problem p : problems) {
      assertTrue(e.getMessage().contains(p.field() + ": " + p.message()), e.getMessage());
    }
  }

  @Test
  void requireValidReturnsAValidFleetUnchanged() {
    Fleet fleet = Fixtures.acceptanceFleet();
    assertSame(fleet, Validator.requireValid(fleet));
  }

  // ---- the fixtures in fixtures/ ----

  static Stream<Arguments> invalidFixtures() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.dir().resolve("invalid"))) {
      List<Path> sorted = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertFalse(sorted.isEmpty(), "no invalid fixtures found");
      return sorted.stream().map(f -> Arguments.of(f.getFileName().toString(), f));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFixtures")
  void refusesEveryInvalidFixtureWithTheExpectedProblem(String name, Path file) throws IOException {
    String yaml = Files.readString(file);
    String first = yaml.lines().findFirst().orElse("");
    assertTrue(first.startsWith("# expect:"), name + ": first line must be '# expect: a|b'");
    List<String> alternatives =
        Arrays.stream(first.substring("# expect:".length()).split("\\|"))
            .map(s -> s.strip().toLowerCase(Locale.ROOT))
            .filter(s -> !s.isEmpty())
            .toList();

    List<Problem> problems;
    try {
      problems = Validator.validate(Fixtures.read(file));
    } catch (InvalidSpecException e) {
      problems = e.problems();
    }

    assertFalse(problems.isEmpty(), name + " was accepted");
    List<Problem> found = problems;
    assertTrue(
        found.stream()
            .map(p -> p.toString().toLowerCase(Locale.ROOT))
            .anyMatch(text -> alternatives.stream().anyMatch(text::contains)),
        name + ": no problem mentions " + alternatives + " in " + found);
  }

  // ---- one case per rule ----

  static Stream<Arguments> tierRules() {
    String longPath = "/" + "a".repeat(4096);
    return Stream.of(
        refuses(
            "refusesTierNameThatIsNotAnObjectName",
            tiers("{name: Fast_Tier, isDefault: true, " + CSI + "}"),
            "storageTiers[0].name",
            "\"Fast_Tier\"",
            "not a valid Kubernetes object name",
            "fast-tier"),
        refuses(
            "refusesTierWithoutName",
            tiers("{storageClassName: fast, isDefault: true, " + CSI + "}"),
            "storageTiers[0].name",
            "is required"),
        refuses(
            "refusesStorageClassNameThatIsNotAnObjectName",
            tiers("{name: fast, storageClassName: Fast Class, isDefault: true, " + CSI + "}"),
            "storageTiers[0].storageClassName",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesUnknownRole",
            tiers("{name: fast, role: admin, isDefault: true, " + CSI + "}"),
            "storageTiers[0].role",
            "\"admin\" is not allowed",
            "platform, tenant"),
        refuses(
            "refusesUnknownReclaimPolicy",
            tiers("{name: fast, reclaimPolicy: Recycle, isDefault: true, " + CSI + "}"),
            "storageTiers[0].reclaimPolicy",
            "\"Recycle\"",
            "Delete, Retain"),
        refuses(
            "refusesUnknownVolumeBindingMode",
            tiers("{name: fast, volumeBindingMode: Later, isDefault: true, " + CSI + "}"),
            "storageTiers[0].volumeBindingMode",
            "\"Later\"",
            "WaitForFirstConsumer, Immediate"),
        refuses(
            "refusesBlankMountOption",
            tiers("{name: fast, mountOptions: [discard, ''], isDefault: true, " + CSI + "}"),
            "storageTiers[0].mountOptions[1]",
            "must not be empty"),
        refuses(
            "refusesEmptyMountOptionEntry",
            tiers("{name: fast, mountOptions: [discard, ~], isDefault: true, " + CSI + "}"),
            "storageTiers[0].mountOptions[1]",
            "must not be empty"),
        refuses(
            "refusesTierWithoutBackend",
            tiers("{name: fast, isDefault: true}"),
            "storageTiers[0].backend",
            "is required",
            "exactly one of localPath, cephRbd, cephFs, csi"),
        refuses(
            "refusesTierWithEmptyBackend",
            tiers("{name: fast, isDefault: true, backend: {}}"),
            "storageTiers[0].backend",
            "exactly one of localPath, cephRbd, cephFs, csi"),
        refuses(
            "refusesTierWithTwoBackends",
            tiers(
                "{name: fast, isDefault: true, backend: {cephFs: {clusterID: c, fsName: f},"
                    + " csi: {provisioner: csi.example.com}}}"),
            "storageTiers[0].backend",
            "sets cephFs and csi",
            "set exactly one backend"),
        refuses(
            "refusesStorageProfileWithoutClaimPropertySets",
            tiers(
                "{name: fast, isDefault: true, "
                    + CSI
                    + ", storageProfile: {claimPropertySets: []}}"),
            "storageTiers[0].storageProfile.claimPropertySets",
            "at least one claim property set"),
        refuses(
            "refusesEmptyClaimPropertySetEntry",
            tiers(
                "{name: fast, isDefault: true, "
                    + CSI
                    + ", storageProfile: {claimPropertySets: [~]}}"),
            "storageTiers[0].storageProfile.claimPropertySets[0]",
            "is empty",
            "accessModes and volumeMode"),
        refuses(
            "refusesClaimPropertySetWithoutAccessModes",
            tiers(profile("{accessModes: [], volumeMode: Filesystem}")),
            "storageTiers[0].storageProfile.claimPropertySets[0].accessModes",
            "at least one access mode"),
        refuses(
            "refusesUnknownClaimAccessMode",
            tiers(profile("{accessModes: [ReadWriteOnce, RWO], volumeMode: Filesystem}")),
            "storageTiers[0].storageProfile.claimPropertySets[0].accessModes[1]",
            "\"RWO\" is not allowed",
            "ReadWriteOnce, ReadWriteMany"),
        refuses(
            "refusesEmptyClaimAccessModeEntry",
            tiers(profile("{accessModes: [~], volumeMode: Filesystem}")),
            "storageTiers[0].storageProfile.claimPropertySets[0].accessModes[0]",
            "is required"),
        refuses(
            "refusesClaimPropertySetWithoutVolumeMode",
            tiers(profile("{accessModes: [ReadWriteOnce]}")),
            "storageTiers[0].storageProfile.claimPropertySets[0].volumeMode",
            "is required"),
        refuses(
            "refusesUnknownClaimVolumeMode",
            tiers(profile("{accessModes: [ReadWriteOnce], volumeMode: Raw}")),
            "storageTiers[0].storageProfile.claimPropertySets[0].volumeMode",
            "\"Raw\"",
            "Filesystem, Block"),
        refuses(
            "refusesSnapshotClassWithoutName",
            tiers(
                "{name: fast, isDefault: true, "
                    + CSI
                    + ", snapshotClass: {deletionPolicy: Delete}}"),
            "storageTiers[0].snapshotClass.name",
            "is required"),
        refuses(
            "refusesSnapshotClassNameThatIsNotAnObjectName",
            tiers("{name: fast, isDefault: true, " + CSI + ", snapshotClass: {name: Snap_Class}}"),
            "storageTiers[0].snapshotClass.name",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesUnknownSnapshotDeletionPolicy",
            tiers(
                "{name: fast, isDefault: true, "
                    + CSI
                    + ", snapshotClass: {name: snap, deletionPolicy: Keep}}"),
            "storageTiers[0].snapshotClass.deletionPolicy",
            "\"Keep\"",
            "Delete, Retain"),
        refuses(
            "refusesEnforcingASingleDefaultOnATierHoldingNone",
            tiers("{name: fast, enforceSingleDefault: true, " + CSI + "}"),
            "storageTiers[0].enforceSingleDefault",
            "holds no default to enforce",
            "set isDefault or snapshotClass.isDefault"),
        refuses(
            "refusesSnapshotClassOnLocalPathTier",
            tiers(localPath("role: platform, snapshotClass: {name: snap}", NODE)),
            "storageTiers[0].snapshotClass",
            "cannot be snapshotted",
            "remove snapshotClass"),
        refuses(
            "refusesLocalPathTierWithoutRole",
            tiers(localPath("isDefault: true", NODE)),
            "storageTiers[0].backend.localPath",
            "needs role: platform or tenant",
            "disjoint"),
        refuses(
            "refusesLocalPathTierWithImmediateBinding",
            tiers(localPath("role: platform, volumeBindingMode: Immediate", NODE)),
            "storageTiers[0].backend.localPath",
            "volumeBindingMode: WaitForFirstConsumer"),
        refuses(
            "refusesLocalPathTierWithoutNodes",
            tiers(localPath("role: platform")),
            "storageTiers[0].backend.localPath.nodePathMap",
            "at least one node"),
        refuses(
            "refusesEmptyNodePathMapEntry",
            tiers(localPath("role: platform", "~")),
            "storageTiers[0].backend.localPath.nodePathMap[0]",
            "is empty",
            "node and paths"),
        refuses(
            "refusesNodePathMapEntryWithoutNode",
            tiers(localPath("role: platform", "{paths: [/var/data]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].node",
            "is required"),
        refuses(
            "refusesATolerationWithExistsAndAValue",
            tiers(placed("provisionerTolerations: [{key: dedicated, operator: Exists, value: x}]")),
            "storageTiers[0].backend.localPath.provisionerTolerations[0].value",
            "must be empty with operator Exists"),
        refuses(
            "refusesATolerationWithoutKey",
            tiers(placed("provisionerTolerations: [{operator: Exists}]")),
            "storageTiers[0].backend.localPath.provisionerTolerations[0].key",
            "is required"),
        refuses(
            "refusesAnUnknownTaintEffect",
            tiers(placed("provisionerTolerations: [{key: a, operator: Exists, effect: Never}]")),
            "storageTiers[0].backend.localPath.provisionerTolerations[0].effect",
            "\"Never\"",
            "NoSchedule, PreferNoSchedule, NoExecute"),
        refuses(
            "refusesAnInvalidProvisionerNodeSelectorKey",
            tiers(placed("provisionerNodeSelector: {\"bad key\": \"\"}")),
            "storageTiers[0].backend.localPath.provisionerNodeSelector.bad key",
            "not a valid label key"),
        refuses(
            "refusesListingTheNonListedNodesEntry",
            tiers(
                localPath(
                    "role: platform",
                    "{node: DEFAULT_PATH_FOR_NON_LISTED_NODES, paths: [/var/data]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].node",
            "always rendered as []",
            "list real nodes only"),
        refuses(
            "refusesNodeListedTwice",
            tiers(localPath("role: platform", NODE, "{node: c1, paths: [/srv]}")),
            "storageTiers[0].backend.localPath.nodePathMap[1].node",
            "\"c1\" is listed twice",
            "merge its paths"),
        refuses(
            "refusesNodeWithoutPaths",
            tiers(localPath("role: platform", "{node: c1, paths: []}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths",
            "at least one absolute path"),
        refuses(
            "refusesRelativeLocalPath",
            tiers(localPath("role: platform", "{node: c1, paths: [var/data]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[0]",
            "must be an absolute path",
            "/var/data"),
        refuses(
            "refusesRootAsLocalPath",
            tiers(localPath("role: platform", "{node: c1, paths: [/]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[0]",
            "must not be the root directory"),
        refuses(
            "refusesLocalPathWithDotDot",
            tiers(localPath("role: platform", "{node: c1, paths: [/var/../etc]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[0]",
            "must not contain '..'"),
        refuses(
            "refusesLocalPathLongerThan4096",
            tiers(localPath("role: platform", "{node: c1, paths: [" + longPath + "]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[0]",
            "4097 characters",
            "at most 4096"),
        refuses(
            "refusesLocalPathListedTwiceForOneNode",
            tiers(localPath("role: platform", "{node: c1, paths: [/var/data, /var/data/]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[1]",
            "listed twice for this node"),
        refuses(
            "refusesEmptyLocalPathEntry",
            tiers(localPath("role: platform", "{node: c1, paths: [/var/data, ~]}")),
            "storageTiers[0].backend.localPath.nodePathMap[0].paths[1]",
            "is required"),
        refuses(
            "refusesBlankRbdProvisioner",
            tiers(rbd("provisioner: '', clusterID: ceph, pool: rbd")),
            "storageTiers[0].backend.cephRbd.provisioner",
            "is required"),
        refuses(
            "refusesRbdWithoutClusterId",
            tiers(rbd("pool: rbd")),
            "storageTiers[0].backend.cephRbd.clusterID",
            "is required"),
        refuses(
            "refusesRbdWithoutPool",
            tiers(rbd("clusterID: ceph")),
            "storageTiers[0].backend.cephRbd.pool",
            "is required"),
        refuses(
            "refusesUnknownRbdFsType",
            tiers(rbd("clusterID: ceph, pool: rbd, fsType: btrfs")),
            "storageTiers[0].backend.cephRbd.fsType",
            "\"btrfs\"",
            "ext4, xfs"),
        refuses(
            "refusesUnknownRbdImageFeature",
            tiers(rbd("clusterID: ceph, pool: rbd, imageFeatures: [layering, turbo]")),
            "storageTiers[0].backend.cephRbd.imageFeatures[1]",
            "\"turbo\" is not allowed",
            "layering, exclusive-lock"),
        refuses(
            "refusesEmptyRbdImageFeatureEntry",
            tiers(rbd("clusterID: ceph, pool: rbd, imageFeatures: [layering, ~]")),
            "storageTiers[0].backend.cephRbd.imageFeatures[1]",
            "is required"),
        refuses(
            "refusesRbdImageFeaturesWithoutLayering",
            tiers(rbd("clusterID: ceph, pool: rbd, imageFeatures: [exclusive-lock]")),
            "storageTiers[0].backend.cephRbd.imageFeatures",
            "must include layering"),
        refuses(
            "refusesObjectMapWithoutExclusiveLock",
            tiers(rbd("clusterID: ceph, pool: rbd, imageFeatures: [layering, object-map]")),
            "storageTiers[0].backend.cephRbd.imageFeatures",
            "object-map requires exclusive-lock",
            "add exclusive-lock"),
        refuses(
            "refusesFastDiffWithoutObjectMap",
            tiers(
                rbd(
                    "clusterID: ceph, pool: rbd, imageFeatures: [layering, exclusive-lock, fast-diff]")),
            "storageTiers[0].backend.cephRbd.imageFeatures",
            "fast-diff requires object-map",
            "add object-map"),
        refuses(
            "refusesEcDataPoolWithDeepFlatten",
            tiers(
                rbd(
                    "clusterID: ceph, pool: meta, dataPool: ec, imageFeatures: [layering, deep-flatten]")),
            "storageTiers[0].backend.cephRbd.imageFeatures",
            "deep-flatten is not supported",
            "erasure-coded",
            "\"ec\"",
            "remove deep-flatten"),
        refuses(
            "refusesDataPoolEqualToPool",
            tiers(rbd("clusterID: ceph, pool: rbd, dataPool: rbd")),
            "storageTiers[0].backend.cephRbd.dataPool",
            "must differ from pool"),
        refuses(
            "refusesBlankCephFsProvisioner",
            tiers(cephFs("provisioner: '', clusterID: ceph, fsName: fs")),
            "storageTiers[0].backend.cephFs.provisioner",
            "is required"),
        refuses(
            "refusesCephFsWithoutClusterId",
            tiers(cephFs("fsName: fs")),
            "storageTiers[0].backend.cephFs.clusterID",
            "is required"),
        refuses(
            "refusesCephFsWithoutFsName",
            tiers(cephFs("clusterID: ceph")),
            "storageTiers[0].backend.cephFs.fsName",
            "is required"),
        refuses(
            "refusesCsiWithoutProvisioner",
            tiers("{name: fast, isDefault: true, backend: {csi: {parameters: {a: b}}}}"),
            "storageTiers[0].backend.csi.provisioner",
            "is required"),
        refuses(
            "refusesCsiProvisionerLongerThan63",
            tiers(
                "{name: fast, isDefault: true, backend: {csi: {provisioner: "
                    + "p".repeat(64)
                    + "}}}"),
            "storageTiers[0].backend.csi.provisioner",
            "at most 63 characters"),
        refuses(
            "refusesProtectionWithoutALayout",
            tiers("{name: fast, protection: {deviceClass: ssd}, " + CSI + "}"),
            "storageTiers[0].protection",
            "describes no layout",
            "set replicas"),
        refuses(
            "refusesProtectionWithTwoLayouts",
            tiers(
                "{name: fast, protection: {replicas: 3, erasureCoding: {dataChunks: 4,"
                    + " codingChunks: 2}}, "
                    + CSI
                    + "}"),
            "storageTiers[0].protection",
            "both replicas and erasureCoding"),
        refuses(
            "refusesReplicasOutOfRange",
            tiers("{name: fast, protection: {replicas: 11}, " + CSI + "}"),
            "storageTiers[0].protection.replicas",
            "out of range",
            "1 to 10"),
        refuses(
            "refusesErasureCodingWithOneDataChunk",
            tiers(
                "{name: fast, protection: {erasureCoding: {dataChunks: 1, codingChunks: 1}}, "
                    + CSI
                    + "}"),
            "storageTiers[0].protection.erasureCoding.dataChunks",
            "k >= 2"),
        refuses(
            "refusesErasureCodingWithoutCodingChunks",
            tiers("{name: fast, protection: {erasureCoding: {dataChunks: 4}}, " + CSI + "}"),
            "storageTiers[0].protection.erasureCoding.codingChunks",
            "is required"),
        refuses(
            "refusesCompressionRatioBelowOne",
            tiers("{name: fast, protection: {replicas: 3, compressionRatio: 0.5}, " + CSI + "}"),
            "storageTiers[0].protection.compressionRatio",
            "not a ratio of at least 1"),
        refuses(
            "refusesUnknownDeviceClass",
            tiers("{name: fast, protection: {replicas: 3, deviceClass: tape}, " + CSI + "}"),
            "storageTiers[0].protection.deviceClass",
            "hdd, ssd, nvme"),
        refuses(
            "refusesAnErasureCodedRbdDataPoolDescribedAsReplicated",
            tiers(
                "{name: gold, isDefault: true, protection: {replicas: 3}, backend: {cephRbd:"
                    + " {clusterID: c, pool: meta, dataPool: ec}}}"),
            "storageTiers[0].protection",
            "dataPool (\"ec\") is an erasure-coded pool",
            "describe it with erasureCoding"),
        refuses(
            "refusesErasureCodingOnRbdWithoutADataPool",
            tiers(
                "{name: gold, isDefault: true, protection: {erasureCoding: {dataChunks: 4,"
                    + " codingChunks: 2}}, backend: {cephRbd: {clusterID: c, pool: p}}}"),
            "storageTiers[0].protection.erasureCoding",
            "set backend.cephRbd.dataPool"),
        refuses(
            "refusesMoreThanOneCopyOnLocalPath",
            tiers(localPath("role: platform, protection: {replicas: 3}", NODE)),
            "storageTiers[0].protection",
            "one copy on one node",
            "replicas: 1"),
        refuses(
            "refusesRetainCleanupOnADeleteTier",
            tiers("{name: fast, reclaimPolicy: Delete, retainCleanup: {}, " + CSI + "}"),
            "storageTiers[0].retainCleanup",
            "only reclaimPolicy: Retain leaves",
            "remove retainCleanup"),
        refuses(
            "refusesRetainCleanupAgeThatIsNoAge",
            tiers("{name: fast, retainCleanup: {olderThan: 30 days}, " + CSI + "}"),
            "storageTiers[0].retainCleanup.olderThan",
            "not an age",
            "30d"),
        refuses(
            "refusesRetainCleanupScheduleThatIsNotCron",
            tiers("{name: fast, retainCleanup: {schedule: daily}, " + CSI + "}"),
            "storageTiers[0].retainCleanup.schedule",
            "not a cron schedule",
            "five fields"),
        refuses(
            "refusesRetainCleanupInANamespaceThatIsNoLabel",
            tiers("{name: fast, retainCleanup: {namespace: Kube_System}, " + CSI + "}"),
            "storageTiers[0].retainCleanup.namespace",
            "Kube_System"),
        refuses(
            "refusesRetainCleanupOfAClassTooLongForACronJobName",
            tiers("{name: " + "a".repeat(40) + ", retainCleanup: {}, " + CSI + "}"),
            "storageTiers[0].retainCleanup",
            "at most 52 characters",
            "at most 37 characters"),
        refuses(
            "refusesCsiParameterWithoutValue",
            tiers(
                "{name: fast, isDefault: true, backend: {csi: {provisioner: csi.example.com, parameters: {fsType: ~}}}}"),
            "storageTiers[0].backend.csi.parameters.fsType",
            "needs a value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tierRules")
  void refusesTierBreakingARule(String behaviour, String yaml, String field, List<String> words) {
    assertRefused(yaml, field, words);
  }

  static Stream<Arguments> tenantRules() {
    List<Arguments> cases =
        new ArrayList<>(
            List.of(
                refuses(
                    "refusesTenantNameThatIsNotADnsLabel",
                    tenants("{name: Alpha, storageQuota: 10Gi, clusters: [{name: a}]}"),
                    "tenantStorages[0].name",
                    "\"Alpha\" is not a valid DNS-1123 label",
                    "\"alpha\""),
                refuses(
                    "refusesTenantWithoutName",
                    tenants("{namespace: alpha, storageQuota: 10Gi, clusters: [{name: a}]}"),
                    "tenantStorages[0].name",
                    "is required"),
                refuses(
                    "refusesNamespaceThatIsNotADnsLabel",
                    tenants(tenant("namespace: team.alpha")),
                    "tenantStorages[0].namespace",
                    "not a valid DNS-1123 label"),
                refuses(
                    "refusesTenantWithoutQuota",
                    tenants("{name: alpha, clusters: [{name: a}]}"),
                    "tenantStorages[0].storageQuota",
                    "is required"),
                refuses(
                    "refusesQuotaThatIsNotAQuantity",
                    tenants("{name: alpha, storageQuota: ten gigs, clusters: [{name: a}]}"),
                    "tenantStorages[0].storageQuota",
                    "\"ten gigs\" is not a Kubernetes quantity",
                    "10Gi"),
                refuses(
                    "refusesZeroQuota",
                    tenants("{name: alpha, storageQuota: '0', clusters: [{name: a}]}"),
                    "tenantStorages[0].storageQuota",
                    "must be greater than zero"),
                refuses(
                    "refusesAVolumeCapOfZero",
                    tenants(tenant("maxVolumes: 0")),
                    "tenantStorages[0].maxVolumes",
                    "0 is out of range: give 1 to 100000"),
                refuses(
                    "refusesASnapshotCapBeyondWhatANamespaceShouldHold",
                    tenants(tenant("maxSnapshots: 1000000")),
                    "tenantStorages[0].maxSnapshots",
                    "1000000 is out of range: give 1 to 100000"),
                refuses(
                    "refusesInfraClassThatIsNotAnObjectName",
                    tenants(tenant("infraStorageClassName: Tenant_Class")),
                    "tenantStorages[0].infraStorageClassName",
                    "not a valid Kubernetes object name"),
                refuses(
                    "refusesTenantClassThatIsNotAnObjectName",
                    tenants(tenant("tenantStorageClassName: KubeVirt")),
                    "tenantStorages[0].tenantStorageClassName",
                    "not a valid Kubernetes object name"),
                refuses(
                    "refusesAFeatureGateThatIsNoGateName",
                    tenants(tenant("kubevirt: {featureGates: [\"Hot plug\"]}")),
                    "tenantStorages[0].kubevirt.featureGates[0]",
                    "not a KubeVirt feature gate name"),
                refuses(
                    "refusesGatesThatWouldNeverBeApplied",
                    tenants(
                        tenant("kubevirt: {featureGates: [Snapshot], manageFeatureGates: false}")),
                    "tenantStorages[0].kubevirt.featureGates",
                    "never applied while manageFeatureGates is false"),
                refuses(
                    "refusesUnknownBus",
                    tenants(tenant("bus: ide")),
                    "tenantStorages[0].bus",
                    "\"ide\" is not allowed",
                    "KubeVirt hot-plugs disks only on scsi or virtio"),
                refuses(
                    "refusesSataWhichKubevirtDoesNotHotplug",
                    tenants(tenant("bus: sata")),
                    "tenantStorages[0].bus",
                    "\"sata\" is not allowed",
                    "use one of scsi, virtio"),
                refuses(
                    "refusesZeroControllerReplicas",
                    tenants(tenant("controllerReplicas: 0")),
                    "tenantStorages[0].controllerReplicas",
                    "at least 1"),
                refuses(
                    "refusesTenantWithoutClusters",
                    tenants("{name: alpha, storageQuota: 10Gi, clusters: []}"),
                    "tenantStorages[0].clusters",
                    "at least one tenant cluster"),
                refuses(
                    "refusesEmptyClusterEntry",
                    tenants("{name: alpha, storageQuota: 10Gi, clusters: [~]}"),
                    "tenantStorages[0].clusters[0]",
                    "is empty",
                    "cluster name"),
                refuses(
                    "refusesClusterNameThatIsNotADnsLabel",
                    tenants("{name: alpha, storageQuota: 10Gi, clusters: [{name: Alpha_Prod}]}"),
                    "tenantStorages[0].clusters[0].name",
                    "\"Alpha_Prod\" is not a valid DNS-1123 label",
                    "\"alpha-prod\""),
                refuses(
                    "refusesClusterWithoutName",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{kubeconfigSecret: {key: k}}]}"),
                    "tenantStorages[0].clusters[0].name",
                    "is required"),
                refuses(
                    "refusesClusterNameTooLongForTheControllerName",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: "
                            + "c".repeat(40)
                            + "}]}"),
                    "tenantStorages[0].clusters[0].name",
                    "is too long",
                    "at most 39",
                    "kubevirt-csi-controller-<name>"),
                refuses(
                    "refusesClusterListedTwice",
                    tenants("{name: alpha, storageQuota: 10Gi, clusters: [{name: a}, {name: a}]}"),
                    "tenantStorages[0].clusters[1].name",
                    "\"a\" is listed twice"),
                refuses(
                    "refusesKubeconfigSecretNameThatIsNotAnObjectName",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, kubeconfigSecret: {name: A_Secret}}]}"),
                    "tenantStorages[0].clusters[0].kubeconfigSecret.name",
                    "not a valid Kubernetes object name"),
                refuses(
                    "refusesKubeconfigSecretKeyWithSpace",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, kubeconfigSecret: {key: admin conf}}]}"),
                    "tenantStorages[0].clusters[0].kubeconfigSecret.key",
                    "not a valid Secret key"),
                refuses(
                    "refusesBlankKubeconfigSecretKey",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, kubeconfigSecret: {key: ''}}]}"),
                    "tenantStorages[0].clusters[0].kubeconfigSecret.key",
                    "is required"),
                refuses(
                    "refusesInvalidClusterLabelKey",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, labels: {'bad key': x}}]}"),
                    "tenantStorages[0].clusters[0].labels",
                    "\"bad key\" is not a valid label key"),
                refuses(
                    "refusesInvalidClusterLabelValue",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, labels: {team: 'a b'}}]}"),
                    "tenantStorages[0].clusters[0].labels.team",
                    "not a valid label value"),
                refuses(
                    "refusesClusterLabelWithoutValue",
                    tenants(
                        "{name: alpha, storageQuota: 10Gi, clusters: [{name: a, labels: {team: ~}}]}"),
                    "tenantStorages[0].clusters[0].labels.team",
                    "not a valid label value"),
                refuses(
                    "refusesWebhookWithZeroReplicas",
                    tenants(tenant("webhook: {replicas: 0}")),
                    "tenantStorages[0].webhook.replicas",
                    "at least 1"),
                refuses(
                    "refusesUnknownWebhookFailurePolicy",
                    tenants(tenant("webhook: {failurePolicy: Never}")),
                    "tenantStorages[0].webhook.failurePolicy",
                    "\"Never\" is not allowed",
                    "Ignore, Fail"),
                refuses(
                    "refusesWebhookTimeoutBelowOne",
                    tenants(tenant("webhook: {timeoutSeconds: 0}")),
                    "tenantStorages[0].webhook.timeoutSeconds",
                    "between 1 and 30"),
                refuses(
                    "refusesWebhookTimeoutAboveThirty",
                    tenants(tenant("webhook: {timeoutSeconds: 31}")),
                    "tenantStorages[0].webhook.timeoutSeconds",
                    "between 1 and 30"),
                refuses(
                    "refusesPlainHttpWebhookUrl",
                    tenants(
                        tenant("webhook: {url: 'http://kmetal-webhook.alpha.svc/validate-pvc'}")),
                    "tenantStorages[0].webhook.url",
                    "must be an https:// URL"),
                refuses(
                    "refusesWebhookUrlWithAQuery",
                    tenants(tenant("webhook: {url: 'https://hook.example/validate?cluster=a'}")),
                    "tenantStorages[0].webhook.url",
                    "must not have a query"),
                refuses(
                    "refusesWebhookTlsSecretThatIsNotAnObjectName",
                    tenants(tenant("webhook: {tlsSecretName: TLS}")),
                    "tenantStorages[0].webhook.tlsSecretName",
                    "not a valid Kubernetes object name"),
                refuses(
                    "refusesNamespaceSelectorLabelKeyThatIsNotALabelKey",
                    tenants(tenant("webhook: {namespaceSelector: {matchLabels: {'a b': x}}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchLabels",
                    "a b"),
                refuses(
                    "refusesNamespaceSelectorLabelValueThatIsNotALabelValue",
                    tenants(tenant("webhook: {namespaceSelector: {matchLabels: {team: 'a b'}}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchLabels.team",
                    "a b"),
                refuses(
                    "refusesNamespaceSelectorExpressionWithoutKey",
                    tenants(
                        tenant(
                            "webhook: {namespaceSelector: {matchExpressions: [{operator: Exists}]}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchExpressions[0].key",
                    "required"),
                refuses(
                    "refusesUnknownNamespaceSelectorOperator",
                    tenants(
                        tenant(
                            "webhook: {namespaceSelector: {matchExpressions: [{key: team, operator: Equals, values: [a]}]}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchExpressions[0].operator",
                    "\"Equals\" is not allowed",
                    "In, NotIn, Exists, DoesNotExist"),
                refuses(
                    "refusesNamespaceSelectorInWithoutValues",
                    tenants(
                        tenant(
                            "webhook: {namespaceSelector: {matchExpressions: [{key: team, operator: In}]}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchExpressions[0].values",
                    "at least one value for In"),
                refuses(
                    "refusesNamespaceSelectorExistsWithValues",
                    tenants(
                        tenant(
                            "webhook: {namespaceSelector: {matchExpressions: [{key: team, operator: Exists, values: [a]}]}}")),
                    "tenantStorages[0].webhook.namespaceSelector.matchExpressions[0].values",
                    "must be empty for Exists"),
                refuses(
                    "refusesCaBundleBesideAGeneratedCertificate",
                    tenants(
                        tenant(
                            "webhook: {generateCertificate: true, caBundle: "
                                + base64("-----BEGIN CERTIFICATE-----")
                                + "}")),
                    "tenantStorages[0].webhook.caBundle",
                    "not used with generateCertificate",
                    "generateCertificate: false"),
                refuses(
                    "refusesABroughtCertificateWithoutItsCaBundle",
                    tenants(tenant("webhook: {generateCertificate: false}")),
                    "tenantStorages[0].webhook.caBundle",
                    "is required when generateCertificate is false"),
                refuses(
                    "refusesCaBundleInPushModeWhereTheSecretsCaIsPushed",
                    tenants(
                        tenant(
                            "webhook: {pushConfiguration: true, caBundle: "
                                + base64("-----BEGIN CERTIFICATE-----")
                                + "}")),
                    "tenantStorages[0].webhook.caBundle",
                    "not used with pushConfiguration",
                    "ca.crt"),
                refuses(
                    "refusesCaBundleThatIsNotBase64",
                    tenants(tenant("webhook: {caBundle: 'not base64!'}")),
                    "tenantStorages[0].webhook.caBundle",
                    "is not base64",
                    "base64 -w0"),
                refuses(
                    "refusesCaBundleThatIsNotAPemCertificate",
                    tenants(tenant("webhook: {caBundle: " + base64("hello") + "}")),
                    "tenantStorages[0].webhook.caBundle",
                    "base64 of a PEM certificate")));
    for (String image :
        List.of(
            "controller",
            "node",
            "csiProvisioner",
            "csiAttacher",
            "csiResizer",
            "csiSnapshotter",
            "livenessProbe",
            "nodeDriverRegistrar")) {
      String field = "tenantStorages[0].images." + image;
      cases.add(
          refuses(
              "refusesLatestTagFor_" + image,
              tenants(tenant("images: {" + image + ": 'registry.example.com/img:latest'}")),
              field,
              "is not pinned",
              "never :latest"));
      cases.add(
          refuses(
              "refusesUntaggedImageFor_" + image,
              tenants(tenant("images: {" + image + ": 'registry.example.com:5000/img'}")),
              field,
              "is not pinned",
              "release tag or a digest"));
      cases.add(
          refuses(
              "refusesBlankImageFor_" + image,
              tenants(tenant("images: {" + image + ": ''}")),
              field,
              "is required"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tenantRules")
  void refusesTenantBreakingARule(String behaviour, String yaml, String field, List<String> words) {
    assertRefused(yaml, field, words);
  }

  @Test
  void acceptsImagesPinnedByDigestOrTag() {
    String yaml =
        tenants(
            tenant(
                "images: {controller: 'registry.example.com:5000/ctl@sha256:"
                    + "0".repeat(64)
                    + "', node: 'registry.example.com:5000/node:v1'}"));
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(yaml)));
  }

  @Test
  void acceptsCaBundleOfAPemCertificate() {
    String yaml = tenants(tenant("webhook: {caBundle: " + base64(CERT_PEM) + "}"));
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(yaml)));
  }

  @Test
  void disabledWebhookNeedsNoCertificateButItsFieldsAreStillChecked() {
    String off = tenants(tenant("webhook: {enabled: false, generateCertificate: false}"));
    assertEquals(List.of(), Validator.validate(Fixtures.yaml(off)));
    assertRefused(
        tenants(tenant("webhook: {enabled: false, failurePolicy: Never}")),
        "tenantStorages[0].webhook.failurePolicy",
        List.of("\"Never\" is not allowed"));
  }

  static Stream<Arguments> hppRules() {
    return Stream.of(
        refuses(
            "refusesAnAvailableTimeoutBelowOneSecond",
            overlays(overlay("availableTimeoutSeconds: 0")),
            "hppOverlays[0].availableTimeoutSeconds",
            "must be between 1 and 3600"),
        refuses(
            "refusesAnAvailableTimeoutAboveAnHour",
            overlays(overlay("availableTimeoutSeconds: 3601")),
            "hppOverlays[0].availableTimeoutSeconds",
            "must be between 1 and 3600"),
        refuses(
            "refusesOverlayNameThatIsNotAnObjectName",
            overlays("{name: VM_State, storagePools: [" + pool("") + "]}"),
            "hppOverlays[0].name",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesOverlayWithoutName",
            overlays("{storagePools: [" + pool("") + "]}"),
            "hppOverlays[0].name",
            "is required"),
        refuses(
            "refusesUnknownHppFeatureGate",
            overlays(overlay("featureGates: [Snapshoting]")),
            "hppOverlays[0].featureGates[0]",
            "\"Snapshoting\" is not allowed",
            "Snapshotting"),
        refuses(
            "refusesEmptyHppFeatureGateEntry",
            overlays(overlay("featureGates: [~]")),
            "hppOverlays[0].featureGates[0]",
            "is required"),
        refuses(
            "refusesOverlayWithoutStoragePools",
            overlays("{name: vm-state, storagePools: []}"),
            "hppOverlays[0].storagePools",
            "at least one storage pool"),
        refuses(
            "refusesEmptyStoragePoolEntry",
            overlays("{name: vm-state, storagePools: [~]}"),
            "hppOverlays[0].storagePools[0]",
            "is empty",
            "name, path and pvcTemplate"),
        refuses(
            "refusesPoolWithoutName",
            overlays("{name: vm-state, storagePools: [{path: /nfs, pvcTemplate: " + RWX + "}]}"),
            "hppOverlays[0].storagePools[0].name",
            "is required"),
        refuses(
            "refusesPoolNameThatIsNotADnsLabel",
            overlays(
                "{name: vm-state, storagePools: [{name: NFS_Pool, path: /nfs, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[0].name",
            "not a valid DNS-1123 label"),
        refuses(
            "refusesPoolNameLongerThanTheOperatorAllows",
            overlays(
                "{name: vm-state, storagePools: [{name: "
                    + "p".repeat(51)
                    + ", path: /nfs, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[0].name",
            "51 characters",
            "at most 50"),
        refuses(
            "refusesPoolNameUsedTwice",
            overlays(
                "{name: vm-state, storagePools: ["
                    + "{name: nfs, path: /a, overlayClassName: a, pvcTemplate: "
                    + RWX
                    + "}, "
                    + "{name: nfs, path: /b, overlayClassName: b, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[1].name",
            "\"nfs\" is used by two pools"),
        refuses(
            "refusesPoolWithoutPath",
            overlays("{name: vm-state, storagePools: [{name: nfs, pvcTemplate: " + RWX + "}]}"),
            "hppOverlays[0].storagePools[0].path",
            "is required"),
        refuses(
            "refusesRelativePoolPath",
            overlays(
                "{name: vm-state, storagePools: [{name: nfs, path: nfs, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[0].path",
            "must be an absolute path",
            "/nfs"),
        refuses(
            "refusesPoolPathLongerThan255",
            overlays(
                "{name: vm-state, storagePools: [{name: nfs, path: /"
                    + "a".repeat(255)
                    + ", pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[0].path",
            "256 characters",
            "at most 255"),
        refuses(
            "refusesPoolPathUsedTwice",
            overlays(
                "{name: vm-state, storagePools: ["
                    + "{name: a, path: /nfs, overlayClassName: a, pvcTemplate: "
                    + RWX
                    + "}, "
                    + "{name: b, path: /nfs/, overlayClassName: b, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[1].path",
            "is used by two pools",
            "its own path"),
        refuses(
            "refusesOverlayClassNameThatIsNotAnObjectName",
            overlays(overlay("", "overlayClassName: HPP")),
            "hppOverlays[0].storagePools[0].overlayClassName",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesOverlayClassUsedByTwoPools",
            overlays(
                "{name: vm-state, storagePools: ["
                    + "{name: a, path: /a, pvcTemplate: "
                    + RWX
                    + "}, "
                    + "{name: b, path: /b, pvcTemplate: "
                    + RWX
                    + "}]}"),
            "hppOverlays[0].storagePools[1].overlayClassName",
            "\"hpp-overlay\" is used by two pools"),
        refuses(
            "refusesUnknownSnapshotProvider",
            overlays(overlay("featureGates: [Snapshotting]", "snapshotProvider: btrfs")),
            "hppOverlays[0].storagePools[0].snapshotProvider",
            "\"btrfs\" is not allowed",
            "reflink"),
        refuses(
            "refusesSnapshotProviderWithoutSnapshottingGate",
            overlays(overlay("", "snapshotProvider: reflink")),
            "hppOverlays[0].storagePools[0].snapshotProvider",
            "needs the Snapshotting feature gate",
            "featureGates"),
        refuses(
            "refusesPoolWithoutPvcTemplate",
            overlays("{name: vm-state, storagePools: [{name: nfs, path: /nfs}]}"),
            "hppOverlays[0].storagePools[0].pvcTemplate",
            "is required",
            "ReadWriteMany"),
        refuses(
            "refusesPvcTemplateThatIsNotReadWriteMany",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteOnce], storageClassName: nfs-csi, resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.accessModes",
            "must include ReadWriteMany",
            "every node can mount"),
        refuses(
            "refusesUnknownPvcTemplateAccessMode",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteMany, RWX], storageClassName: nfs-csi, resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.accessModes[1]",
            "\"RWX\" is not allowed"),
        refuses(
            "refusesEmptyPvcTemplateAccessModeEntry",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteMany, ~], storageClassName: nfs-csi, resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.accessModes[1]",
            "is required"),
        refuses(
            "refusesPvcTemplateWithoutStorageClass",
            overlays(pvc("{accessModes: [ReadWriteMany], resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.storageClassName",
            "is required"),
        refuses(
            "refusesPvcTemplateStorageClassThatIsNotAnObjectName",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteMany], storageClassName: NFS, resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.storageClassName",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesBlockPvcTemplate",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteMany], storageClassName: nfs-csi, volumeMode: Block, resources: {requests: {storage: 10Gi}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.volumeMode",
            "\"Block\" is not allowed",
            "Filesystem"),
        refuses(
            "refusesPvcTemplateWithoutSize",
            overlays(pvc("{accessModes: [ReadWriteMany], storageClassName: nfs-csi}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.resources.requests.storage",
            "is required"),
        refuses(
            "refusesPvcTemplateSizeThatIsNotAQuantity",
            overlays(
                pvc(
                    "{accessModes: [ReadWriteMany], storageClassName: nfs-csi, resources: {requests: {storage: 10GB}}}")),
            "hppOverlays[0].storagePools[0].pvcTemplate.resources.requests.storage",
            "not a Kubernetes quantity",
            "10Gi"),
        refuses(
            "refusesKubeVirtNamespaceThatIsNotADnsLabel",
            overlays(overlay("kubevirt: {namespace: KubeVirt}")),
            "hppOverlays[0].kubevirt.namespace",
            "not a valid DNS-1123 label"),
        refuses(
            "refusesKubeVirtNameThatIsNotAnObjectName",
            overlays(overlay("kubevirt: {name: Kube_Virt}")),
            "hppOverlays[0].kubevirt.name",
            "not a valid Kubernetes object name"),
        refuses(
            "refusesEmptyKubeVirtFeatureGateEntry",
            overlays(overlay("kubevirt: {featureGates: [VMPersistentState, ~]}")),
            "hppOverlays[0].kubevirt.featureGates[1]",
            "is required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hppRules")
  void refusesOverlayBreakingARule(
      String behaviour, String yaml, String field, List<String> words) {
    assertRefused(yaml, field, words);
  }

  static Stream<Arguments> fleetRules() {
    return Stream.of(
        refuses("refusesEmptyTierEntry", "storageTiers:\n  - \n", "storageTiers[0]", "is empty"),
        refuses(
            "refusesEmptyTenantEntry", "tenantStorages:\n  - \n", "tenantStorages[0]", "is empty"),
        refuses("refusesEmptyOverlayEntry", "hppOverlays:\n  - \n", "hppOverlays[0]", "is empty"),
        refuses(
            "refusesTierNameUsedTwice",
            tiers(
                "{name: fast, storageClassName: fast-a, isDefault: true, " + CSI + "}",
                "{name: fast, storageClassName: fast-b, " + CSI + "}"),
            "storageTiers[1].name",
            "\"fast\" is already used by storageTiers[0]"),
        refuses(
            "refusesStorageClassNameUsedTwice",
            tiers(
                "{name: fast, storageClassName: shared, isDefault: true, " + CSI + "}",
                "{name: slow, storageClassName: shared, " + CSI + "}"),
            "storageTiers[1].storageClassName",
            "\"shared\" is already used by storageTiers[0]"),
        refuses(
            "refusesTenantNameUsedTwice",
            tenants(tenant("namespace: ns-a"), tenant("namespace: ns-b")),
            "tenantStorages[1].name",
            "\"alpha\" is already used by tenantStorages[0]"),
        refuses(
            "refusesTwoTenantsInOneNamespace",
            tenants(
                "{name: alpha, namespace: shared, storageQuota: 10Gi, clusters: [{name: a}]}",
                "{name: beta, namespace: shared, storageQuota: 10Gi, clusters: [{name: b}]}"),
            "tenantStorages[1].namespace",
            "already belongs to tenantStorages[0]",
            "one tenant per namespace",
            "list the clusters under that tenant"),
        refuses(
            "refusesTwoDefaultClasses",
            tiers(
                "{name: fast, isDefault: true, " + CSI + "}",
                "{name: slow, isDefault: true, " + CSI + "}"),
            "storageTiers[1].isDefault",
            "more than one default class (fast, slow)",
            "exactly one tier"),
        refuses(
            "refusesTenantClassAsDefault",
            tiers(localPath("role: tenant, isDefault: true", NODE)),
            "storageTiers[0].isDefault",
            "tenant class must not be the default"),
        refuses(
            "refusesGeneralTiersWithoutDefault",
            tiers("{name: fast, " + CSI + "}"),
            "storageTiers",
            "no default class",
            "isDefault: true"),
        refuses(
            "refusesNodeInPlatformAndTenantMaps",
            tiers(
                "{name: local-path, role: platform, backend: {localPath: {nodePathMap: ["
                    + "{node: c1, paths: [/var/data]}, {node: w1, paths: [/var/data]}]}}}",
                "{name: tenant-storage-class, role: tenant, backend: {localPath: {nodePathMap: ["
                    + "{node: w2, paths: [/var/data]}, {node: w1, paths: [/var/data]}]}}}"),
            "storageTiers[1].backend.localPath.nodePathMap[1].node",
            "\"w1\" is also in the platform class local-path",
            "must be disjoint",
            "remove it"),
        refuses(
            "refusesInfraClassNotDeclaredByTheFleet",
            tiers("{name: fast, isDefault: true, " + CSI + "}") + tenants(tenant("")),
            "tenantStorages[0].infraStorageClassName",
            "\"tenant-storage-class\" is not a storage class of this fleet",
            "declare a tier",
            "[fast]"),
        refuses(
            "refusesSecondHppOverlay",
            overlays(
                overlay(""),
                "{name: other, storagePools: [{name: b, path: /b, pvcTemplate: " + RWX + "}]}"),
            "hppOverlays[1]",
            "cluster singleton",
            "one overlay with several storagePools"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fleetRules")
  void refusesFleetBreakingACrossEntryRule(
      String behaviour, String yaml, String field, List<String> words) {
    assertRefused(yaml, field, words);
  }

  @Test
  void refusesAnInfiniteCompressionRatioFromAProgram() {
    var tier =
        StorageTierSpec.builder()
            .name("fast")
            .backend(Backend.csi(new CsiBackend("csi.example.com", null)))
            .protection(new DataProtectionSpec(3, null, Double.POSITIVE_INFINITY, null, null))
            .build();
    List<Problem> problems = Validator.validate(tier);
    assertEquals(1, problems.size(), problems.toString());
    assertEquals("protection.compressionRatio", problems.get(0).field());
    assertTrue(problems.get(0).message().contains("not a ratio of at least 1"));
  }

  @Test
  void refusesEcDataPoolWithDeepFlattenBuiltWithBuilders() {
    CephRbdBackend rbd =
        CephRbdBackend.builder()
            .clusterID("ceph")
            .pool("hdd-ec-metadatapool")
            .dataPool("hdd-ec-datapool")
            .imageFeatures("layering", "deep-flatten", "exclusive-lock")
            .build();
    StorageTierSpec tier =
        StorageTierSpec.builder()
            .name("bronze")
            .isDefault(true)
            .backend(Backend.cephRbd(rbd))
            .build();

    List<Problem> problems = Validator.validate(new Fleet(List.of(tier), null, null));

    assertEquals(
        List.of("storageTiers[0].backend.cephRbd.imageFeatures"),
        problems.stream().map(Problem::field).toList(),
        problems::toString);
    assertHas(problems, "storageTiers[0].backend.cephRbd.imageFeatures", "remove deep-flatten");
  }

  @Test
  void allowsTheSameNodeInTwoPlatformMaps() {
    StorageTierSpec a = localPathTier("a", "platform", "c1");
    StorageTierSpec b = localPathTier("b", "platform", "c1");
    assertEquals(List.of(), Validator.validate(new Fleet(List.of(a, b), null, null)));
  }

  @Test
  void skipsCrossEntryRulesWhenAnEntryIsEmpty() {
    List<StorageTierSpec> tiers = new ArrayList<>();
    tiers.add(null);
    tiers.add(
        StorageTierSpec.builder()
            .name("fast")
            .backend(Backend.csi(new CsiBackend("x", null)))
            .build());
    List<Problem> problems = Validator.validate(new Fleet(tiers, null, null));
    assertEquals(List.of(new Problem("storageTiers[0]", "is empty")), problems);
  }

  // ---- helpers ----

  private static final String RWX =
      "{accessModes: [ReadWriteMany], storageClassName: nfs-csi, resources: {requests: {storage: 10Gi}}}";

  private static Arguments refuses(String behaviour, String yaml, String field, String... words) {
    return Arguments.of(behaviour, yaml, field, List.of(words));
  }

  private static void assertRefused(String yaml, String field, List<String> words) {
    List<Problem> problems = Validator.validate(Fixtures.yaml(yaml));
    assertHas(problems, field, words.toArray(String[]::new));
  }

  private static void assertHas(List<Problem> problems, String field, String... words) {
    List<Problem> atField = problems.stream().filter(p -> p.field().equals(field)).toList();
    if (atField.isEmpty()) {
      fail("no problem at " + field + "; got:\n" + describe(problems));
    }
    boolean matched =
        atField.stream().anyMatch(p -> Arrays.stream(words).allMatch(w -> p.message().contains(w)));
    assertTrue(
        matched,
        () ->
            "no problem at "
                + field
                + " mentions all of "
                + List.of(words)
                + "; got:\n"
                + describe(problems));
  }

  private static String describe(List<Problem> problems) {
    return problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }

  private static String tiers(String... entries) {
    return list("storageTiers", entries);
  }

  private static String tenants(String... entries) {
    return list("tenantStorages", entries);
  }

  private static String overlays(String... entries) {
    return list("hppOverlays", entries);
  }

  private static String list(String key, String... entries) {
    return key
        + ":\n"
        + Arrays.stream(entries).map(e -> "  - " + e + "\n").collect(Collectors.joining());
  }

  /** A valid tenant plus {@code extra} fields. */
  private static String tenant(String extra) {
    return "{name: alpha, storageQuota: 10Gi, clusters: [{name: alpha-prod}]" + sep(extra) + "}";
  }

  /** A valid overlay plus {@code extra} fields, its one pool plus {@code poolExtra}. */
  private static String overlay(String extra, String poolExtra) {
    return "{name: vm-state, storagePools: [" + pool(poolExtra) + "]" + sep(extra) + "}";
  }

  private static String overlay(String extra) {
    return overlay(extra, "");
  }

  private static String pool(String extra) {
    return "{name: nfs, path: /nfs, pvcTemplate: " + RWX + sep(extra) + "}";
  }

  private static String pvc(String template) {
    return "{name: vm-state, storagePools: [{name: nfs, path: /nfs, pvcTemplate: "
        + template
        + "}]}";
  }

  private static String profile(String claimPropertySet) {
    return "{name: fast, isDefault: true, "
        + CSI
        + ", storageProfile: {claimPropertySets: ["
        + claimPropertySet
        + "]}}";
  }

  /** A valid platform local-path tier whose localPath also has {@code placement}. */
  private static String placed(String placement) {
    return "{name: local, role: platform, backend: {localPath: {nodePathMap: ["
        + NODE
        + "], "
        + placement
        + "}}}";
  }

  private static String localPath(String extra, String... nodes) {
    return "{name: local, "
        + extra
        + ", backend: {localPath: {nodePathMap: ["
        + String.join(", ", nodes)
        + "]}}}";
  }

  private static String rbd(String fields) {
    return "{name: gold, isDefault: true, backend: {cephRbd: {" + fields + "}}}";
  }

  private static String cephFs(String fields) {
    return "{name: shared, isDefault: true, backend: {cephFs: {" + fields + "}}}";
  }

  private static String sep(String extra) {
    return extra.isEmpty() ? "" : ", " + extra;
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static PvcTemplate rwx(String storageClassName, String size) {
    return new PvcTemplate(
        List.of("ReadWriteMany"),
        storageClassName,
        null,
        new PvcTemplate.Resources(new PvcTemplate.Requests(size)));
  }

  private static StorageTierSpec localPathTier(String name, String role, String node) {
    return StorageTierSpec.builder()
        .name(name)
        .role(role)
        .backend(
            Backend.localPath(
                new LocalPathBackend(List.of(new NodePaths(node, List.of("/var/" + name))))))
        .build();
  }
}
