package io.kmetal.csi.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmetal.csi.Main;
import io.kmetal.csi.NodeMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The driver's command line: what its parser leaves out, and that no option needs it. */
class DriverCliTest {
  @Command(name = "timed")
  static final class Timed {
    @Option(names = "--timeout")
    Duration timeout;
  }

  @Test
  void theParserHasNoBuiltInConverterForJavaTimeOrJavaSqlTypes() {
    CommandLine cli = DriverCli.commandLine(new Timed());

    var e =
        assertThrows(CommandLine.ParameterException.class, () -> cli.parseArgs("--timeout=PT1S"));
    assertTrue(e.getMessage().contains("java.time.Duration"), e.getMessage());
  }

  @Test
  void noOptionOfEitherJarsCommandsHasATypeTheParserLeavesOut() {
    List<String> leftOut = Stream.of(DriverCli.UNUSED_CONVERTERS.split(",")).toList();
    List<String> offending = new ArrayList<>();
    int options = 0;
    for (Object root : List.of(new Main(), new NodeMain())) {
      for (CommandSpec command : tree(DriverCli.commandLine(root).getCommandSpec())) {
        for (ArgSpec arg : command.args()) {
          options++;
          for (Class<?> type : arg.auxiliaryTypes())
            if (leftOut.stream().anyMatch(type.getName()::matches))
              offending.add(command.qualifiedName() + " " + arg.paramLabel() + ": " + type);
        }
      }
    }

    assertTrue(options > 20, "the walk reached the subcommands' options: " + options);
    assertEquals(List.of(), offending);
  }

  private static List<CommandSpec> tree(CommandSpec root) {
    List<CommandSpec> all = new ArrayList<>(List.of(root));
    for (CommandLine sub : root.subcommands().values()) all.addAll(tree(sub.getCommandSpec()));
    return all;
  }
}
