package io.ebdeploy.assets;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real tools some tests need: the AWS CLI ({@code aws}) and moto_server. When one is not on
 * PATH the test is skipped with the reason, unless {@code -Debdeploy.requireTools=true} (CI), which
 * makes it fail instead.
 */
final class Tools {
  private static final Map<String, Boolean> AVAILABLE = new ConcurrentHashMap<>();

  private Tools() {}

  static void require(String tool, String why) {
    boolean ok =
        AVAILABLE.computeIfAbsent(
            tool,
            t -> {
              try {
                // moto_server has no --version; --help exits 0 when it runs at all.
                Process p =
                    new ProcessBuilder(t, t.equals("moto_server") ? "--help" : "--version")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
              } catch (IOException e) {
                return false;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    if (!ok) {
      String reason = "'" + tool + "' is not on PATH: " + why;
      if (Boolean.getBoolean("ebdeploy.requireTools")) {
        fail(reason + " (required: ebdeploy.requireTools=true)");
      }
      Assumptions.abort(reason);
    }
  }

  /** What one run of a tool printed. */
  record Result(int exitCode, String stdout, String stderr) {
    Result assertOk() {
      if (exitCode != 0) {
        fail("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  /** {@code aws --endpoint-url ENDPOINT args...} with dummy credentials and no user config. */
  static Result aws(URI endpoint, String region, String... args) {
    List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString()));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("aws", ".out");
      Path err = Files.createTempFile("aws", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.put("PYTHONIOENCODING", "utf-8");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail("aws " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A moto_server subprocess on a free loopback port; {@link #close()} stops it. */
  static final class Moto implements AutoCloseable {
    final Process process;
    final URI endpoint;
    final Path log;

    private Moto(Process process, URI endpoint, Path log) {
      this.process = process;
      this.endpoint = endpoint;
      this.log = log;
    }

    static Moto start() {
      require("moto_server", "the S3 tests run against it as an independent implementation");
      try {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
          port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        Process p =
            new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
          if (!p.isAlive()) {
            fail("moto_server exited: " + Files.readString(log));
          }
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return new Moto(p, URI.create("http://127.0.0.1:" + port), log);
          } catch (IOException notYet) {
            Thread.sleep(100);
          }
        }
        p.destroyForcibly();
        fail("moto_server did not listen on port " + port + " within 30 s");
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
        Files.deleteIfExists(log);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      } catch (IOException ignored) {
        // a temp file
      }
    }
  }
}
