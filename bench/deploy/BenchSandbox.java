import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.sandbox.LocalBeanstalk;
import io.ebdeploy.sandbox.SandboxCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;

/**
 * What both deploy benchmarks share: a sandbox at a given time scale, a group of one web and {@code
 * size - 1} worker environments with a fixed simulated deploy duration, a small generated git
 * project, and {@link EbDeploy} builders aimed at the sandbox.
 */
final class BenchSandbox implements AutoCloseable {
  static final String REGION = "eu-central-1";
  static final String APP = "bench";
  static final String TAG = "staging";
  static final String PLATFORM =
      "arn:aws:elasticbeanstalk:eu-central-1::platform/Python 3.11 running on 64bit Amazon Linux"
          + " 2023/4.1.0";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench"));

  final double timeScale;
  final LocalBeanstalk sandbox;
  final ElasticBeanstalkClient eb;

  BenchSandbox(double timeScale) {
    this.timeScale = timeScale;
    sandbox = LocalBeanstalk.builder().timeScale(timeScale).start();
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .build();
  }

  /**
   * Creates the application and a group tagged env=staging: {@code bench-web} and {@code
   * bench-worker-1..size-1}, each deploying in {@code deploySeconds} simulated seconds and settling
   * Green; waits until all are Ready. Returns the names, web first.
   */
  List<String> group(int size, double deploySeconds) {
    eb.createApplication(b -> b.applicationName(APP));
    List<String> names = new ArrayList<>();
    names.add(APP + "-web");
    for (int i = 1; i < size; i++) {
      names.add(APP + "-worker-" + i);
    }
    for (String name : names) {
      boolean worker = !name.endsWith("-web");
      sandbox.configureEnvironment(name, deploySeconds, "Green");
      eb.createEnvironment(
          b ->
              b.applicationName(APP)
                  .environmentName(name)
                  .platformArn(PLATFORM)
                  .tier(
                      t ->
                          t.name(worker ? "Worker" : "WebServer")
                              .type(worker ? "SQS/HTTP" : "Standard"))
                  .tags(Tag.builder().key("env").value(TAG).build()));
    }
    awaitReady(names);
    return names;
  }

  /** Waits until every environment is Ready (a launch takes 240 simulated seconds). */
  void awaitReady(List<String> names) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      List<EnvironmentDescription> envs =
          eb.describeEnvironments(b -> b.environmentNames(names)).environments();
      if (envs.size() == names.size()
          && envs.stream().allMatch(e -> "Ready".equals(e.statusAsString()))) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("environments not Ready after 120 s: " + envs);
      }
      sleep(100);
    }
  }

  /** The environment ids by name, in the order given. */
  List<String> ids(List<String> names) {
    List<EnvironmentDescription> envs =
        eb.describeEnvironments(b -> b.environmentNames(names)).environments();
    return names.stream()
        .map(
            n ->
                envs.stream()
                    .filter(e -> e.environmentName().equals(n))
                    .findFirst()
                    .orElseThrow()
                    .environmentId())
        .toList();
  }

  String labelOf(String name) {
    return eb.describeEnvironments(b -> b.environmentNames(name))
        .environments()
        .get(0)
        .versionLabel();
  }

  /** Policy parallel, the sandbox's region; every other setting at its default. */
  static DeployConfig config() {
    return DeployConfig.builder()
        .region(REGION)
        .migration(
            new DeployConfig.Migration(
                DeployConfig.MigrationPolicy.PARALLEL, java.util.Optional.empty()))
        .build();
  }

  /** A deploy of the project to GROUP (a tag value or an environment name) on this sandbox. */
  EbDeploy deploy(
      Path project, String group, String label, Duration pollInitial, Duration pollMax) {
    return EbDeploy.forProject(project)
        .group(group)
        .label(label)
        .config(config())
        .endpoint(sandbox.endpoint())
        .credentials(CREDENTIALS)
        .pollInterval(pollInitial, pollMax);
  }

  /**
   * A small web application in a fresh git repository with one commit: seven files, 4.8 KB, as a
   * Python app on Beanstalk would have.
   */
  static Path project(Path parent) {
    try {
      Files.createDirectories(parent);
      Path dir = Files.createTempDirectory(parent, "project-");
      write(dir, "application.py", "from app import create_app\napplication = create_app()\n");
      write(
          dir,
          "app/__init__.py",
          "from flask import Flask\n\n\ndef create_app():\n    app = Flask(__name__)\n"
              + "    from . import views\n    app.register_blueprint(views.bp)\n    return app\n");
      write(
          dir,
          "app/views.py",
          "from flask import Blueprint\n\nbp = Blueprint('views', __name__)\n\n"
              + "@bp.route('/')\ndef index():\n    return 'hello'\n".repeat(20));
      write(dir, "requirements.txt", "flask==3.0.3\ngunicorn==22.0.0\n");
      write(dir, "Procfile", "web: gunicorn application:application\n");
      write(
          dir,
          ".ebextensions/01-migrate.config",
          "container_commands:\n  migrate:\n    command: flask db upgrade\n    leader_only: true\n"
              + "    test: '[ \"$EB_DEPLOY_ROLE\" = web ]'\n");
      write(dir, "static/site.css", "body { font-family: sans-serif; }\n".repeat(100));
      git(dir, "init", "-q", "-b", "main", ".");
      git(dir, "add", "-A");
      git(
          dir,
          "-c",
          "user.name=bench",
          "-c",
          "user.email=bench@example.com",
          "commit",
          "-q",
          "-m",
          "app");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path dir, String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
  }

  private static void git(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    try {
      if (p.waitFor() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed in " + dir);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The number of environment ids a logged DescribeEnvironments call carried. */
  static int idCount(SandboxCall c) {
    return (int)
        c.params().keySet().stream().filter(k -> k.startsWith("EnvironmentIds.member")).count();
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static String secs(double seconds) {
    return String.format(Locale.ROOT, "%.2f", seconds);
  }

  static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    eb.close();
    sandbox.close();
  }
}
