package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.w3c.dom.Element;

/** The object operations: PutObject, GetObject, HeadObject, DeleteObject(s), CopyObject. */
final class ObjectOperations {
  private static final Set<String> ARCHIVED = Set.of("GLACIER", "DEEP_ARCHIVE");
  private final S3Store store;
  private final BucketOperations buckets;

  ObjectOperations(S3Store store, BucketOperations buckets) {
    this.store = store;
    this.buckets = buckets;
  }

  SandboxResponse putObject(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkKey(t.key());
    ObjectHeaders.checkAcl(r);
    S3Object.Attrs attrs = ObjectHeaders.attrs(r);
    String ifMatch = r.header("if-match");
    boolean ifNoneMatchStar = Conditions.writeCondition(r);
    store.checkWrite(b, t.key(), ifMatch, ifNoneMatchStar);
    Payload p = Payload.of(r, true);
    S3Object o =
        new S3Object(
            t.key(),
            store.newBlob(b, p.data()),
            S3Wire.quotedMd5(p.md5()),
            S3Store.now(),
            attrs,
            p.checksum(),
            p.checksumValue(),
            S3Checksum.FULL_OBJECT,
            List.of());
    store.put(b, o, ifMatch, ifNoneMatchStar);
    SandboxResponse resp = SandboxResponse.empty(200).header("ETag", o.etag());
    resp.header(o.checksum().header(), o.checksumValue())
        .header("x-amz-checksum-type", S3Checksum.FULL_OBJECT);
    return resp.header("x-amz-server-side-encryption", attrs.sse());
  }

