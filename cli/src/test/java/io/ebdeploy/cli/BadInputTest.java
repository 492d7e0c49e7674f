package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one case a test: each is refused with exit 2 and a message saying what and how to fix
 * it, and the sandbox's call log shows that nothing was changed (no mutating call at all).
 */
@Timeout(60)
class BadInputTest {
  static final String APP = "Iaso";
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";

  @TempDir Path tmp;
  CliSandbox sb;

  @BeforeEach
  void start() {
    sb = new CliSandbox();
    sb.group(APP, "staging", List.of(WEB), List.of(WORKER));
    sb.sandbox.clearCalls();
  }

  @AfterEach
  void stop() {
    sb.close();
  }

  private TestProject project(String yml) {
    return TestProject.create(tmp.resolve("app"), yml);
  }

  private Run deploy(TestProject p, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "deploy";
    args[1] = "staging";
    args[2] = "--project-dir=" + p.path();
    System.arraycopy(more, 0, args, 3, more.length);
    return sb.run(args);
  }

  private void assertRefused(Run r, String... fragments) {
    assertThat(r.exitCode()).as("exit code; out: %s; err: %s", r.out(), r.err()).isEqualTo(2);
    assertThat(r.err()).startsWith("eb-deploy: ").contains(fragments).doesNotContain("\tat ");
    assertThat(sb.mutatingCalls()).as("mutating calls").isEmpty();
    assertThat(sb.describe(WEB).versionLabel()).isNullOrEmpty();
  }

  @Test
  void deploy_badYaml_refusedWithFileAndLine() {
    Run r = deploy(project("timeouts: [1, 2\n"));

    assertRefused(r, "eb-deploy.yml:", "not valid YAML");
  }

  @Test
  void deploy_unknownKey_refusedWithSuggestion() {
    Run r = deploy(project("regoin: eu-west-1\n"));

    assertRefused(r, "eb-deploy.yml:1: regoin: unknown key", "did you mean 'region'");
  }

  @Test
  void deploy_wrongType_refusedNamingTheKey() {
    Run r = deploy(project("bundle:\n  staged: \"yes\"\n"));

    assertRefused(r, "eb-deploy.yml:2: bundle.staged");
  }

  @Test
  void deploy_badDuration_refusedWithExamples() {
    Run r = deploy(project("timeouts:\n  deploy: 5 minutes\n"));

    assertRefused(r, "timeouts.deploy: '5 minutes' is not a duration", "30m");
  }

  @Test
  void deploy_unknownEbDeployVariable_refusedListingTheKnownOnes() {
    TestProject p = project("# defaults\n");

    Run r =
        sb.run(
            Map.of("EB_DEPLOY_REGOIN", "eu-west-1"),
            "deploy",
            "staging",
            "--project-dir",
            p.path());

    assertRefused(r, "EB_DEPLOY_REGOIN: unknown eb-deploy variable", "EB_DEPLOY_REGION");
  }

