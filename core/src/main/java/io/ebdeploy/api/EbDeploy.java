package io.ebdeploy.api;

import io.ebdeploy.bundle.Attribution;
import io.ebdeploy.deploy.Engine;
import io.ebdeploy.notify.Notifier;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * Deploys one application version to a group of Elastic Beanstalk environments: the entry point of
 * the library.
 *
 * <pre>{@code
 * DeployResult result = EbDeploy.forProject(Path.of("."))
 *     .group("staging")
 *     .config(ConfigLoader.load(dir, System.getenv()))
 *     .listener(event -> System.out.println(event))
 *     .deploy();            // throws DeployFailedException (with its result) unless all succeeded
 *
 * GroupStatus status = EbDeploy.forGroup("staging").status();
 * DeployPlan plan = EbDeploy.forBundle(Path.of("app.zip")).group("staging").label("v1.2").plan();
 * DeployResult back = EbDeploy.forGroup("staging").rollback();      // to the last good release
 * }</pre>
 *
 * <p>A deploy or rollback holds the group's lock (an S3 object in Beanstalk's storage bucket) from
 * its first change to its end, keeps a record of its progress next to it (so that the next run
 * converges the group if this one is killed), and appends its outcome to the group's history. A
 * deploy that fails after its first change returns every environment to the label it ran before, in
 * one polling loop; see docs/rollback.md.
 *
 * <p>A builder: set what you need, then call one terminal operation. Not thread-safe; each terminal
 * operation builds its own AWS clients (lazily, only those it needs) and closes them. Errors are
 * {@link EbDeployException}s whose {@link EbDeployException.Kind} maps to an exit code; {@code
 * INVALID_INPUT} means nothing in AWS was changed.
 */
public final class EbDeploy {
  private final Path projectDir;
  private final Path bundleZip;
  private String group;
  private DeployConfig config = DeployConfig.defaults();
  private URI endpoint;
  private String endpointSource = "EbDeploy.endpoint";
  private Map<String, String> environment = System.getenv();
  private String label;
  private Boolean staged;
  private DeployListener listener = DeployListener.none();
  private Duration pollInitial = Duration.ofSeconds(2);
  private Duration pollMax = Duration.ofSeconds(15);
  private Duration healthGrace = Duration.ofMinutes(2);
  private AwsCredentialsProvider credentials;
  private ClientOverrideConfiguration clientOverride;
  private Notifier notifier;
  private DeployControl control = new DeployControl();
  private URI rdsEndpoint;

  private EbDeploy(Path projectDir, Path bundleZip) {
    this.projectDir = projectDir;
    this.bundleZip = bundleZip;
  }

  /** Builds and bundles the project in this folder (its git checkout), then deploys it. */
  public static EbDeploy forProject(Path projectDir) {
    return new EbDeploy(Objects.requireNonNull(projectDir, "projectDir"), null);
  }

  /** Deploys a zip built elsewhere; needs a {@link #label(String)}. */
  public static EbDeploy forBundle(Path zip) {
    return new EbDeploy(null, Objects.requireNonNull(zip, "zip"));
  }

  /** For {@link #status()}, {@link #rollback()} and {@link #unlock()}: no bundle. */
  public static EbDeploy forGroup(String group) {
    return new EbDeploy(null, null).group(group);
  }

  /**
   * The group: a value of the tag {@link DeployConfig#tag()} (matched case-insensitively), or
   * exactly one environment's name.
   */
  public EbDeploy group(String group) {
    this.group = Objects.requireNonNull(group, "group");
    return this;
  }

  /** The settings; {@link DeployConfig#defaults()} when not set. */
  public EbDeploy config(DeployConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }

  /**
   * Sends every AWS call (Beanstalk, Tagging, S3, RDS) to this endpoint, e.g. the sandbox, whatever
   * the environment says ({@code AWS_ENDPOINT_URL...}).
   */
  public EbDeploy endpoint(URI endpoint) {
    return endpoint(endpoint, "EbDeploy.endpoint");
  }

