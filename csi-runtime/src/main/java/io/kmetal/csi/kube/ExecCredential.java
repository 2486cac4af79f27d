package io.kmetal.csi.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A kubeconfig user's {@code exec} credential plugin (EKS's {@code aws eks get-token}, GKE's {@code
 * gke-gcloud-auth-plugin}, kubelogin), run as kubectl runs it: the command with its arguments and
 * extra environment, {@code KUBERNETES_EXEC_INFO} set, its standard output an ExecCredential whose
 * {@code status.token} is the bearer token. The token is kept until 10 s before its {@code
 * expirationTimestamp}, or for the process's life when it has none.
 */
final class ExecCredential implements KubeApi.Token {
  private static final Duration RUN_LIMIT = Duration.ofSeconds(60);
  private static final Duration EARLY = Duration.ofSeconds(10);

  private final List<String> command;
  private final List<String[]> env;
  private final String apiVersion;
  private final Path dir;
  private final Clock clock;
  private String token;
  private Instant expires;

  private ExecCredential(
      List<String> command, List<String[]> env, String apiVersion, Path dir, Clock clock) {
    this.command = command;
    this.env = env;
    this.apiVersion = apiVersion;
    this.dir = dir;
    this.clock = clock;
  }

  /** From a kubeconfig user's {@code exec} section; relative commands resolve as kubectl does. */
  static ExecCredential of(JsonNode exec, Path dir, Clock clock) throws IOException {
    String program = exec.path("command").asText();
    if (program.isEmpty()) throw new IOException("its exec section names no command");
    List<String> command = new ArrayList<>();
    // a path with a slash is relative to the kubeconfig's folder; a bare name is looked up on PATH
    command.add(program.contains("/") ? dir.resolve(program).toString() : program);
    for (JsonNode arg : exec.path("args")) command.add(arg.asText());
    List<String[]> env = new ArrayList<>();
    for (JsonNode e : exec.path("env"))
      env.add(new String[] {e.path("name").asText(), e.path("value").asText()});
    String apiVersion = exec.path("apiVersion").asText("client.authentication.k8s.io/v1");
    return new ExecCredential(List.copyOf(command), env, apiVersion, dir, clock);
  }

  @Override
  public synchronized Optional<String> read() throws IOException {
    if (token == null || (expires != null && !clock.instant().isBefore(expires.minus(EARLY))))
      run();
    return Optional.of(token);
  }

  private void run() throws IOException {
    var builder = new ProcessBuilder(command).directory(dir.toFile());
    for (String[] e : env) builder.environment().put(e[0], e[1]);
    builder
        .environment()
        .put(
            "KUBERNETES_EXEC_INFO",
            "{\"apiVersion\":\""
                + apiVersion
                + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // its messages to a file: a pipe read after standard output could fill and stall the plugin
    Path messages = Files.createTempFile("kmetal-exec-", ".err");
    builder.redirectError(messages.toFile());
    Process process = builder.start();
    byte[] out;
    String err;
    try {
      out = process.getInputStream().readAllBytes();
      if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            command.get(0) + " gave no credential in " + RUN_LIMIT.toSeconds() + " s");
      }
      err = Files.readString(messages).strip();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while " + command.get(0) + " ran", e);
    } finally {
      Files.deleteIfExists(messages);
    }
    if (process.exitValue() != 0)
      throw new IOException(command.get(0) + " exited " + process.exitValue() + ": " + err);
    JsonNode status;
    try {
      status = new ObjectMapper().readTree(out).path("status");
    } catch (IOException notJson) {
      throw new IOException(command.get(0) + " printed no ExecCredential JSON", notJson);
    }
    if (!status.path("token").isTextual())
      throw new IOException(
          command.get(0)
              + "'s ExecCredential has no status.token (client certificates from a plugin are not"
              + " supported)");
    token = status.path("token").asText();
    expires =
        status.path("expirationTimestamp").isTextual()
            ? Instant.parse(status.path("expirationTimestamp").asText())
            : null;
  }
}
