package io.kmetal.storage.model.validation;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at the edges (CLI, components) when input has problems; carries all of them. */
public final class InvalidSpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<Problem> problems;

  public InvalidSpecException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    String plural = problems.size() == 1 ? "problem" : "problems";
    return problems.size()
        + " "
        + plural
        + " in the input; nothing was rendered or applied:\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