  /**
   * {@link #endpoint(URI)}, naming where it came from for the debug log and the plan, e.g. {@code
   * --endpoint-url}.
   */
  public EbDeploy endpoint(URI endpoint, String source) {
    this.endpoint = endpoint;
    this.endpointSource = Objects.requireNonNull(source, "source");
    return this;
  }

  /**
   * The environment variables the AWS settings are read from, as the AWS CLI and SDKs read them:
   * {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, {@code AWS_PROFILE}, {@code AWS_CONFIG_FILE},
   * {@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}, {@code
   * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}, {@code AWS_EC2_METADATA_DISABLED}, {@code HOME}
   * (docs/configuration.md). Default: this process's, {@code System.getenv()}.
   */
  public EbDeploy environment(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    return this;
  }

  /**
   * Sends the RDS calls ({@code database.snapshot-before-migrate}) here instead of to {@link
   * #endpoint(URI)}.
   *
   * @deprecated set {@code AWS_ENDPOINT_URL_RDS} in the {@link #environment(Map)}, as for every
   *     other service
   */
  @Deprecated
  public EbDeploy rdsEndpoint(URI rdsEndpoint) {
    this.rdsEndpoint = rdsEndpoint;
    return this;
  }

  /**
   * The handle another thread cancels the run with; a new one by default. The CLI cancels it on
   * SIGINT and SIGTERM.
   */
  public EbDeploy control(DeployControl control) {
    this.control = Objects.requireNonNull(control, "control");
    return this;
  }

  /** The run's {@link DeployControl}. */
  public DeployControl control() {
    return control;
  }

  /**
   * Cancels the run in progress from another thread: no new update starts, updates in progress are
   * aborted, and the group is rolled back. Same as {@code control().cancel(reason)}.
   */
  public void cancel(String reason) {
    control.cancel(reason);
  }

  /** The version label; default: the project's version (git tag or commit). */
  public EbDeploy label(String label) {
    this.label = label;
    return this;
  }

  /** Bundle the git index instead of HEAD plus the working tree; default from the config. */
  public EbDeploy staged(boolean staged) {
    this.staged = staged;
    return this;
  }

