package io.kmetal.contract;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}, {@code 0}: an age as the CLI takes it. */
public final class Ages {
  private static final Pattern AGE = Pattern.compile("(\\d{1,6})([dhms])");

  private Ages() {}

  /**
   * @throws IllegalArgumentException naming the flag and the form it takes
   */
  public static Duration parse(String text, String flag) {
    if ("0".equals(text)) return Duration.ZERO;
    Matcher m = AGE.matcher(text == null ? "" : text.strip());
    if (!m.matches())
      throw new IllegalArgumentException(
          flag + ": \"" + text + "\" is not an age; use a number and d, h, m or s (e.g. 30d)");
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /**
   * The age as {@code kubectl get} shows one: {@code 45s}, {@code 12m}, {@code 5h}, {@code 30d}.
   */
  public static String show(Duration age) {
    if (age.toDays() > 0) return age.toDays() + "d";
    if (age.toHours() > 0) return age.toHours() + "h";
    if (age.toMinutes() > 0) return age.toMinutes() + "m";
    return age.toSeconds() + "s";
  }
}
