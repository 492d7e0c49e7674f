package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.sandbox.LocalBeanstalk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Groups for the rollback, lock and recovery tests: one sandbox at 1/1000 of Beanstalk's pace,
 * groups whose environments start on a label, direct access to the lock, record and history, and an
 * SDK interceptor that records every UpdateEnvironment sent to an environment already on its target
 * (there must be none).
 */
final class RollbackBench implements AutoCloseable {
  static final String REGION = SandboxFixture.REGION;
  static final String BUCKET = "elasticbeanstalk-" + REGION + "-123456789012";

  final LocalBeanstalk sandbox;
  final ElasticBeanstalkClient eb;
  final S3Client s3;
  final List<String> updatesToTarget = Collections.synchronizedList(new ArrayList<>());

  RollbackBench() {
    this(LocalBeanstalk.builder().timeScale(0.001).start());
  }

  RollbackBench(LocalBeanstalk sandbox) {
    this.sandbox = sandbox;
    eb =
        ElasticBeanstalkClient.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(SandboxFixture.CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .overrideConfiguration(SandboxFixture.FAST_RETRIES)
            .build();
    s3 =
        S3Client.builder()
            .endpointOverride(sandbox.endpoint())
            .region(Region.of(REGION))
            .credentialsProvider(SandboxFixture.CREDENTIALS)
            .httpClient(UrlConnectionHttpClient.create())
            .forcePathStyle(true)
            .overrideConfiguration(SandboxFixture.FAST_RETRIES)
            .build();
  }

  /** A group in its own application: environments tagged env=GROUP, all on {@code label}. */
  Group group(String app, String group, List<String> webs, List<String> workers, String label) {
    eb.createApplication(b -> b.applicationName(app));
    if (label != null) {
      eb.createApplicationVersion(b -> b.applicationName(app).versionLabel(label));
    }
    List<String> all = Stream.concat(webs.stream(), workers.stream()).toList();
    for (String name : all) {
      sandbox.configureEnvironment(name, 10.0, null);
      boolean worker = workers.contains(name);
      eb.createEnvironment(
          b -> {
            b.applicationName(app)
                .environmentName(name)
                .platformArn(SandboxFixture.PYTHON)
                .tier(
                    t ->
                        t.name(worker ? "Worker" : "WebServer")
                            .type(worker ? "SQS/HTTP" : "Standard"))
                .tags(Tag.builder().key("env").value(group).build());
            if (label != null) {
              b.versionLabel(label);
            }
          });
    }
    awaitReady(all);
    return new Group(app, group, webs, workers);
  }

  /** One group, as a test sees it. */
  final class Group {
    final String app;
    final String name;
    final List<String> webs;
    final List<String> workers;

    Group(String app, String name, List<String> webs, List<String> workers) {
      this.app = app;
      this.name = name;
      this.webs = webs;
      this.workers = workers;
    }

    List<String> all() {
      return Stream.concat(webs.stream(), workers.stream()).toList();
    }

    /** Each environment's label, in web-then-worker order. */
    Map<String, String> labels() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String n : all()) {
        EnvironmentDescription d = describe(n);
        out.put(n, d.versionLabel() == null ? "" : d.versionLabel());
      }
      return out;
    }

    Map<String, String> statuses() {
      Map<String, String> out = new LinkedHashMap<>();
      for (String n : all()) {
        out.put(n, describe(n).statusAsString());
      }
      return out;
    }

    void version(String label) {
      eb.createApplicationVersion(b -> b.applicationName(app).versionLabel(label));
    }

    String key(String object) {
      return GroupStore.prefix(app, name) + object;
    }

