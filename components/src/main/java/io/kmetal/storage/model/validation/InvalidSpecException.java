package io.kmetal.storage.model.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at the edges (CLI, components) when input has problems; carries all of them. */
public final class InvalidSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<Problem> problems;

  public InvalidSpecException(List<Problem> problems) {
    this("the input", problems);
  }

  /**
   * @param subject what was invalid, e.g. {@code TenantStorage "alpha"}
   */
  public InvalidSpecException(String subject, List<Problem> problems) {
    super(describe(subject, problems));
    this.problems = List.copyOf(problems);
  }

  /** Throws when {@code problems} is not empty. */
  public static void throwIfAny(String subject, List<Problem> problems) {
    if (!problems.isEmpty()) throw new InvalidSpecException(subject, problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(String subject, List<Problem> problems) {
    String plural = problems.size() == 1 ? "problem" : "problems";
    return problems.size()
        + " "
        + plural
        + " in "
        + subject
        + "; nothing was rendered or applied:\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
