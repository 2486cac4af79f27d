package io.kmetal.storage.model.validation;

import io.kmetal.contract.DnsLabel;
import java.util.regex.Pattern;

/** Kubernetes naming rules (apimachinery's IsDNS1123Label / IsDNS1123Subdomain). */
final class Names {
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private Names() {}

  /** Checks a DNS-1123 label (namespaces, cluster names); false after reporting. */
  static boolean label(Problems p, String field, String value) {
    if (!p.required(field, value)) return false;
    if (!DnsLabel.isValid(value)) {
      p.add(
          field,
          "\""
              + value
              + "\" is not a valid DNS-1123 label: use at most 63 lowercase letters, digits and"
              + " '-', starting and ending with a letter or digit (e.g. \""
              + suggest(value)
              + "\")");
      return false;
    }
    return true;
  }

  /** Checks a DNS-1123 subdomain (object names); false after reporting. */
  static boolean subdomain(Problems p, String field, String value) {
    if (!p.required(field, value)) return false;
    if (value.length() > 253 || !SUBDOMAIN.matcher(value).matches()) {
      p.add(
          field,
          "\""
              + value
              + "\" is not a valid Kubernetes object name: use lowercase letters, digits, '-' and"
              + " '.', starting and ending with a letter or digit (e.g. \""
              + suggest(value)
              + "\")");
      return false;
    }
    return true;
  }

  static void labelValue(Problems p, String field, String value) {
    if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
      p.add(
          field, "\"" + value + "\" is not a valid label value (at most 63 of A-Z a-z 0-9 - _ .)");
    }
  }

  static void labelKey(Problems p, String field, String key) {
    String name = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
    String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
    boolean ok =
        !name.isEmpty()
            && name.length() <= 63
            && LABEL_VALUE.matcher(name).matches()
            && (prefix == null || (prefix.length() <= 253 && SUBDOMAIN.matcher(prefix).matches()));
    if (!ok) p.add(field, "\"" + key + "\" is not a valid label key");
  }

  static void secretKey(Problems p, String field, String value) {
    if (p.required(field, value) && !SECRET_KEY.matcher(value).matches()) {
      p.add(field, "\"" + value + "\" is not a valid Secret key (letters, digits, '-', '_', '.')");
    }
  }

  private static String suggest(String value) {
    String s = value.toLowerCase().replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    return s.isEmpty() ? "my-name" : s.length() > 63 ? s.substring(0, 63) : s;
  }
}
