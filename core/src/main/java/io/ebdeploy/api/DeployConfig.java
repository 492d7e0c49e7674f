package io.ebdeploy.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of one project, as {@code eb-deploy.yml} gives them (see docs/configuration.md):
 * every key optional, each with a default. Immutable. The sections are records: plain data,
 * compared by value.
 *
 * <p>CONTRACT between the config loader (which builds it from YAML, {@code EB_DEPLOY_*} variables
 * and flags) and the pipeline (which reads it). Add fields; do not rename these.
 */
public final class DeployConfig {
  /** The format of the version file written into the bundle. */
  public enum VersionFileFormat {
    JSON,
    ENV,
    PYTHON
  }

  /** How the group's environments are updated. */
  public enum MigrationPolicy {
    /** The migrator deploys first; the others, in parallel, only once it succeeded. */
    WEB_FIRST,
    /** Every environment at once. */
    PARALLEL
  }

  /**
   * @param include globs (relative to the project) added even when git-ignored, e.g. compiled
   *     assets
   * @param exclude globs left out on top of {@code .ebignore}
   * @param allowSecrets globs allowed in the bundle despite the secret-file rules
   * @param staged bundle the git index instead of HEAD plus the working tree
   */
  public record Bundle(
      List<String> include, List<String> exclude, List<String> allowSecrets, boolean staged) {
    public Bundle {
      include = List.copyOf(include);
      exclude = List.copyOf(exclude);
      allowSecrets = List.copyOf(allowSecrets);
    }
  }

  /** The version file: label, commit, deployed-at, deployed-by. */
  public record VersionFile(String path, VersionFileFormat format) {}

  /**
   * @param migrator the environment that runs migrations; empty for the first web environment by
   *     name
   */
  public record Migration(MigrationPolicy policy, Optional<String> migrator) {}

  /** Accepted {@code Health} values (Green, Yellow, Red, Grey) per tier. */
  public record Health(Set<String> web, Set<String> worker) {
    public Health {
      web = Set.copyOf(web);
      worker = Set.copyOf(worker);
    }
  }

  /**
   * @param readyWait how long to wait for an environment already updating before refusing it
   * @param versionProcessing how long the application version may take to be processed
   * @param deploy how long each environment's update may take before it is aborted
   */
  public record Timeouts(Duration readyWait, Duration versionProcessing, Duration deploy) {}

  /** A Cache-Control rule for static assets: the first rule whose glob matches applies. */
  public record CacheRule(String match, String cacheControl) {}

  /** Static assets pushed to S3 (issue: static assets); absent when {@code static} is not set. */
  public record StaticAssets(
      String dir,
      String bucket,
      String prefix,
      List<CacheRule> cache,
      boolean precompressed,
      String delete,
      int keepReleases) {
    public StaticAssets {
      cache = List.copyOf(cache);
    }
  }

  /** Slack notifications: the names of the variables holding secrets, never the secrets. */
  public record Slack(String webhookEnv, String tokenEnv, Optional<String> channel) {}

  /** An RDS snapshot before the migrator deploys; empty when off. */
  public record Database(Optional<String> snapshotBeforeMigrate) {}

  /** The deploy lock. */
  public record Lock(Duration ttl) {}

  private final Optional<String> application;
  private final Optional<String> region;
  private final String regionSource;
  private final Optional<String> profile;
  private final String profileSource;
  private final String tag;
  private final Optional<Pattern> platform;
  private final List<String> build;
  private final Bundle bundle;
  private final VersionFile versionFile;
  private final Migration migration;
  private final Health health;
  private final Timeouts timeouts;
  private final Optional<StaticAssets> staticAssets;
  private final Slack slack;
  private final Database database;
  private final Lock lock;

  private DeployConfig(Builder b) {
    application = Optional.ofNullable(b.application);
    region = Optional.ofNullable(b.region);
    regionSource = b.regionSource;
    profile = Optional.ofNullable(b.profile);
    profileSource = b.profileSource;
    tag = b.tag;
    platform = Optional.ofNullable(b.platform);
    build = List.copyOf(b.build);
    bundle = b.bundle;
    versionFile = b.versionFile;
    migration = b.migration;
    health = b.health;
    timeouts = b.timeouts;
    staticAssets = Optional.ofNullable(b.staticAssets);
    slack = b.slack;
    database = b.database;
    lock = b.lock;
  }

