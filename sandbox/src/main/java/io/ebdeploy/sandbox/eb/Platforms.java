package io.ebdeploy.sandbox.eb;

import io.ebdeploy.sandbox.service.ApiException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Platforms as CreateEnvironment and UpdateEnvironment name them: a solution stack name or a
 * platform ARN, each giving the other.
 */
final class Platforms {
  private static final Pattern SOLUTION_STACK =
      Pattern.compile("64bit (.+?) v(\\d+\\.\\d+\\.\\d+) running (.+)");

  private static final Pattern PLATFORM_ARN =
      Pattern.compile(
          "arn:aws:elasticbeanstalk:([^:]*):[^:]*:platform/(.+) running on 64bit (.+)/(\\d+\\.\\d+\\.\\d+)");

  private Platforms() {}

  /** {solutionStack, platformArn} from SolutionStackName, PlatformArn or TemplateName. */
  static String[] platform(QueryParams p, String region) {
    String stack = p.get("SolutionStackName");
    String arn = p.get("PlatformArn");
    String template = p.get("TemplateName");
    if (stack != null && arn != null) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a solution stack name and a platform ARN.");
    }
    if (template != null && (stack != null || arn != null)) {
      throw ApiException.badRequest(
          "InvalidParameterCombination",
          "You cannot specify both a configuration template and a solution stack or platform.");
    }
    if (template != null) {
      // The sandbox has no saved configurations, so every template name is unknown.
      throw EbErrors.invalid("No Configuration Template named '" + template + "' found.");
    }
    if (stack != null) {
      Matcher m = SOLUTION_STACK.matcher(stack);
      if (!m.matches()) {
        throw EbErrors.invalid("No Solution Stack named '" + stack + "' found.");
      }
      return new String[] {
        stack,
        "arn:aws:elasticbeanstalk:"
            + region
            + "::platform/"
            + m.group(3)
            + " running on 64bit "
            + m.group(1)
            + "/"
            + m.group(2)
      };
    }
    if (arn != null) {
      Matcher m = PLATFORM_ARN.matcher(arn);
      if (!m.matches()) {
        throw EbErrors.invalid("No Platform named '" + arn + "' found.");
      }
      return new String[] {
        "64bit " + m.group(3) + " v" + m.group(4) + " running " + m.group(2), arn
      };
    }
    throw ApiException.badRequest(
        "InvalidParameterCombination",
        "No solution stack, platform ARN or configuration template was specified.");
  }
}
