package io.kmetal.contract;

import java.util.regex.Pattern;

/**
 * An RFC 1123 DNS label, as Kubernetes requires of namespace and many object names: lower-case
 * letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.
 */
public final class DnsLabel {
  private DnsLabel() {}

  public static final int MAX_LENGTH = 63;

  /** The label's form, any length. */
  public static final Pattern FORM = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && FORM.matcher(name).matches();
  }
}
