package io.ebdeploy.sandbox.service;

/**
 * A small streaming XML writer: enough for the Query and S3 response shapes, and it escapes every
 * text value, which is what matters.
 */
public final class Xml {
  private final StringBuilder out =
      new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

  public Xml open(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  public Xml open(String name, String xmlns) {
    out.append('<').append(name).append(" xmlns=\"").append(escape(xmlns)).append("\">");
    return this;
  }

  public Xml close(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /**
   * Writes {@code <name>value</name>}; a null value writes nothing, as AWS omits absent members.
   */
  public Xml element(String name, Object value) {
    if (value != null) {
      out.append('<').append(name).append('>').append(escape(value.toString()));
      out.append("</").append(name).append('>');
    }
    return this;
  }

  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\r' -> b.append("&#13;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
