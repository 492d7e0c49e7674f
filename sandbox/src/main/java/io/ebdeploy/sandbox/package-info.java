/**
 * A local Elastic Beanstalk, Resource Groups Tagging and S3 on one loopback port. The API is this
 * package: {@link io.ebdeploy.sandbox.LocalBeanstalk}, {@link io.ebdeploy.sandbox.Fault} and {@link
 * io.ebdeploy.sandbox.SandboxCall}. The services live in the sub-packages {@code eb}, {@code s3}
 * and {@code tagging}, built on {@code service}; they are internal (docs/sandbox.md, "Inside the
 * sandbox").
 */
package io.ebdeploy.sandbox;
