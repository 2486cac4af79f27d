package io.kmetal.images;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** Where the base layer's Debian packages come from. */
public interface PackageSource {
  /**
   * The {@code .deb} files of {@code roots} and their dependency closure (Depends and PreDepends),
   * leaving out the packages in {@code leftOut} and everything only they need.
   */
  List<Path> fetch(Collection<String> roots, Set<String> leftOut) throws IOException;
}
