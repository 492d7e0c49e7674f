package io.ebdeploy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.ConfigException;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployConfig.CacheRule;
import io.ebdeploy.api.DeployConfig.MigrationPolicy;
import io.ebdeploy.api.DeployConfig.VersionFileFormat;
import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static final String FULL =
      """
      application: Iaso            # a comment
      region: eu-central-1
      profile: deploy
      tag: group
      platform: "Python 3\\\\.11"
      build:
        - npm ci
        - npm run webpack-prod
      bundle:
        include: [hat/assets/webpack/**]
        exclude: [docs/]
        allow-secrets: [certs/rds-ca.pem]
        staged: true
      version-file:
        path: iaso/version.py
        format: python
      migration:
        policy: parallel
        migrator: Iaso-staging2
      health:
        web: [Green, yellow]
        worker: Grey
      timeouts:
        ready-wait: 90s
        version-processing: PT2M
        deploy: 1h30m
      static:
        dir: public
        bucket: iaso-static
        prefix: assets
        cache:
          - match: "**/*.js"
            cache-control: "public, max-age=60"
        precompressed: true
        delete: never
        keep-releases: 5
      slack:
        webhook-env: HOOK
        token-env: TOKEN
        channel: "#deploys"
      database:
        snapshot-before-migrate: iaso-db
      lock:
        ttl: 20m
      """;

  @Test
  void load_noFile_returnsDefaults() {
    DeployConfig config = ConfigLoader.load(dir, Map.of());

    assertThat(config.application()).isEmpty();
    assertThat(config.region()).isEmpty();
    assertThat(config.profile()).isEmpty();
    assertThat(config.tag()).isEqualTo("env");
    assertThat(config.platform()).isEmpty();
    assertThat(config.build()).isEmpty();
    assertThat(config.bundle())
        .isEqualTo(new DeployConfig.Bundle(List.of(), List.of(), List.of(), false));
    assertThat(config.versionFile().path()).isEqualTo("VERSION.json");
    assertThat(config.versionFile().format()).isEqualTo(VersionFileFormat.JSON);
    assertThat(config.migration().policy()).isEqualTo(MigrationPolicy.WEB_FIRST);
    assertThat(config.migration().migrator()).isEmpty();
    assertThat(config.health().web()).containsExactly("Green");
    assertThat(config.health().worker()).containsExactlyInAnyOrder("Green", "Yellow");
    assertThat(config.timeouts().readyWait()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.timeouts().versionProcessing()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.timeouts().deploy()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.staticAssets()).isEmpty();
    assertThat(config.slack().webhookEnv()).isEqualTo("SLACK_WEBHOOK_URL");
    assertThat(config.slack().tokenEnv()).isEqualTo("SLACK_BOT_TOKEN");
    assertThat(config.slack().channel()).isEmpty();
    assertThat(config.database().snapshotBeforeMigrate()).isEmpty();
    assertThat(config.lock().ttl()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void load_emptyOrCommentOnlyFile_returnsDefaults() throws IOException {
    write("# nothing yet\n");

    DeployConfig config = ConfigLoader.load(dir, Map.of());

    assertThat(config.tag()).isEqualTo("env");
    assertThat(config.timeouts().deploy()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void load_everyKey_readsEveryValue() throws IOException {
    write(FULL);

    DeployConfig c = ConfigLoader.load(dir, Map.of());

    assertThat(c.application()).contains("Iaso");
    assertThat(c.region()).contains("eu-central-1");
    assertThat(c.profile()).contains("deploy");
    assertThat(c.tag()).isEqualTo("group");
    assertThat(c.platform().orElseThrow().pattern()).isEqualTo("Python 3\\.11");
    assertThat(c.build()).containsExactly("npm ci", "npm run webpack-prod");
    assertThat(c.bundle().include()).containsExactly("hat/assets/webpack/**");
    assertThat(c.bundle().exclude()).containsExactly("docs/");
    assertThat(c.bundle().allowSecrets()).containsExactly("certs/rds-ca.pem");
    assertThat(c.bundle().staged()).isTrue();
    assertThat(c.versionFile().path()).isEqualTo("iaso/version.py");
    assertThat(c.versionFile().format()).isEqualTo(VersionFileFormat.PYTHON);
    assertThat(c.migration().policy()).isEqualTo(MigrationPolicy.PARALLEL);
    assertThat(c.migration().migrator()).contains("Iaso-staging2");
    assertThat(c.health().web()).containsExactlyInAnyOrder("Green", "Yellow");
    assertThat(c.health().worker()).containsExactly("Grey");
    assertThat(c.timeouts().readyWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.timeouts().versionProcessing()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.timeouts().deploy()).isEqualTo(Duration.ofMinutes(90));
    DeployConfig.StaticAssets s = c.staticAssets().orElseThrow();
    assertThat(s.dir()).isEqualTo("public");
    assertThat(s.bucket()).isEqualTo("iaso-static");
    assertThat(s.prefix()).isEqualTo("assets");
    assertThat(s.cache()).containsExactly(new CacheRule("**/*.js", "public, max-age=60"));
    assertThat(s.precompressed()).isTrue();
    assertThat(s.delete()).isEqualTo("never");
    assertThat(s.keepReleases()).isEqualTo(5);
    assertThat(c.slack().webhookEnv()).isEqualTo("HOOK");
    assertThat(c.slack().tokenEnv()).isEqualTo("TOKEN");
    assertThat(c.slack().channel()).contains("#deploys");
    assertThat(c.database().snapshotBeforeMigrate()).contains("iaso-db");
    assertThat(c.lock().ttl()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void load_partialSectionsAndNulls_keepDefaults() throws IOException {
    write(
        """
        application:
        timeouts:
          deploy: 45m
        static:
          bucket: assets
        bundle:
          include: dist/**
        """);

    DeployConfig c = ConfigLoader.load(dir, Map.of());

    assertThat(c.application()).isEmpty();
    assertThat(c.timeouts().deploy()).isEqualTo(Duration.ofMinutes(45));
    assertThat(c.timeouts().readyWait()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.staticAssets().orElseThrow().cache()).isEqualTo(ConfigLoader.DEFAULT_CACHE);
    assertThat(c.staticAssets().orElseThrow().keepReleases()).isEqualTo(3);
    assertThat(c.staticAssets().orElseThrow().prefix()).isEqualTo("static");
    assertThat(c.bundle().include()).containsExactly("dist/**");
  }

  @Test
  void load_anchorsAndAliases_resolveToTheAnchoredValue() throws IOException {
    write("health:\n  web: &ok [Green, Yellow]\n  worker: *ok\n");

    DeployConfig c = ConfigLoader.load(dir, Map.of());

    assertThat(c.health().worker()).containsExactlyInAnyOrder("Green", "Yellow");
  }

  @ParameterizedTest
  @CsvSource({
    "PT5M, 300",
    "pt1h, 3600",
    "30m, 1800",
    "90s, 90",
    "2h, 7200",
    "1h30m, 5400",
    "1m30s, 90"
  })
  void duration_acceptedSpellings_parse(String text, long seconds) {
    assertThat(Values.duration(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          unknown top key           | application: a\\nregoin: eu           | 2 | regoin                  | did you mean 'region'
          unknown nested key        | bundle:\\n  stagged: true           | 2 | bundle.stagged          | allowed in bundle are
          boolean given as text     | bundle:\\n  staged: 'yes'           | 2 | bundle.staged           | expected true or false, got text 'yes'
          unknown health            | health:\\n  web: [Green, Blue]      | 2 | health.web[1]           | 'Blue' is not a Beanstalk health
          bad duration              | timeouts:\\n  deploy: 5 minutes     | 2 | timeouts.deploy         | not a duration
          zero duration             | lock:\\n  ttl: 0s                   | 2 | lock.ttl                | longer than zero
          regex that does not compile | platform: 'Python ('             | 1 | platform                | 'Python (' is not a valid regular expression
          unknown policy            | migration:\\n  policy: rolling      | 2 | migration.policy        | 'rolling' is not one of
          unknown format            | version-file:\\n  format: yaml      | 2 | version-file.format     | 'yaml' is not one of
          version file outside      | version-file:\\n  path: ../v.json   | 2 | version-file.path       | must not leave the project
          mapping where a list goes | build:\\n  cmd: make                | 2 | build                   | expected a list, got a mapping
          list where a mapping goes | bundle: [a]                        | 1 | bundle                  | expected a mapping
          duplicate key             | tag: a\\ntag: b                     | 2 | tag                     | duplicate key (first at line 1)
          boolean where text goes   | application: true                  | 1 | application             | expected text, got boolean 'true'; quote it
          static without bucket     | static:\\n  dir: public             | 2 | static.bucket           | is required
          keep-releases too small   | static:\\n  bucket: bkt\\n  keep-releases: 0 | 3 | static.keep-releases | at least 1
          keep-releases as text     | static:\\n  bucket: bkt\\n  keep-releases: many | 3 | static.keep-releases | expected a whole number
          cache rule without match  | static:\\n  bucket: bkt\\n  cache:\\n    - cache-control: x | 4 | static.cache[0].match | is required
          cache glob bad quantifier | static:\\n  bucket: bkt\\n  cache:\\n    - match: 'x{8,}'\\n      cache-control: x | 4 | static.cache[0].match | must follow a character class
          cache glob unclosed class | static:\\n  bucket: bkt\\n  cache:\\n    - cache-control: x\\n      match: '*.[0-9'  | 5 | static.cache[0].match | never closed
          cache glob bad **         | static:\\n  bucket: bkt\\n  cache:\\n    - {match: 'a**', cache-control: x} | 4 | static.cache[0].match | whole path segment
          bucket given as a URL     | static:\\n  bucket: s3://my-bucket | 2 | static.bucket           | is not an S3 bucket name
          prefix with empty segment | static:\\n  bucket: bkt\\n  prefix: a//b | 3 | static.prefix | empty
          bad variable name         | slack:\\n  webhook-env: my-hook     | 2 | slack.webhook-env       | not an environment variable name
          glob leaving the project  | bundle:\\n  include: [../x/**]      | 2 | bundle.include[0]       | must not leave the project
          """)
  void load_badInput_namesFileLineAndKey(
      String name, String yaml, int line, String key, String problem) throws IOException {
    Path file = write(yaml.replace("\\n", "\n") + "\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

    assertThat(e).as(name).isNotNull();
    assertThat(e.file()).isEqualTo(file);
    assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
    assertThat(e.key()).isEqualTo(key);
    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage()).startsWith(file + ":" + line + ": " + key + ": ").contains(problem);
  }

  @Test
  void load_yamlSyntaxError_namesFileAndLine() throws IOException {
    Path file = write("application: a\nbuild: [npm ci\ntag: env\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

    assertThat(e.file()).isEqualTo(file);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).startsWith(file + ":3: not valid YAML");
  }

  @Test
  void load_tabIndentation_namesFileAndLine() throws IOException {
    Path file = write("bundle:\n\tstaged: true\n");

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));

    assertThat(e.getMessage()).startsWith(file + ":2: not valid YAML");
  }

  @Test
  void load_twoDocuments_refused() throws IOException {
    write("tag: a\n---\ntag: b\n");

    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void load_yamlExtension_toldToRename() throws IOException {
    Files.writeString(dir.resolve("eb-deploy.yaml"), "tag: a\n");

    assertThatThrownBy(() -> ConfigLoader.load(dir, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rename the file to eb-deploy.yml");
  }

  @Test
  void load_environmentVariables_overrideTheFile() throws IOException {
    write(FULL);
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("EB_DEPLOY_APPLICATION", "Other"),
            Map.entry("EB_DEPLOY_REGION", "us-east-1"),
            Map.entry("EB_DEPLOY_PROFILE", "ci"),
            Map.entry("EB_DEPLOY_TAG", "stage"),
            Map.entry("EB_DEPLOY_PLATFORM", "Docker"),
            Map.entry("EB_DEPLOY_MIGRATION_POLICY", "web-first"),
            Map.entry("EB_DEPLOY_MIGRATOR", "web-2"),
            Map.entry("EB_DEPLOY_TIMEOUT_READY_WAIT", "1m"),
            Map.entry("EB_DEPLOY_TIMEOUT_VERSION_PROCESSING", "PT3M"),
            Map.entry("EB_DEPLOY_TIMEOUT_DEPLOY", "10m"),
            Map.entry("EB_DEPLOY_LOCK_TTL", "1h"),
            Map.entry("EB_DEPLOY_HEALTH_WEB", "Green"),
            Map.entry("EB_DEPLOY_HEALTH_WORKER", "green, yellow,Red"),
            Map.entry("EB_DEPLOY_BUNDLE_STAGED", "false"),
            Map.entry("EB_DEPLOY_VERSION_FILE", "VERSION.env"),
            Map.entry("EB_DEPLOY_VERSION_FILE_FORMAT", "env"),
            Map.entry("EB_DEPLOY_SLACK_CHANNEL", "#ops"),
            Map.entry("PATH", "/usr/bin"));

    DeployConfig c = ConfigLoader.load(dir, env);

    assertThat(c.application()).contains("Other");
    assertThat(c.region()).contains("us-east-1");
    assertThat(c.profile()).contains("ci");
    assertThat(c.tag()).isEqualTo("stage");
    assertThat(c.platform().orElseThrow().pattern()).isEqualTo("Docker");
    assertThat(c.migration().policy()).isEqualTo(MigrationPolicy.WEB_FIRST);
    assertThat(c.migration().migrator()).contains("web-2");
    assertThat(c.timeouts())
        .isEqualTo(
            new DeployConfig.Timeouts(
                Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(10)));
    assertThat(c.lock().ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.health().web()).containsExactly("Green");
    assertThat(c.health().worker()).containsExactlyInAnyOrder("Green", "Yellow", "Red");
    assertThat(c.bundle().staged()).isFalse();
    assertThat(c.bundle().include()).containsExactly("hat/assets/webpack/**");
    assertThat(c.versionFile())
        .isEqualTo(new DeployConfig.VersionFile("VERSION.env", VersionFileFormat.ENV));
    assertThat(c.slack().channel()).contains("#ops");
    assertThat(c.slack().webhookEnv()).isEqualTo("HOOK");
    assertThat(ConfigLoader.environmentVariables())
        .containsAll(env.keySet().stream().filter(k -> k.startsWith("EB_")).toList());
  }

  @Test
  void load_emptyVariable_countsAsUnset() throws IOException {
    write("region: eu-west-1\n");

    DeployConfig c = ConfigLoader.load(dir, Map.of("EB_DEPLOY_REGION", ""));

    assertThat(c.region()).contains("eu-west-1");
  }

  @ParameterizedTest
  @CsvSource({
    "EB_DEPLOY_TIMEOUT_DEPLOY, soon, not a duration",
    "EB_DEPLOY_PLATFORM, '[', not a valid regular expression",
    "EB_DEPLOY_MIGRATION_POLICY, rolling, is not one of parallel, web-first",
    "EB_DEPLOY_HEALTH_WEB, 'Green,Blue', is not a Beanstalk health",
    "EB_DEPLOY_BUNDLE_STAGED, maybe, not true or false",
    "EB_DEPLOY_REGOIN, eu-west-1, unknown eb-deploy variable"
  })
  void load_badVariable_namesTheVariable(String variable, String value, String problem) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.load(dir, Map.of(variable, value)));

    assertThat(e.file()).isNull();
    assertThat(e.key()).isEqualTo(variable);
    assertThat(e.getMessage()).startsWith(variable + ": ").contains(problem);
  }

  @Test
  void toBuilder_flagsAppliedByTheCli_overrideEverything() throws IOException {
    write("region: eu-west-1\n");
    DeployConfig fromFileAndEnv = ConfigLoader.load(dir, Map.of("EB_DEPLOY_TAG", "stage"));

    DeployConfig withFlags = fromFileAndEnv.toBuilder().region("ap-south-1").build();

    assertThat(withFlags.region()).contains("ap-south-1");
    assertThat(withFlags.tag()).isEqualTo("stage");
    assertThat(withFlags.health().web()).isEqualTo(Set.of("Green"));
    assertThat(withFlags.migration().migrator()).isEqualTo(Optional.empty());
  }

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("eb-deploy.yml"), yaml);
  }

  @Test
  void values_headerValue_refusesLineBreaksAndControlCharacters() {
    assertThat(Values.headerValue(" public, max-age=60 ")).isEqualTo("public, max-age=60");
    assertThatThrownBy(() -> Values.headerValue("public\r\nX-Evil: 1"))
        .hasMessageContaining("line break");
    assertThatThrownBy(() -> Values.headerValue("a\u0007b")).hasMessageContaining("control");
  }

  @Test
  void load_staticPrefixSlash_meansTheBucketsRoot() throws IOException {
    write("static:\n  bucket: iaso-static\n  prefix: /\n");

    DeployConfig c = ConfigLoader.load(dir, Map.of());

    assertThat(io.ebdeploy.assets.StaticSync.normalizePrefix(c.staticAssets().get().prefix()))
        .isEmpty();
  }
}
