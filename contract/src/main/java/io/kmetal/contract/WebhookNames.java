package io.kmetal.contract;

/** The quota webhook's names the renderer and the webhook share. */
public final class WebhookNames {
  private WebhookNames() {}

  /** The review path: {@code /validate-pvc/<tenant cluster name>}. */
  public static final String PATH = "/validate-pvc";

  /** The ConfigMap in the tenant's namespace where the replicas store admissions. */
  public static final String LEDGER = "kmetal-webhook-ledger";
}
