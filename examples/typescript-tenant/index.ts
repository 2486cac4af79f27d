import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as kmetal from "@kmetal/storage";

const config = new pulumi.Config();
const tenantKubeconfigs = config.requireObject<Record<string, string>>("tenantKubeconfigs");

// The class tenant gamma's volumes land on in the under cluster.
const tier = new kmetal.StorageTier("gamma-storage", {
    name: "gamma-storage",
    role: kmetal.TierRole.Tenant,
    reclaimPolicy: kmetal.ReclaimPolicy.Delete,
    volumeBindingMode: kmetal.VolumeBindingMode.WaitForFirstConsumer,
    allowVolumeExpansion: true,
    backend: { localPath: { nodePathMap: [{ node: "w1", paths: ["/var/data/gamma"] }] } },
});

const gamma = new kmetal.TenantStorage("gamma", {
    name: "gamma",
    createNamespace: true,
    storageQuota: config.get("gammaQuota") ?? "5Gi",
    infraStorageClassName: tier.storageClassName,
    clusters: [{
        name: "gamma-one",
        // read from a file, and a secret from here on
        kubeconfig: pulumi.secret(fs.readFileSync(tenantKubeconfigs["gamma-one"], "utf8")),
    }],
});

export const storageClassName = tier.storageClassName;
export const quotaName = gamma.quotaName;
export const controllerDeployments = gamma.controllerDeployments;
