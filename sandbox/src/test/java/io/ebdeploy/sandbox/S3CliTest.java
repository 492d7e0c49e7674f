package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's S3 through the real AWS CLI (botocore, s3transfer), as users drive it. */
class S3CliTest {
  private static LocalBeanstalk sandbox;
  private static AwsCli aws;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    AwsCli.requireAvailable();
    sandbox = LocalBeanstalk.builder().timeScale(0.001).start();
    aws = new AwsCli(sandbox.endpoint(), "us-east-1");
    aws.run("s3", "mb", "s3://cli-bucket").assertOk();
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @BeforeEach
  void clearCalls() {
    sandbox.clearCalls();
  }

  private static List<String> actions() {
    return sandbox.calls().stream().map(SandboxCall::action).toList();
  }

  private static byte[] random(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  @Test
  void cpLs_smallFileWithSpecialCharacters_roundTripsExactly() throws IOException {
    String key = "small/dir with space/ü+plus%25#hash?q=1 🚀.txt";
    Path src = Files.writeString(dir.resolve("src.txt"), "hello sandbox\n");

    aws.run("s3", "cp", src.toString(), "s3://cli-bucket/" + key).assertOk();
    String ls = aws.run("s3", "ls", "s3://cli-bucket/small/", "--recursive").assertOk().stdout();
    Path back = dir.resolve("back.txt");
    aws.run("s3", "cp", "s3://cli-bucket/" + key, back.toString()).assertOk();
    String head =
        aws.run("s3api", "head-object", "--bucket", "cli-bucket", "--key", key).assertOk().stdout();

    assertThat(ls).contains(key).contains("14 ");
    assertThat(Files.readString(back)).isEqualTo("hello sandbox\n");
    assertThat(head)
        .contains("\"ContentLength\": 14")
        .contains("\"ContentType\": \"text/plain\"")
        .contains("\"ETag\"");
    assertThat(sandbox.calls())
        .anySatisfy(
            c -> {
              assertThat(c.action()).isEqualTo("PutObject");
              assertThat(c.params()).containsEntry("Key", key);
            });
  }

  @Test
  void cp_fileOver8MiB_uploadsInPartsAndDownloadsIdentical() throws IOException {
    byte[] data = random(9 * 1024 * 1024 + 17);
    Path src = Files.write(dir.resolve("bundle.zip"), data);

    aws.run("s3", "cp", src.toString(), "s3://cli-bucket/app/bundle.zip").assertOk();
    Path back = dir.resolve("back.zip");
    aws.run("s3", "cp", "s3://cli-bucket/app/bundle.zip", back.toString()).assertOk();

    assertThat(actions())
        .contains("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")
        .doesNotContain("AbortMultipartUpload");
    assertThat(Files.readAllBytes(back)).isEqualTo(data);
  }

  @Test
  void sync_upThenDown_identicalTreeAndNoOpResync() throws IOException {
    Path local = Files.createDirectories(dir.resolve("site"));
    Files.createDirectories(local.resolve("static/css"));
    Files.writeString(local.resolve("index.html"), "<h1>hi</h1>");
    Files.writeString(local.resolve("static/css/app.css"), "body{}");
    Files.writeString(local.resolve("static/odd name+1%.txt"), "odd");
    Files.write(local.resolve("static/blob.bin"), random(70_000));
    // S3 keeps LastModified to the second and the CLI re-uploads a file whose mtime is later, as
    // a file written in the same second as its upload is: give the files an older mtime.
    try (var files = Files.walk(local)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
      }
    }

    aws.run("s3", "sync", local.toString(), "s3://cli-bucket/site").assertOk();
    sandbox.clearCalls();
    aws.run("s3", "sync", local.toString(), "s3://cli-bucket/site").assertOk();
    List<String> resync = actions();
    String ls = aws.run("s3", "ls", "s3://cli-bucket/site/").assertOk().stdout();
    Path down = dir.resolve("down");
    aws.run("s3", "sync", "s3://cli-bucket/site", down.toString()).assertOk();

    assertThat(resync).containsOnly("ListObjectsV2");
    assertThat(ls).contains("PRE static/").contains("index.html");
    for (String f :
        List.of("index.html", "static/css/app.css", "static/odd name+1%.txt", "static/blob.bin")) {
      assertThat(down.resolve(f)).hasSameBinaryContentAs(local.resolve(f));
    }
  }

  @Test
  void rm_singleAndRecursive_removesObjects() throws IOException {
    Path tree = Files.createDirectories(dir.resolve("tree/logs"));
    Files.writeString(tree.resolve("1.txt"), "1");
    Files.writeString(tree.resolve("2.txt"), "2");
    Files.writeString(dir.resolve("tree/keep.txt"), "k");
    aws.run("s3", "cp", dir.resolve("tree").toString(), "s3://cli-bucket/rm/", "--recursive")
        .assertOk();

    aws.run("s3", "rm", "s3://cli-bucket/rm/keep.txt").assertOk();
    aws.run("s3", "rm", "s3://cli-bucket/rm/logs/", "--recursive").assertOk();
    AwsCli.Result ls = aws.run("s3", "ls", "s3://cli-bucket/rm/", "--recursive");

    assertThat(ls.stdout()).isBlank();
    assertThat(actions()).containsSubsequence("PutObject", "DeleteObject", "DeleteObject");
  }

  @Test
  void headObject_missingKey_notFoundExitCode() {
    AwsCli.Result r = aws.run("s3api", "head-object", "--bucket", "cli-bucket", "--key", "nope");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("404");
  }

  @Test
  void mb_existingBucketInEuCentral1_bucketAlreadyOwnedByYouAndRegionHintFollowed()
      throws IOException {
    AwsCli eu = new AwsCli(sandbox.endpoint(), "eu-central-1");
    eu.run("s3", "mb", "s3://cli-eu").assertOk();
    Path f = Files.writeString(dir.resolve("f.txt"), "x", StandardCharsets.UTF_8);
    eu.run("s3", "cp", f.toString(), "s3://cli-eu/f.txt").assertOk();

    AwsCli.Result again = eu.run("s3", "mb", "s3://cli-eu");
    String location =
        eu.run("s3api", "get-bucket-location", "--bucket", "cli-eu").assertOk().stdout();
    // Signed for us-east-1: S3 answers with the bucket's region and botocore retries there.
    String ls = aws.run("s3", "ls", "s3://cli-eu/").assertOk().stdout();

    assertThat(again.exitCode()).isNotZero();
    assertThat(again.stderr()).contains("BucketAlreadyOwnedByYou");
    assertThat(location).contains("eu-central-1");
    assertThat(ls).contains("f.txt");
  }
}
