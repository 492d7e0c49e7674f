package io.ebdeploy.cli;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.api.Tier;
import io.ebdeploy.config.ConfigLoader;
import io.ebdeploy.notify.Notifier;
import io.ebdeploy.sandbox.LocalBeanstalk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.EventDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;

/**
 * {@code eb-deploy demo}: the whole main job on one machine, in one process. Starts a {@link
 * LocalBeanstalk}, copies {@code examples/sample-app} into a temporary git repository tagged {@code
 * v1.0.0}, creates the application {@code sample} with a web and a worker environment tagged {@code
 * env=staging} through the AWS SDK, waits for them, runs the real deploy (the same library call and
 * the same rendering as {@code eb-deploy deploy}), then prints {@code status}.
 */
@Command(
    name = "demo",
    sortOptions = false,
    description = {
      "Runs a whole deploy on this machine, without AWS: starts a local Elastic Beanstalk, creates"
          + " the sample application (examples/sample-app) with a web and a worker environment"
          + " tagged env=staging, deploys it with eb-deploy, and shows the status. Takes about"
          + " 20 seconds.",
      ""
    })
public final class DemoCommand implements Callable<Integer> {
  static final String APPLICATION = "sample";
  static final String WEB = "sample-staging";
  static final String WORKER = "sample-staging-worker";
  static final String GROUP = "staging";
  static final String REGION = "us-east-1";
  static final String LABEL = "v1.0.0";
  static final String PLATFORM =
      "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux"
          + " 2023/4.1.0";
  static final String SAMPLE = "examples/sample-app";

  /** The default pace: a 60 s Beanstalk deploy takes 2.4 s, a 240 s launch 9.6 s. */
  static final double DEFAULT_TIME_SCALE = 0.04;

  @Spec private CommandSpec spec;

  @Mixin private VerbosityOption verbosity;

  private double timeScale = DEFAULT_TIME_SCALE;

  @Option(
      names = "--keep",
      description =
          "Keep the sandbox serving after the demo, until Ctrl-C, and print how to use it.")
  private boolean keep;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "0",
      description = "The sandbox's loopback port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  private int port;

