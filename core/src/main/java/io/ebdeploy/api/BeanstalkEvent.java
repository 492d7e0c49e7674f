package io.ebdeploy.api;

import java.time.Instant;

/**
 * One Beanstalk event (DescribeEvents).
 *
 * @param time when Beanstalk recorded it
 * @param environment the environment it is about, or empty for an application-level event
 * @param severity TRACE, DEBUG, INFO, WARN, ERROR or FATAL
 * @param message the message
 */
public record BeanstalkEvent(Instant time, String environment, String severity, String message) {}