  /** Receives progress events. */
  public EbDeploy listener(DeployListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * How often the deploy polls Beanstalk: starting at {@code initial}, growing on quiet ticks up to
   * {@code max}. Defaults 2 s and 15 s; tests use milliseconds.
   */
  public EbDeploy pollInterval(Duration initial, Duration max) {
    this.pollInitial = Objects.requireNonNull(initial, "initial");
    this.pollMax = Objects.requireNonNull(max, "max");
    return this;
  }

  /**
   * How long an environment Ready on the new label may show health its tier does not accept
   * (health.web, health.worker) before it is judged failed. Default 2 minutes.
   */
  public EbDeploy healthGrace(Duration healthGrace) {
    this.healthGrace = Objects.requireNonNull(healthGrace, "healthGrace");
    return this;
  }

  /** Credentials; default: the config's profile, else the SDK's default chain. */
  public EbDeploy credentials(AwsCredentialsProvider credentials) {
    this.credentials = credentials;
    return this;
  }

  /** SDK client settings applied to every client (retry strategy, timeouts, interceptors). */
  public EbDeploy clientOverride(ClientOverrideConfiguration clientOverride) {
    this.clientOverride = clientOverride;
    return this;
  }

  /**
   * Sends Slack notifications about {@link #deploy()} and {@link #rollback()} (docs/slack.md); none
   * when not set. A failed notification never changes the outcome: it is listed in {@link
   * DeployResult#notifications()}.
   */
  public EbDeploy notifier(Notifier notifier) {
    this.notifier = notifier;
    return this;
  }

  /**
   * Deploys: discovery, build, bundle, one upload, one application version, the group in waves, and
   * the verdict.
   *
   * @return the result, when every environment succeeded
   * @throws DeployFailedException when the deploy ran and did not fully succeed (carries the
   *     result)
   * @throws EbDeployException INVALID_INPUT (nothing changed), AWS_ERROR, INTERRUPTED
   */
  public DeployResult deploy() {
    Attribution who = Attribution.of(environment, Optional.ofNullable(projectDir));
    return notified("deploy", who, () -> Engine.deploy(request(who)));
  }

  /**
   * Takes the whole group back to the last release on which it was consistent (from the group's
   * history), with the same waves, wait and verification as a deploy. Converges a killed deploy
   * first.
   *
   * @return the result, when every environment runs that release
   * @throws DeployFailedException when it did not succeed (the group was returned to where it was,
   *     or that failed too)
   * @throws EbDeployException INVALID_INPUT when there is no earlier release to go to, LOCKED,
   *     AWS_ERROR, INTERRUPTED
   */
  public DeployResult rollback() {
    return rollback(Optional.empty());
  }

  /** Takes the whole group to {@code label}, which must exist as an application version. */
  public DeployResult rollbackTo(String label) {
    return rollback(Optional.of(Objects.requireNonNull(label, "label")));
  }

  private DeployResult rollback(Optional<String> to) {
    Attribution who = Attribution.startedOnly(environment);
    return notified("rollback", who, () -> Engine.rollback(request(who), to));
  }

  /** Runs a deploy or a rollback, through the {@link #notifier} when there is one. */
  private DeployResult notified(String command, Attribution who, Supplier<DeployResult> run) {
    if (notifier == null) {
      return run.get();
    }
    DeployListener downstream = listener;
    return notifier.run(
        command,
        group,
        who,
        downstream,
        tee -> {
          listener = tee;
          try {
            return run.get();
          } finally {
            listener = downstream;
          }
        });
  }

  /**
   * Removes the group's deploy lock, whoever holds it (for a holder known to be dead). A killed
   * deploy's record stays, so the next deploy or rollback still converges the group.
   *
   * @return the lock removed; empty when there was none
   */
  public Optional<LockInfo> unlock() {
    return Engine.unlock(request());
  }

  /** Everything up to the first change, with no mutating AWS call. */
  public DeployPlan plan() {
    return Engine.plan(request());
  }

  /**
   * The static files alone ({@code static:} in the config, docs/assets.md): uploads what is new or
   * changed in {@code static.dir} to its bucket, in parallel, and deletes nothing (stale files go
   * after a successful {@link #deploy()}). Runs no build command and touches no environment; the
   * group scopes the pending manifest that protects the uploads. Needs {@link #forProject}.
   *
   * @param dryRun only compare: no write at all
   * @throws EbDeployException INVALID_INPUT for no {@code static} section, a missing folder, an
   *     unknown bucket or no write permission (nothing written); AWS_ERROR; INTERRUPTED
   */
  public AssetsResult assets(boolean dryRun) {
    return Engine.assets(request(), dryRun);
  }

  /**
   * Where the group's environments stand: labels, status, health, and who holds its lock, any
   * killed deploy not yet converged, and its last deploys. Read-only.
   */
  public GroupStatus status() {
    return Engine.status(request());
  }

  private Engine.Request request() {
    return request(Attribution.startedOnly(environment));
  }

  private Engine.Request request(Attribution attribution) {
    if (group == null || group.isBlank()) {
      throw EbDeployException.invalidInput(
          "no group: name a tag value (eb-deploy staging) or an environment");
    }
    return new Engine.Request(
        Optional.ofNullable(projectDir),
        Optional.ofNullable(bundleZip),
        group,
        config,
        Optional.ofNullable(endpoint),
        Optional.ofNullable(label),
        staged != null ? staged : config.bundle().staged(),
        listener,
        pollInitial,
        pollMax,
        healthGrace,
        Optional.ofNullable(credentials),
        Optional.ofNullable(clientOverride),
        control,
        Optional.ofNullable(rdsEndpoint),
        environment,
        endpointSource,
        attribution);
  }
}
