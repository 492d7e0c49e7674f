package io.ebdeploy.api;

/**
 * One environment as Beanstalk described it at a moment.
 *
 * @param name the environment name
 * @param id the environment id ({@code e-...})
 * @param application the application it belongs to
 * @param tier web or worker
 * @param versionLabel the deployed label (empty string when none)
 * @param status Beanstalk's {@code Status}: Ready, Updating, Launching...
 * @param health Beanstalk's {@code Health}: Green, Yellow, Red, Grey
 * @param platformArn the platform it runs on
 */
public record EnvironmentInfo(
    String name,
    String id,
    String application,
    Tier tier,
    String versionLabel,
    String status,
    String health,
    String platformArn) {}
