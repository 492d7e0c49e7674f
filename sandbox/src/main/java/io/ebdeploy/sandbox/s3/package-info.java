/**
 * The emulated S3: {@link io.ebdeploy.sandbox.s3.S3Api} routes each request to an operation; {@link
 * io.ebdeploy.sandbox.s3.S3Store} keeps buckets, objects and multipart uploads (in memory or under
 * the state directory) and is what the other services see of S3.
 */
package io.ebdeploy.sandbox.s3;