  /** Every default, as if {@code eb-deploy.yml} were empty. */
  public static DeployConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.application = application.orElse(null);
    b.region = region.orElse(null);
    b.regionSource = regionSource;
    b.profile = profile.orElse(null);
    b.profileSource = profileSource;
    b.tag = tag;
    b.platform = platform.orElse(null);
    b.build = build;
    b.bundle = bundle;
    b.versionFile = versionFile;
    b.migration = migration;
    b.health = health;
    b.timeouts = timeouts;
    b.staticAssets = staticAssets.orElse(null);
    b.slack = slack;
    b.database = database;
    b.lock = lock;
    return b;
  }

  /** The application; empty means the one the tagged environments belong to. */
  public Optional<String> application() {
    return application;
  }

  /**
   * The AWS region; empty means the AWS chain: AWS_REGION, AWS_DEFAULT_REGION, the profile's, EC2
   * instance metadata (docs/configuration.md).
   */
  public Optional<String> region() {
    return region;
  }

  /**
   * What set {@link #region()}, as {@code -v} and {@code plan} name it: {@code eb-deploy.yml},
   * {@code EB_DEPLOY_REGION}, {@code --region}; {@code DeployConfig.region} when set in code.
   */
  public String regionSource() {
    return regionSource;
  }

  /** The AWS profile; empty means AWS_PROFILE, else {@code default}, for region and endpoints. */
  public Optional<String> profile() {
    return profile;
  }

  /** What set {@link #profile()}, like {@link #regionSource()}. */
  public String profileSource() {
    return profileSource;
  }

  /** The tag key whose value names a group. Default {@code env}. */
  public String tag() {
    return tag;
  }

  /** A regex every environment's PlatformArn must match (searched, not fully matched). */
  public Optional<Pattern> platform() {
    return platform;
  }

  /** Shell commands run in order in the project dir before bundling. */
  public List<String> build() {
    return build;
  }

  public Bundle bundle() {
    return bundle;
  }

  public VersionFile versionFile() {
    return versionFile;
  }

  public Migration migration() {
    return migration;
  }

  public Health health() {
    return health;
  }

  public Timeouts timeouts() {
    return timeouts;
  }

  public Optional<StaticAssets> staticAssets() {
    return staticAssets;
  }

  public Slack slack() {
    return slack;
  }

  public Database database() {
    return database;
  }

  public Lock lock() {
    return lock;
  }

  /** Builds a {@link DeployConfig}; unset values keep their defaults. */
  public static final class Builder {
    private String application;
    private String region;
    private String regionSource = "DeployConfig.region";
    private String profile;
    private String profileSource = "DeployConfig.profile";
    private String tag = "env";
    private Pattern platform;
    private List<String> build = List.of();
    private Bundle bundle = new Bundle(List.of(), List.of(), List.of(), false);
    private VersionFile versionFile = new VersionFile("VERSION.json", VersionFileFormat.JSON);
    private Migration migration = new Migration(MigrationPolicy.WEB_FIRST, Optional.empty());
    private Health health = new Health(Set.of("Green"), Set.of("Green", "Yellow"));
    private Timeouts timeouts =
        new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(30));
    private StaticAssets staticAssets;
    private Slack slack = new Slack("SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN", Optional.empty());
    private Database database = new Database(Optional.empty());
    private Lock lock = new Lock(Duration.ofMinutes(15));

    private Builder() {}

    public Builder application(String application) {
      this.application = application;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** The region, and what set it ({@code --region}, {@code eb-deploy.yml}...) for messages. */
    public Builder region(String region, String source) {
      this.region = region;
      this.regionSource = java.util.Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    /** The profile, and what set it, like {@link #region(String, String)}. */
    public Builder profile(String profile, String source) {
      this.profile = profile;
      this.profileSource = java.util.Objects.requireNonNull(source, "source");
      return this;
    }

    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public Builder platform(Pattern platform) {
      this.platform = platform;
      return this;
    }

    public Builder build(List<String> build) {
      this.build = List.copyOf(build);
      return this;
    }

    public Builder bundle(Bundle bundle) {
      this.bundle = bundle;
      return this;
    }

    public Builder versionFile(VersionFile versionFile) {
      this.versionFile = versionFile;
      return this;
    }

    public Builder migration(Migration migration) {
      this.migration = migration;
      return this;
    }

    public Builder health(Health health) {
      this.health = health;
      return this;
    }

    public Builder timeouts(Timeouts timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    public Builder staticAssets(StaticAssets staticAssets) {
      this.staticAssets = staticAssets;
      return this;
    }

    public Builder slack(Slack slack) {
      this.slack = slack;
      return this;
    }

    public Builder database(Database database) {
      this.database = database;
      return this;
    }

    public Builder lock(Lock lock) {
      this.lock = lock;
      return this;
    }

    public DeployConfig build() {
      return new DeployConfig(this);
    }
  }
}
