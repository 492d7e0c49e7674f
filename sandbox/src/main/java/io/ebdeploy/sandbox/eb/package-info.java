/**
 * The emulated Elastic Beanstalk: {@link io.ebdeploy.sandbox.eb.EbApi} answers the AWS Query
 * protocol over a model ({@code EbModel}) that advances lazily to "now" at the start of every
 * request and persists to {@code eb.json}.
 */
package io.ebdeploy.sandbox.eb;
