/**
 * What every emulated AWS service is built on: the {@link io.ebdeploy.sandbox.service.ServiceApi}
 * contract the server dispatches to, one request and one response, the error a service answers
 * with, the shared context (settings, faults) and the XML and JSON writers.
 *
 * <p>Internal: these types are public only so that the sandbox's packages ({@code s3}, {@code eb},
 * {@code tagging}) can see them. The sandbox's API is {@link io.ebdeploy.sandbox}.
 */
package io.ebdeploy.sandbox.service;
