package io.kmetal.storage.model.validation;

import java.nio.file.Path;

/** Host path rules shared by local-path maps and HPP pools. */
final class Paths {
  private Paths() {}

  static void absolute(Problems p, String field, String path, int maxLength) {
    if (!p.required(field, path)) return;
    if (!path.startsWith("/")) {
      p.add(field, "\"" + path + "\" must be an absolute path (start with /), e.g. /" + path);
    } else if (normal(path).equals("/")) {
      p.add(field, "must not be the root directory /; use a dedicated directory such as /var/data");
    } else if (path.contains("/../") || path.endsWith("/..")) {
      p.add(field, "\"" + path + "\" must not contain '..'; write the absolute path it means");
    }
    if (path.length() > maxLength) {
      p.add(field, "is " + path.length() + " characters long; at most " + maxLength + " allowed");
    }
  }

  static String normal(String path) {
    return Path.of(path).normalize().toString();
  }
}
