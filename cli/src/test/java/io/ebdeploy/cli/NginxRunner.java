package io.ebdeploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx on a loopback port, as the test user, with a temporary prefix: {@code nginx -p
 * PREFIX -c PREFIX/conf/nginx.conf -e PREFIX/logs/error.log}. The main file and the included ones
 * are laid out as on an instance ({@code conf/conf.d/*.conf}, {@code
 * conf/conf.d/elasticbeanstalk/*.conf}), so relative includes resolve as they do there.
 */
final class NginxRunner implements AutoCloseable {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  final Path binary;
  final Path prefix;
  final Path conf;
  final int port;
  private Process process;

  /** What a command printed and how it ended. */
  record Result(int exit, String output) {}

  NginxRunner(Path binary, Path prefix) throws IOException {
    this.binary = binary;
    this.prefix = prefix;
    this.conf = prefix.resolve("conf");
    this.port = freePort();
    Files.createDirectories(conf.resolve("conf.d/elasticbeanstalk"));
    Files.createDirectories(prefix.resolve("logs"));
    Files.createDirectories(prefix.resolve("tmp"));
  }

  /** The platform's default nginx.conf (the replica in test resources), mapped for this prefix. */
  NginxRunner platformDefault() throws IOException {
    return main(resource("/nginx/eb-default-nginx.conf"));
  }

  /** This text as nginx.conf, its instance paths mapped into the prefix (see {@link #map}). */
  NginxRunner main(String text) throws IOException {
    Files.writeString(conf.resolve("nginx.conf"), map(text));
    return this;
  }

  /** The platform's generated location, proxying to a backend on this port. */
  NginxRunner application(int backendPort) throws IOException {
    return file(
        "conf.d/elasticbeanstalk/00_application.conf",
        resource("/nginx/00_application.conf").replace("@BACKEND@", String.valueOf(backendPort)));
  }

  /** A file under conf/, e.g. {@code conf.d/10-proxy.conf}. */
  NginxRunner file(String path, String text) throws IOException {
    Path f = conf.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return this;
  }

  /** Every file of the repository's platform/nginx/conf.d, where the platform puts them. */
  NginxRunner shippedConfD() throws IOException {
    Path from = REPO.resolve("platform/nginx/conf.d");
    try (var files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        file("conf.d/" + from.relativize(f), Files.readString(f));
      }
    }
    return this;
  }

  /**
   * An instance's nginx.conf made runnable here: no {@code user} (only root may switch), logs and
   * pid in the prefix, the listener on this loopback port, one worker, temporary files in the
   * prefix. Everything else stays as it is.
   */
  String map(String text) {
    String logs = prefix.resolve("logs") + "/";
    String tmp = prefix.resolve("tmp") + "/";
    return text.replaceAll("(?m)^\\s*user\\s+[^;]+;", "")
        .replace("/var/log/nginx/", logs)
        .replace("/var/run/nginx.pid", logs + "nginx.pid")
        .replaceAll(
            "listen\\s+80\\s+default_server;", "listen 127.0.0.1:" + port + " default_server;")
        .replaceAll("worker_processes\\s+auto;", "worker_processes 1;")
        .replaceFirst(
            "http\\s*\\{",
            "http {\n    client_body_temp_path "
                + tmp
                + "body;\n    proxy_temp_path "
                + tmp
                + "proxy;\n    fastcgi_temp_path "
                + tmp
                + "fastcgi;\n    uwsgi_temp_path "
                + tmp
                + "uwsgi;\n    scgi_temp_path "
                + tmp
                + "scgi;\n");
  }

  /** {@code nginx -t}. */
  Result test() throws IOException, InterruptedException {
    return run(command("-t"));
  }

  /** Starts nginx in the foreground and waits until it accepts connections. */
  void start() throws IOException, InterruptedException {
    List<String> cmd = command("-g", "daemon off;");
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("nginx exited: " + logs());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("nginx does not accept connections: " + logs());
  }

  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM: the master stops its workers
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Everything nginx logged, to search for what must not be there. */
  String logs() {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(prefix.resolve("logs"))) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        b.append(f.getFileName()).append(":\n").append(Files.readString(f)).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toString();
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  private List<String> command(String... extra) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.add("-p");
    cmd.add(prefix + "/");
    cmd.add("-c");
    cmd.add(conf.resolve("nginx.conf").toString());
    cmd.add("-e");
    cmd.add(prefix.resolve("logs/error.log").toString());
    cmd.addAll(List.of(extra));
    return cmd;
  }

  static Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, java.util.Map.of(), Duration.ofSeconds(30));
  }

  static Result run(List<String> command, java.util.Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static String resource(String path) {
    try (InputStream in = NginxRunner.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
