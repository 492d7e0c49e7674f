package io.ebdeploy.sandbox.service;

import java.util.Map;

/**
 * A resource as the Resource Groups Tagging API lists it.
 *
 * @param service the service part of its resource type: {@code elasticbeanstalk}, {@code s3}
 * @param type the type within the service: {@code environment}, {@code application}, {@code bucket}
 */
public record TaggedResource(String arn, String service, String type, Map<String, String> tags) {}
