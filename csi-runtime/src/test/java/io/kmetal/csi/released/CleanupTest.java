package io.kmetal.csi.released;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.contract.Ages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the clean-up takes, lists and deletes, over volumes held in memory. */
class CleanupTest {
  private static final long GI = 1L << 30;

  private static ReleasedVolume volume(
      String name, String phase, String policy, String classPolicy, Duration age) {
    return new ReleasedVolume(name, phase, policy, "gold", classPolicy, "app/" + name, GI, age);
  }

  /** Volumes in memory; a test may change one between the list and the delete. */
  private static final class Held implements Volumes {
    final Map<String, ReleasedVolume> volumes = new LinkedHashMap<>();
    final List<String> deleted = new ArrayList<>();
    Runnable beforeDelete = () -> {};

    Held(ReleasedVolume... all) {
      for (var v : all) volumes.put(v.name(), v);
    }

    @Override
    public List<ReleasedVolume> list() {
      return List.copyOf(volumes.values());
    }

    @Override
    public Optional<ReleasedVolume> get(String name) {
      beforeDelete.run();
      return Optional.ofNullable(volumes.get(name));
    }

    @Override
    public boolean delete(ReleasedVolume seen) {
      if (!seen.equals(volumes.get(seen.name()))) return false;
      volumes.remove(seen.name());
      deleted.add(seen.name());
      return true;
    }
  }

  private static final Duration DAY = Duration.ofDays(1);

  private final Held held =
      new Held(
          volume("pv-old", "Released", "Retain", "Retain", Duration.ofDays(40)),
          volume("pv-new", "Released", "Retain", "Retain", Duration.ofDays(2)),
          volume("pv-bound", "Bound", "Retain", "Retain", Duration.ofDays(90)),
          volume("pv-delete-class", "Released", "Retain", "Delete", Duration.ofDays(90)),
          volume("pv-delete-policy", "Released", "Delete", "Retain", Duration.ofDays(90)),
          volume("pv-class-gone", "Released", "Retain", null, Duration.ofDays(90)));
  private final StringWriter text = new StringWriter();
  private final Cleanup cleanup = new Cleanup(held, new PrintWriter(text, true));

  @Test
  void aDryRunListsOnlyReleasedRetainVolumesOldEnoughAndDeletesNothing() {
    assertEquals(0, cleanup.run(Duration.ofDays(30), null, false));

    String out = text.toString();
    assertTrue(out.contains("pv-old"), out);
    assertTrue(out.contains("pv-class-gone"), out);
    assertTrue(out.contains("app/pv-old"), out);
    assertTrue(out.contains("40d"), out);
    for (String never : List.of("pv-new", "pv-bound", "pv-delete-class", "pv-delete-policy"))
      assertFalse(out.contains(never), never + " listed:\n" + out);
    assertTrue(out.contains("2 Released volume(s) of Retain classes, 2.0Gi (dry run"), out);
    assertEquals(6, held.volumes.size());
  }

  @Test
  void deleteTakesExactlyTheListedVolumesOneAtATime() {
    assertEquals(0, cleanup.run(DAY, null, true));

    assertEquals(List.of("pv-class-gone", "pv-new", "pv-old"), held.deleted);
    assertEquals(
        List.of("pv-bound", "pv-delete-class", "pv-delete-policy"),
        List.copyOf(held.volumes.keySet()));
  }

  @Test
  void aVolumeBoundAgainSinceTheListIsLeftAloneAndSaidSo() {
    held.beforeDelete =
        () ->
            held.volumes.computeIfPresent(
                "pv-old", (n, v) -> volume(n, "Bound", "Retain", "Retain", v.age()));

    assertEquals(1, cleanup.run(Duration.ofDays(30), null, true));

    assertTrue(
        text.toString().contains("left alone, it changed since the list: pv-old"), text.toString());
    assertTrue(held.volumes.containsKey("pv-old"));
    assertEquals(List.of("pv-class-gone"), held.deleted);
  }

  @Test
  void aClassNamedLimitsTheRunToIt() {
    held.volumes.put(
        "pv-silver",
        new ReleasedVolume(
            "pv-silver",
            "Released",
            "Retain",
            "silver",
            "Retain",
            "app/s",
            GI,
            Duration.ofDays(90)));

    assertEquals(0, cleanup.run(DAY, "silver", true));

    assertEquals(List.of("pv-silver"), held.deleted);
  }

  @Test
  void agesTakeDaysHoursMinutesSecondsAndNothingElse() {
    assertEquals(Duration.ofDays(30), Ages.parse("30d", "--older-than"));
    assertEquals(Duration.ofHours(12), Ages.parse("12h", "--older-than"));
    assertEquals(Duration.ofMinutes(90), Ages.parse("90m", "--older-than"));
    assertEquals(Duration.ZERO, Ages.parse("0", "--older-than"));
    var e =
        assertThrows(IllegalArgumentException.class, () -> Ages.parse("30 days", "--older-than"));
    assertEquals(
        "--older-than: \"30 days\" is not an age; use a number and d, h, m or s (e.g. 30d)",
        e.getMessage());
  }
}
