package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

@Timeout(30)
class SandboxCommandTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Collects what a command prints and tells when its first line is complete. */
  static final class LineCapture extends Writer {
    private final StringBuffer text = new StringBuffer();
    private final CountDownLatch firstLine = new CountDownLatch(1);

    @Override
    public void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
    }

    @Override
    public void flush() {
      if (text.indexOf("\n") >= 0) {
        firstLine.countDown();
      }
    }

    @Override
    public void close() {}

    String awaitFirstLine() throws InterruptedException {
      assertThat(firstLine.await(20, TimeUnit.SECONDS)).as("first line printed").isTrue();
      return text.substring(0, text.indexOf("\n")).stripTrailing();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  /** The sandbox command running on a thread of this JVM. */
  private record Running(
      Thread thread, CompletableFuture<Integer> exit, LineCapture out, StringWriter err) {
    static Running start(String... args) {
      LineCapture out = new LineCapture();
      StringWriter err = new StringWriter();
      CommandLine cl = EbDeployCommand.commandLine();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err, true));
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      Thread thread = new Thread(() -> exit.complete(cl.execute(args)), "sandbox-command");
      thread.start();
      return new Running(thread, exit, out, err);
    }

    int stop() throws Exception {
      thread.interrupt();
      return exit.get(10, TimeUnit.SECONDS);
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sandbox_ephemeralPort_printsEndpointFirstAndAnswersFaults() throws Exception {
    Running sandbox = Running.start("sandbox", "--port", "0", "--time-scale", "0.001");

    String first = sandbox.out().awaitFirstLine();
    assertThat(first).matches("endpoint: http://127\\.0\\.0\\.1:\\d+");
    String endpoint = first.substring("endpoint: ".length());
    HttpResponse<String> faults = get(endpoint + "/_sandbox/faults");
    assertThat(faults.statusCode()).isEqualTo(200);
    assertThat(faults.body()).isEqualTo("[]");

    assertThat(sandbox.stop()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(sandbox.out().toString())
        .contains(
            "export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1",
            "aws --endpoint-url " + endpoint + " elasticbeanstalk describe-applications",
            endpoint + "/_sandbox/faults",
            "1000 times faster");
    assertThat(sandbox.err().toString()).contains("eb-deploy: sandbox stopped");
    assertThatThrownBy(() -> get(endpoint + "/_sandbox/faults"))
        .as("closed after the interrupt")
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void sandbox_stateDir_createsItAndSaysStateIsKept(@TempDir Path tmp) throws Exception {
    Path state = tmp.resolve("state");
    Running sandbox = Running.start("sandbox", "--port", "0", "--state-dir", state.toString());

    sandbox.out().awaitFirstLine();
    assertThat(state).isDirectory();
    assertThat(sandbox.stop()).isEqualTo(ExitCodes.INTERRUPTED);
    assertThat(sandbox.out().toString()).contains("kept in " + state.toAbsolutePath());
  }

  @ParameterizedTest
  @ValueSource(strings = {"70000", "-1"})
  void sandbox_portOutOfRange_exitsUsageWithMessage(String port) {
    Run run = Run.of("sandbox", "--port", port);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .contains("eb-deploy: --port " + port + " is out of range: use 1 to 65535")
        .contains("Try 'eb-deploy sandbox --help'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void sandbox_portNotANumber_exitsUsageWithMessage() {
    Run run = Run.of("sandbox", "--port", "http");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--port", "'http' is not an int");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "0", "NaN", "Infinity"})
  void sandbox_timeScaleNotPositive_exitsUsageWithMessage(String scale) {
    Run run = Run.of("sandbox", "--time-scale", scale);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--time-scale", "must be a positive number");
  }

  @Test
  void sandbox_portInUse_exitsUsageWithMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Run run = Run.of("sandbox", "--port", Integer.toString(taken.getLocalPort()));

      assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err())
          .contains("eb-deploy: port " + taken.getLocalPort() + " is already in use")
          .contains("--port 0");
    }
  }

  @Test
  void sandbox_stateDirIsAFile_exitsUsageWithMessage(@TempDir Path tmp) throws IOException {
    Path file = Files.writeString(tmp.resolve("state"), "not a folder");

    Run run = Run.of("sandbox", "--port", "0", "--state-dir", file.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("is a file, not a directory");
  }
}
