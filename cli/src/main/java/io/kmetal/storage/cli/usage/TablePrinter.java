package io.kmetal.storage.cli.usage;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The report as people read it: a row per tenant and per tenant cluster (sizes in binary units,
 * CLAIMS as {@code used+pending/hard}), then the claims behind them, then notes on what needs a
 * look (a quota status not yet filled, an over-committed quota).
 */
public final class TablePrinter {
  static final String ALL = "(all)";
  static final String UNMARKED = "(no cluster)";
  private static final String NONE = "-";

  private TablePrinter() {}

  public static void print(UsageReport report, PrintWriter out) {
    if (report.tenants().isEmpty()) {
      out.println(
          "no tenant storage quotas in the under cluster (ResourceQuotas labelled "
              + KubeNamespaces.QUOTA_SELECTOR_TEXT
              + ")");
      out.flush();
      return;
    }
    Columns usage =
        new Columns(
            "TENANT", "CLUSTER", "CLASS", "HARD", "USED", "PENDING", "FREE", "USE%", "CLAIMS");
    Columns claims =
        new Columns("TENANT", "CLUSTER", "CLAIM", "COUNTED", "SIZE", "PHASE", "TENANT CLAIM");
    List<String> notes = new ArrayList<>();
    for (TenantUsage t : report.tenants()) {
      Tally b = t.bytes();
      usage.add(
          t.tenant(),
          ALL,
          t.storageClass(),
          Sizes.human(b.hard()),
          Sizes.human(b.used()),
          Sizes.human(b.pending()),
          Sizes.human(b.free()),
          b.percent() == null ? NONE : b.percent().toPlainString() + "%",
          count(t.volumes().used(), t.volumes().pending(), t.volumes().hard()));
      for (ClusterUsage c : t.clusters())
        usage.add(
            t.tenant(),
            cluster(c.cluster()),
            "",
            "",
            Sizes.human(c.used().bytes()),
            Sizes.human(c.pending().bytes()),
            "",
            "",
            count(c.used().volumes(), c.pending().volumes(), null));
      for (Claim c : t.claims())
        claims.add(
            t.tenant(),
            cluster(c.cluster()),
            c.name(),
            c.counted().json(),
            Sizes.human(c.bytes()),
            c.phase() == null || c.phase().isEmpty() ? NONE : c.phase(),
            c.tenantClaim() == null ? NONE : c.tenantClaim());
      notes.addAll(notes(t));
    }
    usage.print(out);
    out.println(
        "PENDING: admitted by the quota webhook, not provisioned yet; USE%: used+pending of hard;"
            + " CLAIMS: used+pending/hard");
    out.println();
    if (claims.isEmpty()) out.println("no claims");
    else claims.print(out);
    if (!notes.isEmpty()) out.println();
    notes.forEach(out::println);
    out.flush();
  }

  /** What a reader should know about {@code t} beyond its rows. */
  static List<String> notes(TenantUsage t) {
    List<String> notes = new ArrayList<>();
    String quota = "ResourceQuota " + t.namespace() + "/" + t.quota();
    if (t.quotaStatus() == null)
      notes.add(
          "note: "
              + t.tenant()
              + ": "
              + quota
              + " has no status yet (the quota controller has not counted it); USED is counted"
              + " from the claims, as the webhook counts it");
    else if (t.statusLags())
      notes.add(
          "note: "
              + t.tenant()
              + ": "
              + quota
              + "'s status counts "
              + Sizes.human(t.quotaStatus().bytes())
              + " in "
              + t.quotaStatus().volumes()
              + " claim(s), the claims listed "
              + Sizes.human(t.bytes().used())
              + " in "
              + t.volumes().used()
              + ": the quota controller has not caught up yet; USED is counted from the claims,"
              + " as the webhook counts it");
    if (t.bytes().overCommitted())
      notes.add(
          "note: "
              + t.tenant()
              + ": over-committed by "
              + Sizes.human(t.bytes().excess())
              + ": used and pending exceed the hard limit (the quota was lowered below what the"
              + " tenant holds); the webhook refuses every new claim until claims are deleted");
    if (t.volumes().overCommitted())
      notes.add(
          "note: "
              + t.tenant()
              + ": over-committed by "
              + t.volumes().excess()
              + " claim(s): used and pending exceed the quota's claim count");
    return notes;
  }

  private static String cluster(String cluster) {
    return cluster == null ? UNMARKED : cluster;
  }

  /** {@code used+pending/hard}, leaving out what is not there. */
  private static String count(long used, long pending, Long hard) {
    return used + (pending > 0 ? "+" + pending : "") + (hard == null ? "" : "/" + hard);
  }

  /** Left-aligned columns three spaces apart, as kubectl prints them. */
  private static final class Columns {
    private final List<String[]> rows = new ArrayList<>();

    Columns(String... header) {
      rows.add(header);
    }

    void add(String... row) {
      rows.add(row);
    }

    boolean isEmpty() {
      return rows.size() == 1;
    }

    void print(PrintWriter out) {
      int[] widths = new int[rows.get(0).length];
      for (String[] row : rows)
        for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(row[i]);
          if (i < row.length - 1) line.append(" ".repeat(widths[i] - row[i].length() + 3));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
