package io.ebdeploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebdeploy.sandbox.eb.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticbeanstalk.model.Tag;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.InvalidParameterException;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ThrottledException;

class TaggingApiTest {
  private static final String ENV_TYPE = "elasticbeanstalk:environment";
  private final EbSandbox sandbox = EbSandbox.manual();

  @AfterEach
  void close() {
    sandbox.close();
  }

  private void env(String name, String envTag) {
    sandbox.createEnvironment(
        "app", name, b -> b.tags(Tag.builder().key("env").value(envTag).build()));
  }

  private List<String> arns(GetResourcesResponse r) {
    return r.resourceTagMappingList().stream().map(ResourceTagMapping::resourceARN).toList();
  }

  @Test
  void getResources_tagFilter_findsTaggedEnvironmentsExactly() {
    sandbox.appWithVersions("app");
    env("app-staging-web", "staging");
    env("app-staging-worker", "staging");
    env("app-prod-web", "prod");
    env("app-staging2-web", "Staging");

    GetResourcesResponse r =
        sandbox
            .tagging()
            .getResources(
                b ->
                    b.resourceTypeFilters(ENV_TYPE)
                        .tagFilters(f -> f.key("env").values("staging")));

    assertThat(arns(r))
        .containsExactlyInAnyOrder(
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-staging-web",
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-staging-worker");
    assertThat(r.paginationToken()).isEmpty();
    assertThat(r.resourceTagMappingList().get(0).tags())
        .anyMatch(t -> t.key().equals("env") && t.value().equals("staging"))
        .anyMatch(t -> t.key().equals("elasticbeanstalk:environment-name"));
  }

  @Test
  void getResources_terminatedEnvironment_isStillReturnedForAWhile() {
    sandbox.appWithVersions("app");
    env("app-old-web", "staging");
    sandbox.tick(Timeline.LAUNCH_SECONDS + 5);
    sandbox.eb().terminateEnvironment(b -> b.environmentName("app-old-web"));
    sandbox.tick(Timeline.TERMINATE_SECONDS + 5);

    List<String> soon =
        arns(
            sandbox.tagging().getResources(b -> b.tagFilters(f -> f.key("env").values("staging"))));
    sandbox.tick(Timeline.TERMINATED_VISIBLE_SECONDS);
    List<String> later =
        arns(
            sandbox.tagging().getResources(b -> b.tagFilters(f -> f.key("env").values("staging"))));

    assertThat(soon).hasSize(1);
    assertThat(later).isEmpty();
  }

  @Test
  void getResources_resourceTypeFilters_separateEnvironmentsBucketsAndApplications() {
    sandbox
        .eb()
        .createApplication(b -> b.applicationName("app").tags(t -> t.key("env").value("staging")));
    env("app-web", "staging");
    sandbox.tagBucket("static-staging", Map.of("env", "staging"));
    sandbox.tagBucket("untagged", Map.of());

    assertThat(arns(sandbox.tagging().getResources(b -> b.resourceTypeFilters("s3:bucket"))))
        .containsExactly("arn:aws:s3:::static-staging");
    assertThat(arns(sandbox.tagging().getResources(b -> b.resourceTypeFilters("s3"))))
        .containsExactly("arn:aws:s3:::static-staging");
    assertThat(arns(sandbox.tagging().getResources(b -> b.resourceTypeFilters("elasticbeanstalk"))))
        .containsExactlyInAnyOrder(
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:application/app",
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-web");
    assertThat(arns(sandbox.tagging().getResources(b -> b.resourceTypeFilters(ENV_TYPE))))
        .containsExactly(
            "arn:aws:elasticbeanstalk:eu-central-1:123456789012:environment/app/app-web");
    assertThat(arns(sandbox.tagging().getResources(b -> {}))).hasSize(3);
  }

  @Test
  void getResources_resourcesPerPage_pagesUntilEmptyToken() {
    sandbox.appWithVersions("app");
    for (int i = 1; i <= 5; i++) {
      env("app-web" + i, "staging");
    }

    List<String> all = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      String t = token;
      GetResourcesResponse r =
          sandbox
              .tagging()
              .getResources(
                  b -> b.resourceTypeFilters(ENV_TYPE).resourcesPerPage(2).paginationToken(t));
      all.addAll(arns(r));
      token = r.paginationToken();
      pages++;
    } while (!token.isEmpty());
    List<String> viaPaginator = new ArrayList<>();
    sandbox
        .tagging()
        .getResourcesPaginator(b -> b.resourceTypeFilters(ENV_TYPE).resourcesPerPage(2))
        .resourceTagMappingList()
        .forEach(m -> viaPaginator.add(m.resourceARN()));

    assertThat(pages).isEqualTo(3);
    assertThat(all).hasSize(5).doesNotHaveDuplicates();
    assertThat(viaPaginator).isEqualTo(all);
  }

  @Test
  void getResources_badResourcesPerPage_failsWithInvalidParameterException() {
    assertThatThrownBy(() -> sandbox.tagging().getResources(b -> b.resourcesPerPage(500)))
        .isInstanceOfSatisfying(
            InvalidParameterException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
            });
  }

  @Test
  void getTagValuesAndKeys_environments_listDistinctSortedValues() {
    sandbox.appWithVersions("app");
    env("app-a-web", "staging");
    env("app-b-web", "prod");
    env("app-c-web", "staging");

    assertThat(sandbox.tagging().getTagValues(b -> b.key("env")).tagValues())
        .containsExactly("prod", "staging");
    assertThat(sandbox.tagging().getTagKeys(b -> {}).tagKeys())
        .contains("env", "Name", "elasticbeanstalk:environment-name");
  }

  @Test
  void throttleFault_tagging_answersThrottledException() {
    sandbox.faults.add(Fault.throttle(1.0).onService("tagging"));

    assertThatThrownBy(() -> sandbox.tagging().getResources(b -> {}))
        .isInstanceOfSatisfying(
            ThrottledException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
              assertThat(e.isThrottlingException()).isTrue();
            });
  }
}
