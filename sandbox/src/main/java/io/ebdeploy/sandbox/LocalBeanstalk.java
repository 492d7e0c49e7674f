package io.ebdeploy.sandbox;

import io.ebdeploy.sandbox.eb.EbApi;
import io.ebdeploy.sandbox.s3.S3Api;
import io.ebdeploy.sandbox.s3.S3Store;
import io.ebdeploy.sandbox.service.Faults;
import io.ebdeploy.sandbox.service.SandboxContext;
import io.ebdeploy.sandbox.tagging.TaggingApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A local Elastic Beanstalk: the Elastic Beanstalk, Resource Groups Tagging and S3 APIs on one
 * loopback port, for tests and for running eb-deploy without an AWS account.
 *
 * <pre>{@code
 * try (LocalBeanstalk sandbox = LocalBeanstalk.builder().timeScale(0.001).start()) {
 *   ElasticBeanstalkClient eb = ElasticBeanstalkClient.builder()
 *       .endpointOverride(sandbox.endpoint()) ... .build();
 * }
 * }</pre>
 */
public final class LocalBeanstalk implements AutoCloseable {
  private final SandboxServer server;
  private final SandboxContext context;
  private final Faults faults;
  private final CallLog calls;
  private final S3Api s3;
  private final EbApi eb;

  /** The one place the sandbox is wired: the services, the server, the control API. */
  private LocalBeanstalk(Builder b) throws IOException {
    if (b.stateDir != null) {
      Files.createDirectories(b.stateDir);
    }
    faults = new Faults();
    calls = new CallLog();
    context = new SandboxContext(b.timeScale, b.stateDir, faults, b.clock);
    s3 = new S3Api(context);
    eb = new EbApi(context, s3.store());
    TaggingApi tagging = new TaggingApi(List.of(eb, s3.store()));
    server =
        new SandboxServer(
            b.port, List.of(eb, tagging, s3), new ControlApi(faults, calls, eb), faults, calls);
    server.start();
  }

  /** Starts a sandbox on an ephemeral port, in memory, at real Beanstalk timing. */
  public static LocalBeanstalk start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The endpoint for every client: {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.port());
  }

  public int port() {
    return server.port();
  }

  /** Injects a fault; see {@link Fault}. */
  public void inject(Fault fault) {
    faults.add(fault);
  }

  public void clearFaults() {
    faults.clear();
  }

  /** Every AWS call answered so far, in order. */
  public List<SandboxCall> calls() {
    return calls.snapshot();
  }

  public void clearCalls() {
    calls.clear();
  }

  /**
   * Sets how an environment behaves in later deploys: its simulated deploy duration and the health
   * it settles on. Null leaves a setting as it is. The environment need not exist yet.
   */
  public void configureEnvironment(String name, Double deploySeconds, String health) {
    eb.configureEnvironment(name, deploySeconds, health);
  }

  @Override
  public void close() {
    server.close();
  }

  // For the sandbox's own tests, which place fixtures in the services directly.

  SandboxContext context() {
    return context;
  }

  Faults faults() {
    return faults;
  }

  S3Store s3Store() {
    return s3.store();
  }

  EbApi eb() {
    return eb;
  }

  /** Settings for a sandbox. */
  public static final class Builder {
    private int port;
    private Path stateDir;
    private double timeScale = 1.0;
    private LongSupplier clock = System::currentTimeMillis;

    private Builder() {}

    /** The loopback port; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is out of range: use 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /** Keeps state in this folder so that a restart finds it again; in memory when unset. */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /**
     * Real time per simulated second: 1 is Beanstalk's own pace, 0.01 makes a 60 s deploy take 0.6
     * s, 0.001 is for tests.
     */
    public Builder timeScale(double timeScale) {
      if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
        throw new IllegalArgumentException(
            "time scale "
                + timeScale
                + " must be a positive number (1 = real time, 0.01 = 100x faster)");
      }
      this.timeScale = timeScale;
      return this;
    }

    /** Replaces the wall clock (epoch milliseconds): for the sandbox's tests that step time. */
    Builder clock(LongSupplier clock) {
      this.clock = clock;
      return this;
    }

    public LocalBeanstalk start() {
      try {
        return new LocalBeanstalk(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the sandbox: " + e.getMessage(), e);
      }
    }
  }
}