  @Option(
      names = "--time-scale",
      paramLabel = "X",
      defaultValue = "" + DEFAULT_TIME_SCALE,
      description =
          "Real seconds per simulated second: 1 is Beanstalk's own pace (minutes), the default"
              + " ${DEFAULT-VALUE} makes the demo take about 20 s.")
  void setTimeScale(double timeScale) {
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new ParameterException(
          spec.commandLine(),
          "--time-scale " + timeScale + " must be a positive number, e.g. 0.04 (the default)");
    }
    this.timeScale = timeScale;
  }

  @Override
  public Integer call() throws Exception {
    CliContext ctx = CliContext.of(spec);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port " + port + " is out of range: use 1 to 65535, or 0");
    }
    Path sample = findSample(searchStarts(Path.of("").toAbsolutePath()));
    Style style = Style.of(ctx);
    Instant started = Instant.now();
    Path work = Files.createTempDirectory("eb-deploy-demo-");
    try (Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread());
        LocalBeanstalk sandbox = startSandbox();
        SlackSink slackSink = new SlackSink();
        ProgressRenderer progress = ProgressRenderer.of(out, style, ctx.zone())) {
      out.println(
          style.paint("eb-deploy demo", Style.BOLD)
              + ": a local Elastic Beanstalk, the sample application, a web and a worker"
              + " environment tagged env="
              + GROUP
              + ", and a real deploy. Nothing leaves this machine.");
      out.flush();
      progress.note(
          "sandbox at "
              + sandbox.endpoint()
              + " (time scale "
              + timeScale
              + ": a 60 s Beanstalk deploy takes "
              + Format.duration(Duration.ofMillis(Math.round(60_000 * timeScale)))
              + ")");

      Path project = work.resolve("sample-app");
      copyTree(sample, project);
      gitRepository(project);
      progress.note("copied " + SAMPLE + " to " + project + ", committed and tagged " + LABEL);

      StaticCredentialsProvider credentials =
          StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
      try (ElasticBeanstalkClient eb =
          ElasticBeanstalkClient.builder()
              .endpointOverride(sandbox.endpoint())
              .region(Region.of(REGION))
              .credentialsProvider(credentials)
              .httpClient(UrlConnectionHttpClient.create())
              .build()) {
        createGroup(eb, sandbox, progress);
        awaitReady(eb, progress, started);
      }

      progress.note("deploying with: eb-deploy deploy " + GROUP + " (the sandbox as endpoint)");
      DeployConfig config =
          ConfigLoader.load(project, ctx.configEnv()).toBuilder()
              .region(REGION, "the demo")
              .profile(null)
              .build();
      Notifier notifier =
          // Only the sink's URL in this environment: webhook mode, whatever the shell holds. The
          // deploy names the commit and who started it (git, then the login name).
          Notifier.builder(config.slack(), Map.of(config.slack().webhookEnv(), slackSink.url()))
              .build()
              .orElseThrow();
      progress.note("Slack notifications go to a local webhook sink at " + slackSink.url());
      DeployResult result;
      DeployFailedException failed = null;
      try {
        result =
            EbDeploy.forProject(project)
                .notifier(notifier)
                .group(GROUP)
                .config(config)
                .endpoint(sandbox.endpoint(), "the demo's sandbox")
                .environment(ctx.env())
                .credentials(credentials)
                .pollInterval(Duration.ofMillis(200), Duration.ofSeconds(1))
                .healthGrace(ctx.healthGrace())
                .listener(progress)
                .deploy();
      } catch (DeployFailedException e) {
        result = e.result();
        failed = e;
      }
      Reports.deploy(out, result, style);
      notifier.close();
      out.println();
      out.println(
          style.paint(
              "What Slack would have shown (" + slackSink.texts().size() + " messages):",
              Style.DIM));
      for (String text : slackSink.texts()) {
        out.println();
        text.lines().forEach(line -> out.println("  | " + line));
      }
      out.println();
      out.println(style.paint("$ eb-deploy status " + GROUP, Style.DIM));
      GroupStatus status =
          EbDeploy.forGroup(GROUP)
              .config(config)
              .endpoint(sandbox.endpoint(), "the demo's sandbox")
              .environment(ctx.env())
              .credentials(credentials)
              .status();
      Reports.status(out, status, style);
      out.println();
      out.println(
          "Demo "
              + (failed == null ? "done" : "FAILED")
              + " in "
              + Format.duration(Duration.between(started, Instant.now()))
              + ". Deploy your own project with: eb-deploy deploy GROUP (see docs/cli.md).");
      out.flush();
      if (failed != null) {
        throw failed;
      }
      if (keep) {
        return serve(out, err, sandbox, project, signals);
      }
      return status.labelsDiffer() ? ExitCodes.VERSIONS_DIFFER : ExitCodes.OK;
    } finally {
      deleteTree(work);
    }
  }

  private LocalBeanstalk startSandbox() {
    try {
      return LocalBeanstalk.builder().port(port).timeScale(timeScale).start();
    } catch (UncheckedIOException e) {
      throw CliException.usage(
          "cannot start the sandbox on port " + port + ": " + e.getMessage() + " (try --port 0)");
    }
  }

  /** The application and its two environments, tagged env=staging, the worker settling Yellow. */
  private static void createGroup(
      ElasticBeanstalkClient eb, LocalBeanstalk sandbox, ProgressRenderer progress) {
    eb.createApplication(b -> b.applicationName(APPLICATION));
    // A worker with a queue backlog reports Yellow while healthy: the worker tier accepts it.
    sandbox.configureEnvironment(WORKER, null, "Yellow");
    for (String name : List.of(WEB, WORKER)) {
      boolean worker = name.equals(WORKER);
      eb.createEnvironment(
          b ->
              b.applicationName(APPLICATION)
                  .environmentName(name)
                  .platformArn(PLATFORM)
                  .tier(
                      t ->
                          t.name(worker ? "Worker" : "WebServer")
                              .type(worker ? "SQS/HTTP" : "Standard"))
                  .tags(Tag.builder().key("env").value(GROUP).build()));
      progress.announce(name, worker ? Tier.WORKER : Tier.WEB);
    }
    progress.note(
        "created the application "
            + APPLICATION
            + " with "
            + WEB
            + " (web) and "
            + WORKER
            + " (worker), tagged env="
            + GROUP
            + "; launching");
  }

  /** Polls until both environments are Ready, showing their status and Beanstalk's events. */
  private void awaitReady(ElasticBeanstalkClient eb, ProgressRenderer progress, Instant since)
      throws InterruptedException {
    long limit = Math.round(240_000 * timeScale * 3) + 30_000;
    Instant deadline = Instant.now().plusMillis(limit);
    Set<String> seen = new HashSet<>();
    Map<String, String> last = new java.util.HashMap<>();
    while (true) {
      List<EventDescription> events =
          new ArrayList<>(
              eb.describeEvents(b -> b.applicationName(APPLICATION).startTime(since)).events());
      events.sort(Comparator.comparing(EventDescription::eventDate));
      for (EventDescription e : events) {
        if (seen.add(e.eventDate() + "|" + e.environmentName() + "|" + e.message())) {
          progress.onEvent(
              new DeployEvent.BeanstalkEventReceived(
                  Instant.now(),
                  new BeanstalkEvent(
                      e.eventDate(),
                      e.environmentName() == null ? "" : e.environmentName(),
                      e.severityAsString(),
                      e.message())));
        }
      }
      List<EnvironmentDescription> envs =
          eb.describeEnvironments(b -> b.environmentNames(WEB, WORKER)).environments();
      for (EnvironmentDescription e : envs) {
        String state = e.statusAsString() + "/" + e.healthAsString();
        if (!state.equals(last.put(e.environmentName(), state))) {
          progress.onEvent(
              new DeployEvent.EnvironmentChanged(
                  Instant.now(),
                  e.environmentName(),
                  e.statusAsString(),
                  e.healthAsString(),
                  e.versionLabel() == null ? "" : e.versionLabel()));
        }
      }
      if (envs.size() == 2 && envs.stream().allMatch(e -> "Ready".equals(e.statusAsString()))) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new CliException(
            ExitCodes.INTERNAL_ERROR,
            "the sandbox's environments were not Ready after " + limit / 1000 + " s");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** --keep: serves until Ctrl-C or SIGTERM, with the commands to try. */
  private static int serve(
      PrintWriter out, PrintWriter err, LocalBeanstalk sandbox, Path project, Signals.Handle h) {
    String url = sandbox.endpoint().toString();
    out.println();
    out.println("The sandbox keeps serving at " + url + " until Ctrl-C. Try:");
    out.println(
        "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=" + REGION);
    out.println("  ./eb-deploy status " + GROUP + " --endpoint-url " + url + " --region " + REGION);
    out.println(
        "  ./eb-deploy "
            + GROUP
            + " --label v1.0.1 --project-dir "
            + project
            + " --endpoint-url "
            + url
            + " --region "
            + REGION);
    out.println("  aws --endpoint-url " + url + " elasticbeanstalk describe-environments");
    out.flush();
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      // Ctrl-C, SIGTERM or the caller's interrupt: stop serving.
    }
    err.println("eb-deploy: sandbox stopped" + h.received().map(s -> " (SIG" + s + ")").orElse(""));
    err.flush();
    return h.received().filter("TERM"::equals).isPresent() ? ExitCodes.OK : ExitCodes.INTERRUPTED;
  }

  /**
   * {@code examples/sample-app} of the eb-deploy checkout: found from the jar's (or classes')
   * location upwards, then from the current directory upwards.
   */
  static Path findSample(List<Path> starts) {
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(SAMPLE);
        if (Files.isRegularFile(candidate.resolve(ConfigLoader.FILE_NAME))) {
          return candidate;
        }
      }
    }
    throw CliException.usage(
        "cannot find "
            + SAMPLE
            + " (looked above "
            + String.join(" and above ", starts.stream().map(Path::toString).toList())
            + "): run the demo from an eb-deploy checkout, e.g. ./eb-deploy demo at its root");
  }

  /** Where to look for the sample: the jar's (or classes') folder, then {@code cwd}. */
  static List<Path> searchStarts(Path cwd) {
    Set<Path> starts = new LinkedHashSet<>();
    codeLocation().ifPresent(starts::add);
    starts.add(cwd);
    return List.copyOf(starts);
  }

  private static Optional<Path> codeLocation() {
    try {
      var source = DemoCommand.class.getProtectionDomain().getCodeSource();
      return source == null
          ? Optional.empty()
          : Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath());
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Copies the sample, keeping modes (executable hooks) and leaving build outputs behind. */
  static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Path rel = from.relativize(dir);
            if (rel.toString().equals("static/dist") || rel.endsWith(".git")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            Files.createDirectories(to.resolve(rel.toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** {@code git init}, commit everything, tag {@link #LABEL}: the bundler reads git. */
  static void gitRepository(Path dir) throws IOException, InterruptedException {
    git(dir, "-c", "init.defaultBranch=main", "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "--no-gpg-sign", "-m", "Sample application");
    git(dir, "-c", "tag.gpgSign=false", "tag", "-a", LABEL, "-m", LABEL);
  }

  private static void git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // The user's git settings (hooks, signing, templates) stay out of the demo's repository.
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "eb-deploy demo");
    env.put("GIT_AUTHOR_EMAIL", "demo@example.invalid");
    env.put("GIT_COMMITTER_NAME", "eb-deploy demo");
    env.put("GIT_COMMITTER_EMAIL", "demo@example.invalid");
    env.remove("GIT_DIR");
    env.remove("GIT_WORK_TREE");
    env.remove("GIT_INDEX_FILE");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw CliException.usage("the demo needs git on PATH: " + e.getMessage());
    }
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new CliException(
          ExitCodes.INTERNAL_ERROR,
          "git " + String.join(" ", args) + " failed in " + dir + ": " + output.strip());
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Left in the temporary folder.
    }
  }
}
