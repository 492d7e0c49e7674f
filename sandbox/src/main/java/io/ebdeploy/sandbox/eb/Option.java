package io.ebdeploy.sandbox.eb;

import java.util.Objects;

/** An option setting, as Beanstalk keeps it. */
final class Option {
  public String namespace;
  public String name;
  public String value;
  public String resource;

  Option() {}

  Option(String namespace, String name, String value, String resource) {
    this.namespace = namespace;
    this.name = name;
    this.value = value;
    this.resource = resource;
  }

  boolean sameKey(String ns, String n, String r) {
    return namespace.equals(ns)
        && name.equals(n)
        && Objects.equals(resource == null ? null : resource, r);
  }

  Option copy() {
    return new Option(namespace, name, value, resource);
  }
}
