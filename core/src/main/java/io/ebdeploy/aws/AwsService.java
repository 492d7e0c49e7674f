package io.ebdeploy.aws;

import java.util.Locale;

/**
 * The AWS services eb-deploy calls, by their SDK service id: the id names the per-service endpoint
 * variable ({@code AWS_ENDPOINT_URL_ELASTIC_BEANSTALK}) and the key in a shared config file's
 * {@code [services NAME]} section ({@code elastic_beanstalk = \n endpoint_url = ...}), as every AWS
 * SDK and the AWS CLI name them.
 */
public enum AwsService {
  ELASTIC_BEANSTALK("Elastic Beanstalk"),
  RESOURCE_GROUPS_TAGGING_API("Resource Groups Tagging API"),
  S3("S3"),
  RDS("RDS"),
  EC2("EC2"),
  AUTO_SCALING("Auto Scaling"),
  SSM("SSM"),
  STS("STS");

  private final String serviceId;

  AwsService(String serviceId) {
    this.serviceId = serviceId;
  }

  /** The SDK's service id, e.g. {@code Elastic Beanstalk}. */
  public String serviceId() {
    return serviceId;
  }

  /** E.g. {@code AWS_ENDPOINT_URL_ELASTIC_BEANSTALK}. */
  public String endpointVariable() {
    return "AWS_ENDPOINT_URL_" + serviceId.toUpperCase(Locale.ROOT).replace(' ', '_');
  }

  /** The key of a {@code [services NAME]} section, e.g. {@code elastic_beanstalk}. */
  public String configKey() {
    return serviceId.toLowerCase(Locale.ROOT).replace(' ', '_');
  }
}
