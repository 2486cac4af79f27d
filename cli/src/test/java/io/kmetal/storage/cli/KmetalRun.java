package io.kmetal.storage.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One {@code kmetal} command run in this JVM: its exit status and what it printed. */
record KmetalRun(int exit, String out, String err) {
  static KmetalRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Kmetal())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new KmetalRun(exit, out.toString(), err.toString());
  }

  static KmetalRun of(List<String> args) {
    return of(args.toArray(String[]::new));
  }
}