  SandboxResponse getObject(SandboxRequest r, Target t, boolean head) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    Map<String, String> q = r.query();
    String range = r.header("range");
    String partParam = q.get("partNumber");
    if (range != null && partParam != null) {
      throw S3Errors.invalidRequest(
          "Cannot specify both Range header and partNumber query parameter");
    }
    Integer partNumber = partParam == null ? null : S3Wire.partNumber(partParam);
    for (int attempt = 0; ; attempt++) {
      S3Object o = store.get(b, t.key());
      if (o == null) {
        throw S3Errors.noSuchKey(t.key());
      }
      SandboxResponse notModified = Conditions.checkReadConditions(r, o);
      if (notModified != null) {
        return notModified;
      }
      if (!head && ARCHIVED.contains(o.attrs().storageClass())) {
        throw S3Errors.error(
            403,
            "InvalidObjectState",
            "The operation is not valid for the object's storage class",
            "StorageClass",
            o.attrs().storageClass());
      }
      long size = o.size();
      long start = 0;
      long length = size;
      int status = 200;
      String contentRange = null;
      Integer partsCount = null;
      if (partNumber != null) {
        List<Long> parts = o.partSizes().isEmpty() ? List.of(size) : o.partSizes();
        if (partNumber > parts.size()) {
          throw S3Errors.error(
              416,
              "InvalidPartNumber",
              "The requested partnumber is not satisfiable",
              "PartNumberRequested",
              partParam,
              "ActualPartCount",
              String.valueOf(parts.size()));
        }
        for (int i = 0; i < partNumber - 1; i++) {
          start += parts.get(i);
        }
        length = parts.get(partNumber - 1);
        if (!o.partSizes().isEmpty()) {
          partsCount = parts.size();
        }
        if (size > 0) {
          status = 206;
          contentRange = "bytes " + start + "-" + (start + length - 1) + "/" + size;
        }
      } else if (range != null) {
        long[] rg = Conditions.parseRange(range, size);
        if (rg != null) {
          start = rg[0];
          length = rg[1] - rg[0] + 1;
          status = 206;
          contentRange = "bytes " + rg[0] + "-" + rg[1] + "/" + size;
        }
      }
      byte[] body;
      try {
        body = head ? new byte[0] : o.blob().read(start, Math.toIntExact(length));
      } catch (S3Blob.Gone e) {
        if (attempt < 5) {
          continue; // overwritten while reading: serve the new version
        }
        throw e;
      }
      SandboxResponse resp =
          SandboxResponse.of(status, ObjectHeaders.contentType(r, o), body)
              .header("Accept-Ranges", "bytes");
      resp.header("Last-Modified", S3Wire.httpDate(o.lastModified())).header("ETag", o.etag());
      if (head) {
        resp.header("Content-Length", String.valueOf(length));
      }
      if (contentRange != null) {
        resp.header("Content-Range", contentRange);
      }
      ObjectHeaders.objectHeaders(resp, r, o);
      if (partsCount != null) {
        resp.header("x-amz-mp-parts-count", String.valueOf(partsCount));
      }
      boolean whole = status == 200 || (start == 0 && length == size);
      if (whole
          && o.checksum() != null
          && "ENABLED".equalsIgnoreCase(r.header("x-amz-checksum-mode"))
          && (partNumber == null || o.partSizes().isEmpty())) {
        resp.header(o.checksum().header(), o.checksumValue())
            .header("x-amz-checksum-type", o.checksumType());
      }
      return resp;
    }
  }

  SandboxResponse deleteObject(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkVersionId(r);
    String ifMatch = r.header("if-match");
    if (ifMatch != null) {
      S3Object o = store.get(b, t.key());
      if (o == null) {
        throw S3Errors.noSuchKey(t.key());
      }
      if (!Conditions.etagMatches(ifMatch, o.etag())) {
        throw S3Errors.preconditionFailed("If-Match");
      }
    }
    store.delete(b, t.key());
    return SandboxResponse.empty(204);
  }

  SandboxResponse deleteObjects(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    Payload.requireChecksum(r);
    Element root = S3Wire.parseXml(Payload.of(r, false).data(), "Delete");
    String quietText = S3Wire.childText(root, "Quiet");
    boolean quiet = quietText != null && quietText.trim().equalsIgnoreCase("true");
    List<Element> objects = S3Wire.children(root, "Object");
    if (objects.isEmpty() || objects.size() > 1000) {
      throw S3Errors.malformedXml();
    }
    Xml x = new Xml().open("DeleteResult", S3Wire.NAMESPACE);
    for (Element e : objects) {
      String key = S3Wire.childText(e, "Key");
      if (key == null) {
        throw S3Errors.malformedXml();
      }
      String versionId = S3Wire.childText(e, "VersionId");
      if (versionId != null && !versionId.equals("null")) {
        x.open("Error")
            .element("Key", key)
            .element("VersionId", versionId)
            .element("Code", "NoSuchVersion")
            .element("Message", "The specified version does not exist.")
            .close("Error");
        continue;
      }
      store.delete(b, key);
      if (!quiet) {
        x.open("Deleted").element("Key", key).element("VersionId", versionId).close("Deleted");
      }
    }
    return S3Wire.xml(200, x.close("DeleteResult"));
  }

  SandboxResponse copyObject(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkKey(t.key());
    ObjectHeaders.checkAcl(r);
    String directive = upper(r.header("x-amz-metadata-directive"), "COPY");
    if (!directive.equals("COPY") && !directive.equals("REPLACE")) {
      throw S3Errors.invalidArgument(
          "Unknown metadata directive.", "x-amz-metadata-directive", directive);
    }
    String tagDirective = upper(r.header("x-amz-tagging-directive"), "COPY");
    if (!tagDirective.equals("COPY") && !tagDirective.equals("REPLACE")) {
      throw S3Errors.invalidArgument(
          "Unknown tagging directive.", "x-amz-tagging-directive", tagDirective);
    }
    S3Checksum requested = ObjectHeaders.checksumAlgorithmHeader(r);
    CopySource src = CopySource.read(store, r);
    S3Object so = src.object();
    S3Object.Attrs requestAttrs = ObjectHeaders.attrs(r);
    boolean self = src.bucket() == b && so.key().equals(t.key());
    if (self
        && directive.equals("COPY")
        && r.header("x-amz-storage-class") == null
        && r.header("x-amz-server-side-encryption") == null
        && r.header("x-amz-website-redirect-location") == null
        && requested == null) {
      throw S3Errors.invalidRequest(
          "This copy request is illegal because it is trying to copy an object to itself without"
              + " changing the object's metadata, storage class, website redirect location or"
              + " encryption attributes.");
    }
    S3Object.Attrs attrs =
        new S3Object.Attrs(
            directive.equals("REPLACE") ? requestAttrs.headers() : so.attrs().headers(),
            directive.equals("REPLACE") ? requestAttrs.metadata() : so.attrs().metadata(),
            r.header("x-amz-storage-class") != null
                ? requestAttrs.storageClass()
                : so.attrs().storageClass(),
            r.header("x-amz-server-side-encryption") != null
                ? requestAttrs.sse()
                : so.attrs().sse(),
            tagDirective.equals("REPLACE") ? requestAttrs.tags() : so.attrs().tags());
    // A copy is a single-part object: a composite (multipart) checksum cannot carry over.
    S3Checksum algorithm =
        requested != null
            ? requested
            : so.checksum() != null && S3Checksum.FULL_OBJECT.equals(so.checksumType())
                ? so.checksum()
                : S3Checksum.CRC64NVME;
    byte[] data = src.data();
    S3Object o =
        new S3Object(
            t.key(),
            store.newBlob(b, data),
            S3Wire.quotedMd5(S3Checksum.md5(data)),
            S3Store.now(),
            attrs,
            algorithm,
            algorithm.base64(data),
            S3Checksum.FULL_OBJECT,
            List.of());
    store.put(b, o, null, false);
    Xml x =
        new Xml()
            .open("CopyObjectResult", S3Wire.NAMESPACE)
            .element("ETag", o.etag())
            .element("LastModified", S3Wire.isoDate(o.lastModified()))
            .element(algorithm.member(), o.checksumValue())
            .element("ChecksumType", S3Checksum.FULL_OBJECT)
            .close("CopyObjectResult");
    return S3Wire.xml(200, x).header("x-amz-server-side-encryption", attrs.sse());
  }

  private static String upper(String value, String dflt) {
    return value == null ? dflt : value.trim().toUpperCase(Locale.ROOT);
  }
}
