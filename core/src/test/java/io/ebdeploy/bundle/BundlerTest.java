package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployConfig.VersionFileFormat;
import io.ebdeploy.api.EbDeployException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlerTest {
  private static final Instant DEPLOYED_AT = Instant.parse("2025-11-22T10:15:30Z");

  @TempDir Path dir;
  @TempDir Path out;

  private TestRepo repo() {
    return TestRepo.init(dir)
        .write("app.py", "print('hello')\n")
        .write(".gitignore", "build/\n*.log\n")
        .executable(".platform/hooks/predeploy/01_migrate.sh", "#!/bin/sh\necho migrate\n")
        .write(".ebextensions/01.config", "option_settings: []\n")
        .commit("first");
  }

  private static DeployConfig config(DeployConfig.Bundle bundle) {
    return DeployConfig.builder().bundle(bundle).build();
  }

  private static DeployConfig.Bundle bundle(
      List<String> include, List<String> exclude, List<String> allow, boolean staged) {
    return new DeployConfig.Bundle(include, exclude, allow, staged);
  }

  private Bundle create(DeployConfig config, String zipName) {
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    return Bundler.create(dir, config, version, DEPLOYED_AT, "alice", out.resolve(zipName));
  }

  private Bundle create() {
    return create(DeployConfig.defaults(), "bundle.zip");
  }

  @Test
  void create_trackedFiles_bundledWithVersionFileAndNothingElse() throws IOException {
    repo()
        .write("scratch.txt", "untracked")
        .write("build/out.js", "ignored")
        .write("debug.log", "x");

    Bundle bundle = create();

    assertThat(bundle.entries())
        .containsExactly(
            ".ebextensions/01.config",
            ".gitignore",
            ".platform/hooks/predeploy/01_migrate.sh",
            "app.py",
            "VERSION.json");
    assertThat(bundle.fileCount()).isEqualTo(5);
    assertThat(bundle.size()).isEqualTo(Files.size(bundle.path()));
    assertThat(bundle.sha256()).hasSize(64).isEqualTo(TestZips.sha256(bundle.path()));
    assertThat(TestZips.names(bundle.path())).isEqualTo(bundle.entries());
  }

  @Test
  void create_versionFile_holdsLabelCommitTimeAndDeployer() throws IOException {
    repo().tag("v1.0.0");

    Bundle bundle = create();

    JsonNode json = new ObjectMapper().readTree(TestZips.read(bundle.path(), "VERSION.json"));
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    assertThat(json.get("label").asText()).isEqualTo("v1.0.0");
    assertThat(json.get("commit").asText()).isEqualTo(version.commit());
    assertThat(json.get("deployed_at").asText()).isEqualTo("2025-11-22T10:15:30Z");
    assertThat(json.get("deployed_by").asText()).isEqualTo("alice");
    assertThat(Files.exists(dir.resolve("VERSION.json"))).as("the work tree stays clean").isFalse();
  }

  @Test
  void create_pythonAndEnvVersionFiles_areValidForTheirReaders() throws IOException {
    repo().tag("v1.0.0").write("iaso/version.py", "VERSION = 'dev'\n").commit("placeholder");
    DeployConfig python =
        DeployConfig.builder()
            .versionFile(new DeployConfig.VersionFile("iaso/version.py", VersionFileFormat.PYTHON))
            .build();
    DeployConfig env =
        DeployConfig.builder()
            .versionFile(new DeployConfig.VersionFile("VERSION.env", VersionFileFormat.ENV))
            .build();

    String py = TestZips.read(create(python, "py.zip").path(), "iaso/version.py");
    String dotenv = TestZips.read(create(env, "env.zip").path(), "VERSION.env");

    assertThat(py)
        .contains("VERSION = \"v1.0.0-1-g")
        .contains("DEPLOYED_AT = \"2025-11-22T10:15:30Z\"")
        .contains("DEPLOYED_BY = \"alice\"")
        .doesNotContain("'dev'");
    assertThat(dotenv)
        .containsPattern("(?m)^VERSION=v1\\.0\\.0-1-g[0-9a-f]+$")
        .contains("DEPLOYED_BY=alice\n");
    if (TestZips.hasTool("python3")) {
      Path module = out.resolve("version.py");
      Files.writeString(module, py);
      assertThat(TestZips.exec(out, "python3", "-c", "import version; print(version.DEPLOYED_BY)"))
          .isEqualTo("alice\n");
    }
  }

  @Test
  void create_unixModes_keptForZip4jAndInfoZip() throws IOException {
    repo().symlink("current.py", "app.py").commit("link");
    Files.setPosixFilePermissions(
        dir.resolve("app.py"), PosixFilePermissions.fromString("rw-rw-r--"));

    Bundle bundle = create();

    Map<String, Integer> modes = TestZips.modes(bundle.path());
    assertThat(modes.get(".platform/hooks/predeploy/01_migrate.sh")).isEqualTo(0100755);
    assertThat(modes.get("app.py")).as("umask-proof: 664 becomes 644").isEqualTo(0100644);
    assertThat(modes.get("current.py")).isEqualTo(0120777);
    if (TestZips.hasTool("zipinfo")) {
      String listing = TestZips.exec(out, "zipinfo", bundle.path().toString());
      assertThat(listing)
          .containsPattern("-rwxr-xr-x .* unx .*\\.platform/hooks/predeploy/01_migrate\\.sh")
          .containsPattern("lrwxrwxrwx .* unx .*current\\.py")
          .containsPattern("-rw-r--r-- .* unx .*app\\.py");
    }
    if (TestZips.hasTool("unzip")) {
      Path unpacked = out.resolve("unpacked");
      TestZips.exec(out, "unzip", "-q", bundle.path().toString(), "-d", unpacked.toString());
      assertThat(Files.isExecutable(unpacked.resolve(".platform/hooks/predeploy/01_migrate.sh")))
          .isTrue();
      assertThat(Files.isSymbolicLink(unpacked.resolve("current.py"))).isTrue();
      assertThat(Files.readSymbolicLink(unpacked.resolve("current.py")))
          .isEqualTo(Path.of("app.py"));
      assertThat(Files.readString(unpacked.resolve("current.py"))).isEqualTo("print('hello')\n");
    }
  }

  @Test
  void create_symlinkInsideTheTree_kept() throws IOException {
    repo().symlink("static/img", "../assets/img").write("assets/img/a.png", "png").commit("links");

    Bundle bundle = create();

    assertThat(bundle.entries()).contains("static/img", "assets/img/a.png");
    assertThat(TestZips.read(bundle.path(), "static/img")).isEqualTo("../assets/img");
  }

  @Test
  void create_symlinksLeavingTheTree_refusedNamingEachOne() {
    repo().symlink("etc", "/etc").symlink("lib/up", "../../outside").commit("bad links");

    assertThatThrownBy(this::create)
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("symlinks that point outside the project")
        .hasMessageContaining("etc -> /etc")
        .hasMessageContaining("lib/up -> ../../outside");
    assertThat(out.resolve("bundle.zip")).doesNotExist();
  }

  @Test
  void create_secrets_refusedNamingEveryPathAndTheFix() {
    repo()
        .write(".env", "DB_PASSWORD=x\n")
        .write(".env.example", "DB_PASSWORD=\n")
        .write("certs/server.pem", "cert")
        .write(
            "config/settings.py",
            "KEY = '''\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n'''\n")
        .write("deploy/id_ed25519", "key")
        .commit("oops");

    EbDeployException e = catchThrowableOfType(EbDeployException.class, this::create);

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains(".env (environment file)")
        .contains("certs/server.pem (key or certificate file (.pem))")
        .contains("config/settings.py (holds a private key)")
        .contains("deploy/id_ed25519 (credentials file)")
        .doesNotContain(".env.example")
        .contains("bundle.allow-secrets");
  }

  @Test
  void create_privateKeyFoundOnlyWhileZipping_refusedAndNoZipLeft() throws IOException {
    repo().write("src/conf.py", "K = '-----BEGIN EC PRIVATE KEY-----'\n").commit("key");

    assertThatThrownBy(this::create)
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("src/conf.py (holds a private key)")
        .hasMessageContaining("allow-secrets: [src/conf.py]");
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void create_envTemplatesWithEmptyValues_bundled() {
    repo()
        .write(".env.smoke.template", "DATABASE_URL=\nSECRET_KEY=\n")
        .write(".env.example", "DB_PASSWORD=\n")
        .write("deploy/.env.sample", "API_TOKEN=\n")
        .commit("templates");

    Bundle bundle = create();

    assertThat(bundle.entries())
        .contains(".env.smoke.template", ".env.example", "deploy/.env.sample");
  }

  @Test
  void create_awsSecretAccessKeyInAnyTextFile_refusedTemplatesIncluded() {
    repo()
        .write(
            "config/settings.py",
            "AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCY9q2ZtAb3Xy'\n")
        .write(
            ".env.smoke.template",
            "aws_secret_access_key=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo\n")
        .write("docs/aws.md", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
        .commit("keys");

    EbDeployException e = catchThrowableOfType(EbDeployException.class, this::create);

    assertThat(e.getMessage())
        .contains("config/settings.py (holds an AWS secret access key)")
        .contains(".env.smoke.template (holds an AWS secret access key)")
        .doesNotContain("docs/aws.md")
        .doesNotContain("wJalrXUtnFEMI");
  }

  @Test
  void create_namesWithControlCharacters_escapedInTheError() {
    repo()
        .write("keys/evil\nINFO: all good.pem", "x")
        .write("keys/\u202egnp.key", "x")
        .commit("names");

    EbDeployException e = catchThrowableOfType(EbDeployException.class, this::create);

    assertThat(e.getMessage())
        .contains("keys/evil\\nINFO: all good.pem (key or certificate file (.pem))")
        .contains("keys/\\u202Egnp.key")
        .doesNotContain("\n")
        .doesNotContain("\u202e");
  }

  @Test
  void create_fileOf4GiB_refusedBeforeReadingIt() throws IOException {
    repo();
    Path huge = Files.createDirectories(dir.resolve("data")).resolve("huge.bin");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(4L << 30); // sparse: nothing is written
    }

    assertThatThrownBy(
            () -> create(config(bundle(List.of("data/**"), List.of(), List.of(), false)), "h.zip"))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("files of 4 GiB or more cannot be bundled")
        .hasMessageContaining("data/huge.bin (4096.0 MB)");
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void create_secretFoundAfterLargeFilesSpilled_leavesNothing() throws IOException {
    TestRepo repo = repo();
    Files.write(dir.resolve("a-large.bin"), new byte[BundleShapes.LARGE]);
    repo.write("z.py", "-----BEGIN PRIVATE KEY-----\n").commit("large then key");

    assertThatThrownBy(this::create).hasMessageContaining("z.py (holds a private key)");
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void create_secretsAllowedInConfig_bundled() {
    repo()
        .write(".env.production", "PUBLIC_URL=x\n")
        .write("certs/rds-ca.pem", "-----BEGIN CERTIFICATE-----\n")
        .commit("allowed");

    Bundle bundle =
        create(
            config(bundle(List.of(), List.of(), List.of(".env.production", "certs/*.pem"), false)),
            "b.zip");

    assertThat(bundle.entries()).contains(".env.production", "certs/rds-ca.pem");
  }

  @Test
  void create_sameInputTwice_sameBytesDespiteMtimesAndOutputPath() throws IOException {
    repo().write("static/logo.png", "not really a png").commit("png");
    Bundle first = create(DeployConfig.defaults(), "first.zip");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2031-01-01T00:00:00Z")));
      }
    }

    Bundle second = create(DeployConfig.defaults(), "second.zip");

    assertThat(second.sha256()).isEqualTo(first.sha256());
    assertThat(Files.readAllBytes(second.path())).isEqualTo(Files.readAllBytes(first.path()));
  }

  @Test
  void create_otherDeployerAndTime_sameContentHashOtherBytes() {
    repo();
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    Bundle first = create(DeployConfig.defaults(), "first.zip");

    Bundle second =
        Bundler.create(
            dir,
            DeployConfig.defaults(),
            version,
            DEPLOYED_AT.plusSeconds(3600),
            "bob",
            out.resolve("second.zip"));

    assertThat(second.sha256()).isNotEqualTo(first.sha256());
    assertThat(second.contentSha256()).hasSize(64).isEqualTo(first.contentSha256());
  }

  @Test
  void create_sourceChanged_otherContentHash() throws IOException {
    repo();
    Bundle first = create(DeployConfig.defaults(), "first.zip");
    Files.writeString(dir.resolve("app.py"), "print('changed')\n");

    Bundle second = create(DeployConfig.defaults(), "second.zip");

    assertThat(second.contentSha256()).isNotEqualTo(first.contentSha256());
  }

  @Test
  void create_inAnotherTimeZone_sameBytes() {
    repo();
    java.util.TimeZone original = java.util.TimeZone.getDefault();
    String inUtc;
    String inNewYork;
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
      inUtc = create(DeployConfig.defaults(), "utc.zip").sha256();
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
      inNewYork = create(DeployConfig.defaults(), "ny.zip").sha256();
    } finally {
      java.util.TimeZone.setDefault(original);
    }

    assertThat(inNewYork).isEqualTo(inUtc);
  }

  @Test
  void create_entries_datedWithTheCommitTimeInUtc() throws IOException {
    TestRepo repo = repo();
    long commitSeconds = Long.parseLong(repo.git("show", "-s", "--format=%ct", "HEAD").strip());
    LocalDateTime utc =
        LocalDateTime.ofEpochSecond(commitSeconds - commitSeconds % 2, 0, ZoneOffset.UTC);

    Bundle bundle = create();

    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(bundle.path().toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        assertThat(entry.getTimeLocal()).as(entry.getName()).isEqualTo(utc);
      }
    }
  }

  @Test
  void create_anyNumberOfThreads_sameBytes() {
    BundleShapes.write(TestRepo.init(dir));
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    Set<String> hashes = new TreeSet<>();

    for (int threads : new int[] {1, 2, 3, 8}) {
      Bundle bundle =
          Bundler.create(
              dir,
              DeployConfig.defaults(),
              version,
              DEPLOYED_AT,
              "alice",
              out.resolve(threads + ".zip"),
              Bundler.MAX_BUNDLE_BYTES,
              threads);
      hashes.add(bundle.sha256());
    }

    assertThat(hashes).hasSize(1);
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("no spill file left behind")
          .containsExactlyInAnyOrder("1.zip", "2.zip", "3.zip", "8.zip");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void create_interrupted_stopsItsThreadsAndLeavesNothing() throws Exception {
    BundleShapes.write(TestRepo.init(dir));
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());
    Path zip = out.resolve("bundle.zip");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread bundling =
        new Thread(
            () -> {
              try {
                Bundler.create(dir, DeployConfig.defaults(), version, DEPLOYED_AT, "alice", zip);
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    bundling.start();
    // Interrupted (as Ctrl-C interrupts the CLI's main thread) once the zip is being written.
    Path partial = out.resolve("bundle.zip.partial");
    while (!Files.exists(partial) && bundling.isAlive()) {
      Thread.onSpinWait();
    }
    bundling.interrupt();
    bundling.join();

    assertThat(failure.get())
        .isInstanceOfSatisfying(
            EbDeployException.class,
            e -> assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INTERRUPTED));
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).as("no zip, no partial zip, no spill file").isEmpty();
    }
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().startsWith("eb-deploy-bundle-"));
  }

  @Test
  void create_incompressibleFilesStored_textDeflated() throws IOException {
    byte[] noise = new byte[30_000];
    new Random(3).nextBytes(noise);
    TestRepo repo = repo();
    Files.write(dir.resolve("noise.bin"), noise);
    repo.commit("noise");

    Bundle bundle = create();

    assertThat(TestZips.methods(bundle.path()))
        .containsEntry("noise.bin", ZipEntry.STORED)
        .containsEntry("app.py", ZipEntry.STORED) // 15 bytes: deflate adds more than it saves
        .containsEntry(".gitignore", ZipEntry.STORED)
        .containsEntry("VERSION.json", ZipEntry.DEFLATED);
    assertThat(bundle.size()).isLessThan(noise.length + 2_000);
  }

  @Test
  void create_stagedMode_bundlesTheIndexNotTheWorkTree() throws IOException {
    repo()
        .write("app.py", "print('staged')\n")
        .write("new.py", "added to the index\n")
        .addAll()
        .write("app.py", "print('work in progress')\n")
        .write("later.py", "not added\n");
    Files.delete(dir.resolve(".ebextensions/01.config"));

    Bundle bundle = create(config(bundle(List.of(), List.of(), List.of(), true)), "staged.zip");

    assertThat(TestZips.read(bundle.path(), "app.py")).isEqualTo("print('staged')\n");
    assertThat(bundle.entries())
        .contains("new.py", ".ebextensions/01.config")
        .doesNotContain("later.py");
    assertThat(TestZips.modes(bundle.path()).get(".platform/hooks/predeploy/01_migrate.sh"))
        .isEqualTo(0100755);
  }

  @Test
  void create_workTreeMode_takesWorkTreeContentAndDropsDeletedFiles() throws IOException {
    repo().write("app.py", "print('edited')\n");
    Files.delete(dir.resolve(".ebextensions/01.config"));

    Bundle bundle = create();

    assertThat(TestZips.read(bundle.path(), "app.py")).isEqualTo("print('edited')\n");
    assertThat(bundle.entries()).doesNotContain(".ebextensions/01.config");
  }

  @Test
  void create_includes_addGitIgnoredCompiledAssets() {
    repo()
        .write("build/webpack/app.1234abcd.js", "compiled")
        .write("build/webpack/nested/chunk.js", "compiled")
        .write("build/tmp/cache.bin", "not wanted")
        .write("locale/fr/django.mo", "compiled messages");

    Bundle bundle =
        create(
            config(bundle(List.of("build/webpack/**", "*.mo"), List.of(), List.of(), false)),
            "inc.zip");

    assertThat(bundle.entries())
        .contains(
            "build/webpack/app.1234abcd.js", "build/webpack/nested/chunk.js", "locale/fr/django.mo")
        .doesNotContain("build/tmp/cache.bin");
  }

  @Test
  void create_gitDirectories_neverBundledEvenWhenIncluded() {
    repo().write("vendor/lib/.git/config", "[core]").write("vendor/lib/code.py", "x");

    Bundle bundle = create(config(bundle(List.of("**"), List.of(), List.of(), false)), "all.zip");

    assertThat(bundle.entries())
        .contains("vendor/lib/code.py")
        .noneMatch(name -> name.contains(".git/"));
  }

  @Test
  void create_excludeAndEbignore_removeTrackedAndIncludedFiles() {
    repo()
        .write("docs/guide.md", "docs")
        .write("tests/test_app.py", "tests")
        .write(".ebignore", "tests/\n")
        .commit("more")
        .write("build/webpack/app.js", "compiled")
        .write("build/webpack/app.js.map", "source map");

    Bundle bundle =
        create(
            config(
                bundle(List.of("build/webpack/**"), List.of("docs/", "*.map"), List.of(), false)),
            "ex.zip");

    assertThat(bundle.entries())
        .contains("build/webpack/app.js", "app.py")
        .doesNotContain(
            "docs/guide.md", "tests/test_app.py", "build/webpack/app.js.map", ".ebignore");
  }

  @Test
  void create_ebignoreOnGeneratedCorpus_dropsExactlyWhatGitCheckIgnoreReports() throws IOException {
    TestRepo repo = TestRepo.init(dir);
    Random random = new Random(11);
    Map<String, Boolean> paths = new LinkedHashMap<>();
    IgnoreCorpus.createTree(random, dir, "", 0, paths);
    repo.commit("corpus");
    List<String> tracked =
        new ArrayList<>(new TreeSet<>(List.of(repo.git("ls-files", "-z").split("\0"))));
    int checked = 0;
    for (int round = 0; round < 14; round++) {
      List<String> lines = IgnoreCorpus.patterns(random);
      Files.writeString(dir.resolve(".ebignore"), String.join("\n", lines) + "\n");
      Set<String> ignored =
          IgnoreCorpus.gitIgnored(repo, tracked, "-c", "core.excludesFile=.ebignore");

      List<String> expected = new ArrayList<>(tracked);
      expected.removeAll(ignored);
      expected.remove(".ebignore");

      if (expected.isEmpty()) {
        assertThatThrownBy(() -> Bundler.plan(dir, DeployConfig.defaults()))
            .hasMessageContaining("nothing to bundle");
        continue;
      }
      List<String> bundled = Bundler.plan(dir, DeployConfig.defaults()).entries();
      expected.add("VERSION.json");
      assertThat(bundled).as(lines.toString()).containsExactlyInAnyOrderElementsOf(expected);
      checked++;
    }
    assertThat(checked).isGreaterThan(7);
  }

  @Test
  void create_overTheSizeLimit_refusedNamingSizeAndBiggestFiles() throws IOException {
    byte[] noise = new byte[20_000];
    new Random(1).nextBytes(noise);
    TestRepo repo = repo();
    Files.write(dir.resolve("data.bin"), noise);
    repo.commit("big");
    SourceVersion version = SourceVersion.resolve(dir, Optional.empty());

    assertThatThrownBy(
            () ->
                Bundler.create(
                    dir,
                    DeployConfig.defaults(),
                    version,
                    DEPLOYED_AT,
                    "alice",
                    out.resolve("big.zip"),
                    10_000))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("over Elastic Beanstalk's limit of 0.0 MB")
        .hasMessageContaining("Biggest files: data.bin (0.0 MB)")
        .hasMessageContaining(".ebignore");
    assertThat(out.resolve("big.zip")).doesNotExist();
    try (Stream<Path> left = Files.list(out)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void create_nothingTracked_refused() {
    TestRepo.init(dir).commit("empty");

    assertThatThrownBy(this::create)
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("nothing to bundle");
  }

  @Test
  void create_notAGitRepository_refused() throws IOException {
    Files.writeString(dir.resolve("app.py"), "x");
    SourceVersion version = SourceVersion.resolve(dir, Optional.of("v1"));

    assertThatThrownBy(
            () ->
                Bundler.create(
                    dir, DeployConfig.defaults(), version, DEPLOYED_AT, "a", out.resolve("x.zip")))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("run eb-deploy inside a git checkout");
  }

  @Test
  void plan_listsWhatCreateWrites_withoutWriting() {
    repo().write("build/webpack/app.js", "compiled");
    DeployConfig config = config(bundle(List.of("build/webpack/**"), List.of(), List.of(), false));

    BundlePlan plan = Bundler.plan(dir, config);

    assertThat(plan.entries()).isEqualTo(create(config, "p.zip").entries());
    assertThat(plan.fileCount()).isEqualTo(6);
    assertThat(plan.contentSize()).isPositive();
  }

  @Test
  void deployedBy_prefersTheCiActorThenTheUser() {
    assertThat(Bundler.deployedBy(Map.of("GITHUB_ACTOR", "octocat", "USER", "runner")))
        .isEqualTo("octocat");
    assertThat(Bundler.deployedBy(Map.of("USER", "alice"))).isEqualTo("alice");
    assertThat(Bundler.deployedBy(Map.of())).isEqualTo(System.getProperty("user.name"));
  }

  @Test
  void walkRoots_literalPrefixesOnly() {
    assertThat(
            Selection.walkRoots(
                List.of("hat/assets/webpack/**", "hat/assets/x/*.js", "/dist/", "!foo/bar")))
        .containsExactly("dist", "hat/assets/webpack", "hat/assets/x");
    assertThat(Selection.walkRoots(List.of("a/*/b/**", "*.mo"))).containsExactly("");
  }

  @Test
  void escapes_relativeLinksClimbingAboveTheRoot() {
    assertThat(Selection.escapes("a/link", "../b")).isFalse();
    assertThat(Selection.escapes("a/link", "../../b")).isTrue();
    assertThat(Selection.escapes("link", "./x/../y")).isFalse();
    assertThat(Selection.escapes("link", "/abs")).isTrue();
  }
}