  @Test
  void deploy_cliVariablesOfTheLauncher_notTakenForUnknownOnes() {
    TestProject p = project("# defaults\n");

    Run r =
        sb.run(
            Map.of("EB_DEPLOY_JAVA_OPTS", "-Xmx1g", "EB_DEPLOY_NO_BUILD", "1"),
            "plan",
            "staging",
            "--project-dir",
            p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void deploy_noTaggedEnvironment_refusedListingTheTagValues() {
    Run r = sb.run("deploy", "prod", "--project-dir", project("# defaults\n").path());

    assertRefused(r, "no environment is tagged env=prod", "the values of tag env are: staging");
  }

  @Test
  void deploy_groupSpansTwoApplications_refusedNamingBoth() {
    sb.application("Other");
    sb.environment("Other", "Other-staging", false, "staging");
    sb.awaitReady("Other-staging");
    sb.sandbox.clearCalls();

    Run r = deploy(project("# defaults\n"));

    assertRefused(r, "spans 2 applications", "Iaso: " + WEB, "Other: Other-staging");
  }

  @Test
  void deploy_applicationNotTheGroups_refused() {
    Run r = deploy(project("application: Billing\n"));

    assertRefused(r, "eb-deploy.yml says Billing but the group staging belongs to Iaso");
  }

  @Test
  void deploy_environmentStuckUpdating_refusedAfterReadyWait() {
    sb.eb.createApplicationVersion(b -> b.applicationName(APP).versionLabel("other"));
    sb.sandbox.inject(Fault.hang(WORKER));
    sb.eb.updateEnvironment(b -> b.environmentName(WORKER).versionLabel("other"));
    sb.sandbox.clearCalls();

    Run r = deploy(project("timeouts:\n  ready-wait: 1s\n"));

    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains(WORKER + " is Updating, not Ready, after waiting 1s (timeouts.ready-wait)")
        .contains("abort-environment-update --environment-name " + WORKER);
    assertThat(sb.mutatingCalls()).isEmpty();
    assertThat(r.out()).contains(WORKER + "  Updating  not Ready: waiting");
  }

  @Test
  void deploy_secretFile_refusedNamingIt() {
    TestProject p = project("# defaults\n");
    p.write(".env", "DATABASE_PASSWORD=hunter2\n").commit("oops");

    Run r = deploy(p);

    assertRefused(r, ".env");
    assertThat(r.err()).doesNotContain("hunter2");
  }

  @Test
  void deploy_privateKeyInAFile_refusedWithoutPrintingIt() {
    TestProject p = project("# defaults\n");
    p.write(
            "settings.py",
            "KEY = '''-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAzzz\n"
                + "-----END RSA PRIVATE KEY-----'''\n")
        .commit("oops");

    Run r = deploy(p);

    assertRefused(r, "settings.py", "private key");
    assertThat(r.err()).doesNotContain("MIIEowIBAAKCAQEAzzz");
  }

  @Test
  void deploy_symlinkEscapingTheProject_refusedNamingIt() {
    TestProject p = project("# defaults\n");
    p.symlink("static/etc", "../../../etc").commit("link");

    Run r = deploy(p);

    assertRefused(r, "symlinks that point outside the project", "static/etc");
  }

  @Test
  void deploy_labelClash_sameLabelOtherBytesRefused() {
    TestProject p = project("# defaults\n");
    Run first = deploy(p, "--label", "release-1");
    assertThat(first.exitCode()).as(first.err()).isZero();
    p.write("application.py", "# changed\n").commit("change");
    sb.sandbox.clearCalls();

    Run r = deploy(p, "--label", "release-1");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("application version release-1 of Iaso already exists with another bundle");
    assertThat(sb.mutatingCalls()).isEmpty();
    assertThat(sb.describe(WEB).versionLabel()).isEqualTo("release-1");
  }

  @Test
  void deploy_platformMismatch_refusedNamingEachEnvironment() {
    Run r = deploy(project("platform: Docker\n"));

    assertRefused(r, "platform: " + WEB + " runs arn:aws:elasticbeanstalk:", "\"Docker\"");
  }

  @Test
  void deploy_buildCommandFails_refusedWithItsOutput() {
    Run r = deploy(project("build:\n  - echo compiling; echo broken >&2; exit 3\n"));

    assertRefused(r, "failed with exit code 3", "nothing was bundled or deployed", "broken");
  }

  @Test
  void deploy_migratorNotInGroup_refusedListingTheEnvironments() {
    Run r = deploy(project("migration:\n  migrator: Iaso-prod\n"));

    assertRefused(r, "migration.migrator: Iaso-prod is not in the group", WEB);
  }

  @Test
  void deploy_migratorIsAWorker_refused() {
    Run r = deploy(project("migration:\n  migrator: " + WORKER + "\n"));

    assertRefused(r, WORKER + " is a worker environment");
  }

  @Test
  void deploy_invalidLabel_refusedWithAFix() {
    Run r = deploy(project("# defaults\n"), "--label", "feature/login");

    assertRefused(r, "version label 'feature/login' contains '/'", "feature-login");
  }

  @Test
  void deploy_notAGitRepository_refused() throws Exception {
    Path dir = tmp.resolve("plain");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.py"), "print('hi')\n");

    Run r = sb.run("deploy", "staging", "--project-dir", dir.toString());

    assertRefused(r, "is not in a git repository", "--label");
  }

  @Test
  void deploy_badOutputValue_refusedListingTheChoices() {
    Run r = deploy(project("# defaults\n"), "--output", "yaml");

    assertThat(sb.sandbox.calls()).as("no call at all").isEmpty();
    assertRefused(r, "--output", "yaml", "text, json");
  }

  @Test
  void deploy_badEndpointUrl_refused() {
    TestProject p = project("# defaults\n");

    Run r =
        CliSandbox.execute(
            CliSandbox.context(Map.of()),
            "deploy",
            "staging",
            "--project-dir",
            p.path(),
            "--endpoint-url",
            "ftp://user:secret@example.com");

    assertRefused(r, "--endpoint-url", "must be an http(s) URL");
    assertThat(r.err()).doesNotContain("secret");
  }

  @Test
  void deploy_projectDirMissing_refused() {
    Run r = sb.run("deploy", "staging", "--project-dir", tmp.resolve("nope").toString());

    assertRefused(r, "the project directory", "does not exist");
  }

  @Test
  void deploy_reportDirectoryMissing_refusedBeforeAnything() {
    TestProject p = project("# defaults\n");

    Run r = deploy(p, "--report", tmp.resolve("no/such/dir/r.json").toString());

    assertThat(sb.sandbox.calls()).as("no call at all").isEmpty();
    assertRefused(r, "--report", "does not exist");
  }

  @Test
  void deploy_noGroup_refusedWithUsage() {
    Run r = sb.run("deploy");

    assertRefused(r, "Missing required parameter: 'GROUP'");
  }
}
