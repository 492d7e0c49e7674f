/**
 * The emulated Resource Groups Tagging API: read-only, over the resources the other services list
 * as {@link io.ebdeploy.sandbox.service.TaggedResources}.
 */
package io.ebdeploy.sandbox.tagging;
