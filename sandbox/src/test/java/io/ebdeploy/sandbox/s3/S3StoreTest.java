package io.ebdeploy.sandbox.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.sandbox.service.Faults;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's package-private API, as the Elastic Beanstalk and Tagging emulations use it. */
class S3StoreTest {
  private final S3Store store =
      new S3Store(new SandboxContext(1.0, null, new Faults(), System::currentTimeMillis));

  @Test
  void ensureBucket_twice_createsOnceKeepingFirstRegion() {
    store.ensureBucket("elasticbeanstalk-eu-west-1-123456789012", "eu-west-1");
    store.ensureBucket("elasticbeanstalk-eu-west-1-123456789012", "us-east-1");

    assertThat(store.bucketExists("elasticbeanstalk-eu-west-1-123456789012")).isTrue();
    assertThat(store.bucketRegion("elasticbeanstalk-eu-west-1-123456789012"))
        .isEqualTo("eu-west-1");
    assertThat(store.bucketExists("other")).isFalse();
    assertThat(store.bucketRegion("other")).isNull();
  }

  @Test
  void read_writtenObject_bytesBackAndEmptyWhenMissing() {
    store.ensureBucket("bundles", "us-east-1");

    String etag =
        store.write("bundles", "app/v1.zip", "zip".getBytes(StandardCharsets.UTF_8), null);

    assertThat(etag).isEqualTo("\"" + "adcdbd79a8d84175c229b192aadc02f2" + "\"");
    assertThat(store.read("bundles", "app/v1.zip"))
        .hasValueSatisfying(
            b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("zip"));
    assertThat(store.read("bundles", "missing")).isEmpty();
    assertThat(store.read("no-bucket", "app/v1.zip")).isEmpty();
  }

  @Test
  void bucketTags_taggedAndUntagged_everyBucketListed() {
    store.ensureBucket("tagged", "us-east-1");
    store.ensureBucket("plain", "us-east-1");
    store.setTags(store.bucket("tagged"), Map.of("env", "prod"));

    assertThat(store.bucketTags())
        .containsEntry("tagged", Map.of("env", "prod"))
        .containsEntry("plain", Map.of());
  }
}