    Optional<String> object(String object) {
      try {
        return Optional.of(
            s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key(object)))
                .asString(StandardCharsets.UTF_8));
      } catch (NoSuchKeyException e) {
        return Optional.empty();
      } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
        return Optional.empty();
      }
    }

    void put(String object, String json) {
      s3.putObject(b -> b.bucket(BUCKET).key(key(object)), RequestBody.fromString(json));
    }

    List<io.ebdeploy.api.HistoryEntry> history() {
      return History.read(new GroupStore(s3, BUCKET, app, name));
    }

    String id(String env) {
      return describe(env).environmentId();
    }

    /** Deploys {@code label} to every environment directly (no eb-deploy), waiting for Ready. */
    void deployDirectly(String label) {
      for (String n : all()) {
        eb.updateEnvironment(b -> b.environmentName(n).versionLabel(label));
      }
      awaitReady(all());
    }

    /** A deploy of a bundle made here, with the bench's pace and the update checker. */
    EbDeploy deploy(Path dir, String label, DeployConfig config, List<DeployEvent> events) {
      try {
        Path zip = SandboxFixture.zip(dir, name + "-" + label + ".zip", "print('" + label + "')");
        return client(EbDeploy.forBundle(zip).group(name).label(label).config(config), events);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    EbDeploy forGroup(DeployConfig config, List<DeployEvent> events) {
      return client(EbDeploy.forGroup(name).config(config), events);
    }
  }

  EbDeploy client(EbDeploy d, List<DeployEvent> events) {
    return client(d, events, List.of());
  }

  EbDeploy client(EbDeploy d, List<DeployEvent> events, List<ExecutionInterceptor> more) {
    ClientOverrideConfiguration.Builder o =
        SandboxFixture.FAST_RETRIES.toBuilder().addExecutionInterceptor(new UpdateChecker());
    more.forEach(o::addExecutionInterceptor);
    return d.endpoint(sandbox.endpoint())
        .credentials(SandboxFixture.CREDENTIALS)
        .clientOverride(o.build())
        .listener(events::add)
        .pollInterval(Duration.ofMillis(5), Duration.ofMillis(40))
        .healthGrace(Duration.ofMillis(400));
  }

  /** Short timeouts for the sandbox's pace; a deploy takes ~10-60 ms here. */
  static DeployConfig.Builder config() {
    return DeployConfig.builder()
        .region(REGION)
        .timeouts(
            new DeployConfig.Timeouts(
                Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMillis(1500)));
  }

  EnvironmentDescription describe(String env) {
    return eb.describeEnvironments(b -> b.environmentNames(env).includeDeleted(false))
        .environments()
        .get(0);
  }

  void awaitReady(List<String> names) {
    Instant deadline = Instant.now().plusSeconds(20);
    while (true) {
      List<EnvironmentDescription> envs =
          eb.describeEnvironments(b -> b.environmentNames(names).includeDeleted(false))
              .environments();
      if (envs.size() == names.size()
          && envs.stream().allMatch(e -> "Ready".equals(e.statusAsString()))) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not Ready in time: " + envs);
      }
      SandboxFixture.sleep(10);
    }
  }

  /** Fires {@code action} once, just before the first call {@code when} accepts is sent. */
  static ExecutionInterceptor before(Predicate<SdkRequest> when, Runnable action) {
    return new ExecutionInterceptor() {
      private boolean fired;

      @Override
      public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
        synchronized (this) {
          if (fired || !when.test(c.request())) {
            return;
          }
          fired = true;
        }
        action.run();
      }
    };
  }

  /** Records any UpdateEnvironment whose environment already runs the label it asks for. */
  final class UpdateChecker implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
      if (c.request() instanceof UpdateEnvironmentRequest u && u.versionLabel() != null) {
        EnvironmentDescription d =
            eb.describeEnvironments(b -> b.environmentIds(u.environmentId())).environments().get(0);
        if (u.versionLabel().equals(d.versionLabel())) {
          updatesToTarget.add(
              d.environmentName()
                  + " already on "
                  + u.versionLabel()
                  + " ("
                  + d.statusAsString()
                  + ")");
        }
      }
    }
  }

  @Override
  public void close() {
    eb.close();
    s3.close();
    sandbox.close();
  }
}
