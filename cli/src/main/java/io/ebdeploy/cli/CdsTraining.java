package io.ebdeploy.cli;

import io.ebdeploy.sandbox.LocalBeanstalk;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * NOT a command: the build runs it once after packaging the jar, under {@code
 * -XX:ArchiveClassesAtExit=eb-deploy.jsa}, so that the JVM writes a class data archive of every
 * class a real run loads (picocli, the config loader, the AWS SDK's S3, Elastic Beanstalk and
 * Tagging clients, the deploy pipeline, the static files sync). The launcher then maps classes from
 * that archive instead of parsing and verifying them from the jar: about 0.4 s less CPU for each
 * command that talks to AWS (docs/cli.md, "Start-up").
 *
 * <p>It runs {@code assets}, {@code plan}, {@code deploy} and {@code status} in-process against a
 * local sandbox, output discarded. It never fails the build: on any problem it says so and exits 0,
 * and the launcher simply runs without an archive.
 */
public final class CdsTraining {
  private static final String PLATFORM =
      "arn:aws:elasticbeanstalk:us-east-1::platform/Python 3.11 running on 64bit Amazon Linux"
          + " 2023/4.1.0";

  private CdsTraining() {}

  public static void main(String[] args) {
    Path dir = null;
    try (LocalBeanstalk sandbox = LocalBeanstalk.builder().timeScale(0.001).start()) {
      dir = Files.createTempDirectory("eb-deploy-cds");
      train(sandbox, dir);
    } catch (Exception | AssertionError e) {
      System.err.println("eb-deploy: class data training incomplete (" + e + "); no harm done");
    } finally {
      delete(dir);
    }
    System.exit(0);
  }

  private static void train(LocalBeanstalk sandbox, Path dir) throws Exception {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("training", "training"));
    try (ElasticBeanstalkClient eb =
            ElasticBeanstalkClient.builder()
                .endpointOverride(sandbox.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(sandbox.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
      s3.createBucket(b -> b.bucket("training-static"));
      eb.createApplication(b -> b.applicationName("training"));
      eb.createEnvironment(
          b ->
              b.applicationName("training")
                  .environmentName("training-web")
                  .platformArn(PLATFORM)
                  .tags(t -> t.key("env").value("training")));
    }
    Files.writeString(dir.resolve("application.py"), "print('training')\n");
    Files.writeString(dir.resolve(".gitignore"), "static/\n");
    Files.writeString(
        dir.resolve("eb-deploy.yml"),
        "static:\n  dir: static\n  bucket: training-static\n  keep-releases: 1\n");
    for (String f : List.of("css/site.0123abcd.css", "js/app.js", "img/logo.svg")) {
      Path p = dir.resolve("static").resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, f);
    }
    boolean git =
        run(dir, "git", "init", "-q")
            && run(dir, "git", "add", ".")
            && run(
                dir,
                "git",
                "-c",
                "user.name=training",
                "-c",
                "user.email=training@example.com",
                "commit",
                "-q",
                "-m",
                "training");
    // Credentials through the SDK's default chain (its first link reads these properties), so
    // that the chain's classes, which every real run loads, are archived too.
    System.setProperty("aws.accessKeyId", "training");
    System.setProperty("aws.secretAccessKey", "training");
    CliContext context =
        new CliContext(
            Map.of(),
            false,
            ZoneOffset.UTC,
            Duration.ofMillis(5),
            Duration.ofMillis(40),
            Duration.ofMillis(400),
            Optional.empty(),
            Optional.empty());
    List<String> common =
        List.of(
            "--project-dir",
            dir.toString(),
            "--endpoint-url",
            sandbox.endpoint().toString(),
            "--region",
            "us-east-1");
    command(context, List.of("assets", "training", "--dry-run", "--output", "json"), common);
    command(context, List.of("assets", "training"), common);
    command(context, List.of("status", "training"), common);
    if (git) {
      command(context, List.of("plan", "training", "--label", "t1"), common);
      command(context, List.of("deploy", "training", "--label", "t1"), common);
    }
  }

  private static void command(CliContext context, List<String> args, List<String> common) {
    CommandLine cl = EbDeployCommand.commandLine(context);
    PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
    cl.setOut(none);
    cl.setErr(none);
    cl.execute(Stream.concat(args.stream(), common.stream()).toArray(String[]::new));
  }

  private static boolean run(Path dir, String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
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
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder
    }
  }
}
