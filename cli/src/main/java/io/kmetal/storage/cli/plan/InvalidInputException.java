package io.kmetal.storage.cli.plan;

import io.kmetal.storage.model.validation.Problem;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** An input file with problems: all of them, each with its entry or line and field. */
public final class InvalidInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final List<Problem> problems;

  public InvalidInputException(String source, List<Problem> problems) {
    super(
        source + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    this.source = Objects.requireNonNull(source, "source");
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * The lines the commands print: {@code error: SOURCE: N problems; nothing was CONSEQUENCE:} and
   * one {@code - field: message} line per problem.
   */
  public static String describe(String source, List<Problem> problems, String consequence) {
    String plural = problems.size() == 1 ? "problem" : "problems";
    return "error: "
        + source
        + ": "
        + problems.size()
        + " "
        + plural
        + "; "
        + consequence
        + ":\n"
        + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
