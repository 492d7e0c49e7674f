package io.ebdeploy.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code moto_server -H 127.0.0.1 -p PORT} as a subprocess, an independent AWS emulator (here: its
 * RDS). When moto_server is not on PATH the test is skipped with the reason, unless {@code
 * ebdeploy.requireTools=true} (CI), in which case it fails.
 */
final class MotoServer implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private MotoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  static MotoServer start() {
    int port = freePort();
    Path log;
    Process p;
    try {
      log = Files.createTempFile("moto_server", ".log");
      p =
          new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      String reason =
          "moto_server is not on PATH ("
              + e.getMessage()
              + "): the RDS snapshot tests run against it";
      if (Boolean.getBoolean("ebdeploy.requireTools")) {
        fail(reason + " (required: ebdeploy.requireTools=true)");
      }
      Assumptions.abort(reason);
      throw new AssertionError(e);
    }
    MotoServer m = new MotoServer(p, port, log);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      if (!p.isAlive()) {
        m.close();
        fail("moto_server exited at start: " + m.log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return m;
      } catch (IOException e) {
        SandboxFixture.sleep(100);
      }
    }
    m.close();
    fail("moto_server did not listen on " + port + " within 60 s: " + m.log());
    return m;
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      // a temp file
    }
  }
}
