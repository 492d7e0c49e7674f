package io.ebdeploy.config;

import io.ebdeploy.api.ConfigException;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployConfig.Bundle;
import io.ebdeploy.api.DeployConfig.CacheRule;
import io.ebdeploy.api.DeployConfig.Database;
import io.ebdeploy.api.DeployConfig.Health;
import io.ebdeploy.api.DeployConfig.Lock;
import io.ebdeploy.api.DeployConfig.Migration;
import io.ebdeploy.api.DeployConfig.MigrationPolicy;
import io.ebdeploy.api.DeployConfig.Slack;
import io.ebdeploy.api.DeployConfig.StaticAssets;
import io.ebdeploy.api.DeployConfig.Timeouts;
import io.ebdeploy.api.DeployConfig.VersionFile;
import io.ebdeploy.api.DeployConfig.VersionFileFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a project's {@code eb-deploy.yml} into a {@link DeployConfig}, then applies the {@code
 * EB_DEPLOY_*} environment variables on top. Every key is optional; docs/configuration.md lists
 * each with its default. Unknown keys, wrong types and bad values are {@link ConfigException}s
 * naming file, line and key (or the variable). Command-line flags are applied afterwards by the
 * front end, through {@link DeployConfig#toBuilder()}.
 *
 * <p>Environment variables (an empty value counts as unset; an unknown {@code EB_DEPLOY_*} name is
 * an error, so that a typo does not go unnoticed):
 *
 * <ul>
 *   <li>{@code EB_DEPLOY_APPLICATION}, {@code EB_DEPLOY_REGION}, {@code EB_DEPLOY_PROFILE}, {@code
 *       EB_DEPLOY_TAG}, {@code EB_DEPLOY_PLATFORM}
 *   <li>{@code EB_DEPLOY_MIGRATION_POLICY}, {@code EB_DEPLOY_MIGRATOR}
 *   <li>{@code EB_DEPLOY_TIMEOUT_READY_WAIT}, {@code EB_DEPLOY_TIMEOUT_VERSION_PROCESSING}, {@code
 *       EB_DEPLOY_TIMEOUT_DEPLOY}, {@code EB_DEPLOY_LOCK_TTL}
 *   <li>{@code EB_DEPLOY_HEALTH_WEB}, {@code EB_DEPLOY_HEALTH_WORKER} (comma-separated)
 *   <li>{@code EB_DEPLOY_BUNDLE_STAGED} (true/false), {@code EB_DEPLOY_VERSION_FILE}, {@code
 *       EB_DEPLOY_VERSION_FILE_FORMAT}, {@code EB_DEPLOY_SLACK_CHANNEL}
 * </ul>
 */
public final class ConfigLoader {
  /** The configuration file, at the root of the project. */
  public static final String FILE_NAME = "eb-deploy.yml";

  /** The prefix of the variables that override the file. */
  public static final String ENV_PREFIX = "EB_DEPLOY_";

  private static final Set<String> ROOT_KEYS =
      keys(
          "application",
          "region",
          "profile",
          "tag",
          "platform",
          "build",
          "bundle",
          "version-file",
          "migration",
          "health",
          "timeouts",
          "static",
          "slack",
          "database",
          "lock");

  private static final Function<String, MigrationPolicy> POLICY =
      Values.choice(
          Map.of("web-first", MigrationPolicy.WEB_FIRST, "parallel", MigrationPolicy.PARALLEL));
  private static final Function<String, VersionFileFormat> FORMAT =
      Values.choice(
          Map.of(
              "json", VersionFileFormat.JSON,
              "env", VersionFileFormat.ENV,
              "python", VersionFileFormat.PYTHON));
  private static final Function<String, String> DELETE =
      Values.choice(Map.of("after-release", "after-release", "never", "never"));

  /** The cache rules when {@code static.cache} is absent: fingerprinted files forever. */
  static final List<CacheRule> DEFAULT_CACHE =
      List.of(
          new CacheRule("**/*.[0-9a-f]{8,}.*", "public, max-age=31536000, immutable"),
          new CacheRule("**", "public, max-age=300"));

  /** One environment variable: what it overrides and how. */
  private record Override(
      String variable, String key, BiFunction<DeployConfig, String, DeployConfig> apply) {}

  private static final List<Override> OVERRIDES =
      List.of(
          new Override(
              "EB_DEPLOY_APPLICATION",
              "application",
              (c, v) -> c.toBuilder().application(Values.nonBlank(v)).build()),
          new Override(
              "EB_DEPLOY_REGION",
              "region",
              (c, v) -> c.toBuilder().region(v.trim(), "EB_DEPLOY_REGION").build()),
          new Override(
              "EB_DEPLOY_PROFILE",
              "profile",
              (c, v) -> c.toBuilder().profile(v.trim(), "EB_DEPLOY_PROFILE").build()),
          new Override("EB_DEPLOY_TAG", "tag", (c, v) -> c.toBuilder().tag(tagKey(v)).build()),
          new Override(
              "EB_DEPLOY_PLATFORM",
              "platform",
              (c, v) -> c.toBuilder().platform(Values.regex(v)).build()),
          new Override(
              "EB_DEPLOY_MIGRATION_POLICY",
              "migration.policy",
              (c, v) ->
                  c.toBuilder()
                      .migration(new Migration(POLICY.apply(v), c.migration().migrator()))
                      .build()),
          new Override(
              "EB_DEPLOY_MIGRATOR",
              "migration.migrator",
              (c, v) ->
                  c.toBuilder()
                      .migration(new Migration(c.migration().policy(), Optional.of(v.trim())))
                      .build()),
          new Override(
              "EB_DEPLOY_TIMEOUT_READY_WAIT",
              "timeouts.ready-wait",
              (c, v) -> withTimeouts(c, Values.duration(v), null, null)),
          new Override(
              "EB_DEPLOY_TIMEOUT_VERSION_PROCESSING",
              "timeouts.version-processing",
              (c, v) -> withTimeouts(c, null, Values.duration(v), null)),
          new Override(
              "EB_DEPLOY_TIMEOUT_DEPLOY",
              "timeouts.deploy",
              (c, v) -> withTimeouts(c, null, null, Values.duration(v))),
          new Override(
              "EB_DEPLOY_LOCK_TTL",
              "lock.ttl",
              (c, v) -> c.toBuilder().lock(new Lock(Values.duration(v))).build()),
          new Override(
              "EB_DEPLOY_HEALTH_WEB",
              "health.web",
              (c, v) ->
                  c.toBuilder()
                      .health(
                          new Health(
                              Set.copyOf(Values.commaList(v, Values::health)), c.health().worker()))
                      .build()),
          new Override(
              "EB_DEPLOY_HEALTH_WORKER",
              "health.worker",
              (c, v) ->
                  c.toBuilder()
                      .health(
                          new Health(
                              c.health().web(), Set.copyOf(Values.commaList(v, Values::health))))
                      .build()),
          new Override(
              "EB_DEPLOY_BUNDLE_STAGED",
              "bundle.staged",
              (c, v) -> {
                Bundle b = c.bundle();
                return c.toBuilder()
                    .bundle(new Bundle(b.include(), b.exclude(), b.allowSecrets(), Values.bool(v)))
                    .build();
              }),
          new Override(
              "EB_DEPLOY_VERSION_FILE",
              "version-file.path",
              (c, v) ->
                  c.toBuilder()
                      .versionFile(
                          new VersionFile(Values.relativePath(v), c.versionFile().format()))
                      .build()),
          new Override(
              "EB_DEPLOY_VERSION_FILE_FORMAT",
              "version-file.format",
              (c, v) ->
                  c.toBuilder()
                      .versionFile(new VersionFile(c.versionFile().path(), FORMAT.apply(v)))
                      .build()),
          new Override(
              "EB_DEPLOY_SLACK_CHANNEL",
              "slack.channel",
              (c, v) ->
                  c.toBuilder()
                      .slack(
                          new Slack(
                              c.slack().webhookEnv(), c.slack().tokenEnv(), Optional.of(v.trim())))
                      .build()));

  private ConfigLoader() {}

  /**
   * The project's configuration: {@code projectDir/eb-deploy.yml} if present (absent means every
   * default), then {@code env}'s {@code EB_DEPLOY_*} variables.
   *
   * @param env the process environment ({@code System.getenv()}), passed in for testability
   * @throws ConfigException naming file, line and key, or the variable
   */
  public static DeployConfig load(Path projectDir, Map<String, String> env) {
    Path file = projectDir.resolve(FILE_NAME);
    DeployConfig config;
    if (Files.isRegularFile(file)) {
      config = parse(file).map(root -> fromYaml(file, root)).orElseGet(DeployConfig::defaults);
    } else {
      Path yaml = projectDir.resolve("eb-deploy.yaml");
      if (Files.exists(yaml)) {
        throw new ConfigException(
            yaml, 0, null, "eb-deploy reads " + FILE_NAME + "; rename the file to " + FILE_NAME);
      }
      config = DeployConfig.defaults();
    }
    return applyEnvironment(config, env);
  }

  /** The names of every {@code EB_DEPLOY_*} variable the loader understands. */
  public static Set<String> environmentVariables() {
    Set<String> names = new LinkedHashSet<>();
    OVERRIDES.forEach(o -> names.add(o.variable()));
    return names;
  }

  static DeployConfig applyEnvironment(DeployConfig config, Map<String, String> env) {
    Set<String> known = environmentVariables();
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(ENV_PREFIX) && !known.contains(name)) {
        throw new ConfigException(
            null,
            0,
            name,
            "unknown eb-deploy variable; the known ones are "
                + String.join(", ", known)
                + " (unset it, or fix its name)");
      }
    }
    DeployConfig result = config;
    for (Override override : OVERRIDES) {
      String value = env.get(override.variable());
      if (value == null || value.isBlank()) {
        continue;
      }
      try {
        result = override.apply().apply(result, value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            null,
            0,
            override.variable(),
            e.getMessage() + " (it overrides " + override.key() + ")");
      }
    }
    return result;
  }

  /** The file's root node; empty for a file without a document (empty or only comments). */
  private static Optional<Node> parse(Path file) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file.toString())
            .setSchema(new CoreSchema())
            .setUseMarks(true)
            .build();
    try (InputStream in = Files.newInputStream(file)) {
      return new Compose(settings).composeInputStream(in);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(-1) + 1;
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      throw new ConfigException(
          file, line, null, "not valid YAML: " + context + e.getProblem().strip());
    } catch (YamlEngineException e) {
      throw new ConfigException(file, 0, null, "not valid YAML: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(file, 0, null, "cannot be read: " + e);
    }
  }

  private static DeployConfig fromYaml(Path file, Node root) {
    DeployConfig defaults = DeployConfig.defaults();
    Section top = Section.root(file, root, ROOT_KEYS);
    DeployConfig.Builder b = DeployConfig.builder();
    top.scalar("application", Values::nonBlank).ifPresent(b::application);
    top.scalar("region", Values::nonBlank)
        .ifPresent(r -> b.region(r, file.getFileName().toString()));
    top.scalar("profile", Values::nonBlank)
        .ifPresent(p -> b.profile(p, file.getFileName().toString()));
    top.scalar("tag", ConfigLoader::tagKey).ifPresent(b::tag);
    top.scalar("platform", Values::regex).ifPresent(b::platform);
    top.list("build", Values::nonBlank).ifPresent(b::build);
    top.section("bundle", keys("include", "exclude", "allow-secrets", "staged"))
        .ifPresent(s -> b.bundle(bundle(s, defaults.bundle())));
    top.section("version-file", keys("path", "format"))
        .ifPresent(
            s ->
                b.versionFile(
                    new VersionFile(
                        s.scalar("path", Values::relativePath)
                            .orElse(defaults.versionFile().path()),
                        s.scalar("format", FORMAT).orElse(defaults.versionFile().format()))));
    top.section("migration", keys("policy", "migrator"))
        .ifPresent(
            s ->
                b.migration(
                    new Migration(
                        s.scalar("policy", POLICY).orElse(defaults.migration().policy()),
                        s.scalar("migrator", Values::nonBlank))));
    top.section("health", keys("web", "worker"))
        .ifPresent(
            s ->
                b.health(
                    new Health(
                        healthSet(s, "web").orElse(defaults.health().web()),
                        healthSet(s, "worker").orElse(defaults.health().worker()))));
    top.section("timeouts", keys("ready-wait", "version-processing", "deploy"))
        .ifPresent(
            s ->
                b.timeouts(
                    new Timeouts(
                        s.scalar("ready-wait", Values::duration)
                            .orElse(defaults.timeouts().readyWait()),
                        s.scalar("version-processing", Values::duration)
                            .orElse(defaults.timeouts().versionProcessing()),
                        s.scalar("deploy", Values::duration)
                            .orElse(defaults.timeouts().deploy()))));
    top.section(
            "static",
            keys("dir", "bucket", "prefix", "cache", "precompressed", "delete", "keep-releases"))
        .ifPresent(s -> b.staticAssets(staticAssets(s)));
    top.section("slack", keys("webhook-env", "token-env", "channel"))
        .ifPresent(
            s ->
                b.slack(
                    new Slack(
                        s.scalar("webhook-env", Values::envName)
                            .orElse(defaults.slack().webhookEnv()),
                        s.scalar("token-env", Values::envName).orElse(defaults.slack().tokenEnv()),
                        s.scalar("channel", Values::nonBlank))));
    top.section("database", keys("snapshot-before-migrate"))
        .ifPresent(
            s -> b.database(new Database(s.scalar("snapshot-before-migrate", Values::nonBlank))));
    top.section("lock", keys("ttl"))
        .ifPresent(
            s -> b.lock(new Lock(s.scalar("ttl", Values::duration).orElse(defaults.lock().ttl()))));
    return b.build();
  }

  private static Bundle bundle(Section s, Bundle defaults) {
    return new Bundle(
        s.list("include", Values::glob).orElse(defaults.include()),
        s.list("exclude", Values::glob).orElse(defaults.exclude()),
        s.list("allow-secrets", Values::glob).orElse(defaults.allowSecrets()),
        s.bool("staged").orElse(defaults.staged()));
  }

  private static Optional<Set<String>> healthSet(Section s, String key) {
    Optional<List<String>> values = s.list(key, Values::health);
    if (values.isPresent() && values.get().isEmpty()) {
      throw s.error(key, "names no health; list at least one of Green, Yellow, Red, Grey");
    }
    return values.map(Set::copyOf);
  }

  private static StaticAssets staticAssets(Section s) {
    String bucket =
        s.scalar("bucket", Values::bucket)
            .orElseThrow(
                () ->
                    s.error(
                        "bucket", "is required when 'static' is set: the S3 bucket to push to"));
    int keep = s.integer("keep-releases").orElse(3);
    if (keep < 1) {
      throw s.error(
          "keep-releases", keep + " is too small; keep at least 1 (a rollback needs the previous)");
    }
    List<CacheRule> cache =
        s.sections("cache", keys("match", "cache-control"))
            .map(
                rules ->
                    rules.stream()
                        .map(
                            r ->
                                new CacheRule(
                                    r.scalar("match", Values::assetGlob)
                                        .orElseThrow(() -> r.error("match", "is required")),
                                    r.scalar("cache-control", Values::headerValue)
                                        .orElseThrow(
                                            () -> r.error("cache-control", "is required"))))
                        .toList())
            .orElse(DEFAULT_CACHE);
    return new StaticAssets(
        s.scalar("dir", Values::relativePath).orElse("static"),
        bucket,
        s.scalar("prefix", Values::keyPrefix).orElse("static"),
        cache,
        s.bool("precompressed").orElse(false),
        s.scalar("delete", DELETE).orElse("after-release"),
        keep);
  }

  /** A tag key: 1 to 128 characters, as AWS allows. */
  private static String tagKey(String value) {
    String key = Values.nonBlank(value).trim();
    if (key.length() > 128) {
      throw new IllegalArgumentException(
          "is " + key.length() + " characters long; AWS tag keys have at most 128");
    }
    return key;
  }

  /** The config with the given timeouts replaced; null keeps the current one. */
  private static DeployConfig withTimeouts(
      DeployConfig c, Duration readyWait, Duration versionProcessing, Duration deploy) {
    Timeouts t = c.timeouts();
    return c.toBuilder()
        .timeouts(
            new Timeouts(
                readyWait != null ? readyWait : t.readyWait(),
                versionProcessing != null ? versionProcessing : t.versionProcessing(),
                deploy != null ? deploy : t.deploy()))
        .build();
  }

  private static Set<String> keys(String... keys) {
    return new HashSet<>(List.of(keys));
  }
}
