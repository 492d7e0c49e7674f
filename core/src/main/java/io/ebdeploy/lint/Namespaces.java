package io.ebdeploy.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The option namespaces Elastic Beanstalk documents: "General options for all environments" and
 * "Platform specific options" of the Elastic Beanstalk developer guide (docs/lint.md lists them).
 * Some end in a name chosen by the user: a process, a listener port, a policy, a listener rule.
 */
final class Namespaces {
  /** Namespaces used as they are. */
  static final Set<String> FIXED =
      Set.of(
          // General options for all environments
          "aws:autoscaling:asg",
          "aws:autoscaling:launchconfiguration",
          "aws:autoscaling:scheduledaction",
          "aws:autoscaling:trigger",
          "aws:autoscaling:updatepolicy:rollingupdate",
          "aws:ec2:instances",
          "aws:ec2:vpc",
          "aws:elasticbeanstalk:application",
          "aws:elasticbeanstalk:application:environment",
          "aws:elasticbeanstalk:application:environmentsecrets",
          "aws:elasticbeanstalk:cloudwatch:logs",
          "aws:elasticbeanstalk:cloudwatch:logs:health",
          "aws:elasticbeanstalk:command",
          "aws:elasticbeanstalk:environment",
          "aws:elasticbeanstalk:environment:proxy:staticfiles",
          "aws:elasticbeanstalk:healthreporting:system",
          "aws:elasticbeanstalk:hostmanager",
          "aws:elasticbeanstalk:managedactions",
          "aws:elasticbeanstalk:managedactions:platformupdate",
          "aws:elasticbeanstalk:monitoring",
          "aws:elasticbeanstalk:sns:topics",
          "aws:elasticbeanstalk:sqsd",
          "aws:elasticbeanstalk:trafficsplitting",
          "aws:elasticbeanstalk:xray",
          "aws:elb:healthcheck",
          "aws:elb:loadbalancer",
          "aws:elb:listener",
          "aws:elb:policies",
          "aws:elbv2:loadbalancer",
          "aws:rds:dbinstance",
          // Configuration files: custom options read with Fn::GetOptionSetting
          "aws:elasticbeanstalk:customoption",
          // Platform specific options
          "aws:elasticbeanstalk:environment:proxy",
          "aws:elasticbeanstalk:container:python",
          "aws:elasticbeanstalk:container:python:staticfiles",
          "aws:elasticbeanstalk:container:nodejs",
          "aws:elasticbeanstalk:container:nodejs:staticfiles",
          "aws:elasticbeanstalk:container:php:phpini",
          "aws:elasticbeanstalk:container:tomcat:jvmoptions",
          "aws:elasticbeanstalk:container:golang:staticfiles",
          "aws:elasticbeanstalk:container:java:staticfiles",
          "aws:elasticbeanstalk:container:dotnet:apppool",
          // Older custom resources
          "aws:cloudformation:template:parameter");

  /** A namespace that ends in a name: its fixed part, and what the name may be. */
  record Named(String prefix, Pattern name, String what) {
    String template() {
      return prefix + ":" + what;
    }
  }

  static final List<Named> NAMED =
      List.of(
          new Named(
              "aws:elasticbeanstalk:environment:process",
              Pattern.compile("[^:\\s]+"),
              "process_name"),
          new Named("aws:elb:listener", Pattern.compile("\\d{1,5}"), "listener_port"),
          new Named("aws:elb:policies", Pattern.compile("[^:\\s]+"), "policy_name"),
          new Named("aws:elbv2:listener", Pattern.compile("default|\\d{1,5}"), "listener_port"),
          new Named("aws:elbv2:listenerrule", Pattern.compile("[^:\\s]+"), "rule_name"));

  /** What is wrong with a namespace that is not known. */
  record Problem(Severity severity, String message, String fix) {}

  private Namespaces() {}

  /** Empty for a documented namespace. */
  static Optional<Problem> check(String namespace) {
    if (known(namespace)) {
      return Optional.empty();
    }
    Optional<String> suggestion = suggest(namespace);
    if (suggestion.isPresent()) {
      return Optional.of(
          new Problem(
              Severity.ERROR,
              "unknown option namespace '"
                  + namespace
                  + "' (did you mean '"
                  + suggestion.get()
                  + "'?); Beanstalk refuses the settings of an unknown namespace",
              "write '" + suggestion.get() + "'"));
    }
    return Optional.of(
        new Problem(
            Severity.WARNING,
            "'"
                + namespace
                + "' is not an option namespace that Elastic Beanstalk documents; unless your"
                + " platform defines it, Beanstalk refuses these settings during the deploy",
            "check the name against docs/lint.md (EB004), or remove these settings"));
  }

  static boolean known(String namespace) {
    if (FIXED.contains(namespace)) {
      return true;
    }
    for (Named n : NAMED) {
      if (namespace.startsWith(n.prefix() + ":")
          && n.name().matcher(namespace.substring(n.prefix().length() + 1)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The documented namespace this one most likely misspells. */
  static Optional<String> suggest(String namespace) {
    List<String> candidates = new ArrayList<>(FIXED);
    // For a named namespace, compare all but the last segment, and keep the user's name.
    int colon = namespace.lastIndexOf(':');
    if (colon > 0) {
      String head = namespace.substring(0, colon);
      String tail = namespace.substring(colon + 1);
      for (Named n : NAMED) {
        if (Closest.distance(head.toLowerCase(Locale.ROOT), n.prefix())
                <= Closest.allowed(n.prefix())
            && n.name().matcher(tail).matches()) {
          candidates.add(n.prefix() + ":" + tail);
        }
      }
    }
    return Closest.to(namespace, candidates).filter(s -> !s.equals(namespace));
  }
}
