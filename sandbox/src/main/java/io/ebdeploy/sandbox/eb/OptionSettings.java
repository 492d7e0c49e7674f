package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.eb.EbModel.EbRegion;
import io.ebdeploy.sandbox.service.ApiException;
import io.ebdeploy.sandbox.service.SandboxContext;
import java.util.ArrayList;
import java.util.List;

/**
 * An environment's option settings: Beanstalk's defaults, how an update sets and removes them, and
 * DescribeConfigurationSettings.
 */
final class OptionSettings {
  private OptionSettings() {}

  /** The settings Beanstalk gives a new environment before the caller's own. */
  static List<Option> defaults(EbEnvironment e) {
    List<Option> o = new ArrayList<>();
    o.add(new Option("aws:autoscaling:asg", "MinSize", "1", "AWSEBAutoScalingGroup"));
    o.add(new Option("aws:autoscaling:asg", "MaxSize", "4", "AWSEBAutoScalingGroup"));
    o.add(new Option("aws:elasticbeanstalk:command", "DeploymentPolicy", "AllAtOnce", null));
    o.add(new Option("aws:elasticbeanstalk:command", "Timeout", "600", null));
    o.add(new Option("aws:elasticbeanstalk:command", "IgnoreHealthCheck", "false", null));
    o.add(new Option("aws:elasticbeanstalk:environment", "EnvironmentType", "LoadBalanced", null));
    o.add(
        new Option("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced", null));
    if (e.worker()) {
      o.add(new Option("aws:elasticbeanstalk:sqsd", "HttpPath", "/", null));
      o.add(
          new Option(
              "aws:elasticbeanstalk:sqsd",
              "WorkerQueueURL",
              "https://sqs."
                  + e.region
                  + ".amazonaws.com/"
                  + SandboxContext.ACCOUNT_ID
                  + "/"
                  + e.workerQueueName(),
              null));
    } else {
      o.add(
          new Option("aws:elasticbeanstalk:environment", "LoadBalancerType", "application", null));
    }
    return o;
  }

  static void apply(List<Option> target, List<Option> set, List<Option> remove) {
    for (Option r : remove) {
      target.removeIf(o -> o.sameKey(r.namespace, r.name, r.resource));
    }
    for (Option s : set) {
      boolean found = false;
      for (Option o : target) {
        if (o.namespace.equals(s.namespace) && o.name.equals(s.name)) {
          o.value = s.value;
          found = true;
        }
      }
      if (!found) {
        target.add(s.copy());
      }
    }
  }

  static List<Option> copy(List<Option> options) {
    List<Option> out = new ArrayList<>();
    for (Option o : options) {
      out.add(o.copy());
    }
    return out;
  }

  static QueryResult describeConfigurationSettings(QueryParams p, EbRegion r) {
    String appName = p.required("ApplicationName");
    String template = p.get("TemplateName");
    String envName = p.get("EnvironmentName");
    if (template != null && envName != null) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a configuration template and an environment name.");
    }
    if (template != null) {
      throw EbErrors.invalid("No Configuration Template named '" + template + "' found.");
    }
    if (envName == null) {
      throw ApiException.missingParameter("EnvironmentName");
    }
    if (!r.applications.containsKey(appName)) {
      throw EbErrors.invalid("No Application named '" + appName + "' found.");
    }
    EbEnvironment e = r.liveEnvironment(envName);
    if (e == null || !e.application.equals(appName)) {
      throw EbErrors.invalid("No Environment found for EnvironmentName = '" + envName + "'.");
    }
    return QueryResult.read(
        x -> {
          x.open("ConfigurationSettings").open("member");
          x.element("SolutionStackName", e.solutionStack)
              .element("PlatformArn", e.platformArn)
              .element("ApplicationName", e.application)
              .element("Description", e.description)
              .element("EnvironmentName", e.name)
              .element("DeploymentStatus", "deployed")
              .element("DateCreated", QueryResult.iso(e.created))
              .element("DateUpdated", QueryResult.iso(e.updated));
          x.open("OptionSettings");
          for (Option o : e.options) {
            x.open("member")
                .element("ResourceName", o.resource)
                .element("Namespace", o.namespace)
                .element("OptionName", o.name)
                .element("Value", o.value)
                .close("member");
          }
          x.close("OptionSettings");
          x.close("member").close("ConfigurationSettings");
        });
  }
}
