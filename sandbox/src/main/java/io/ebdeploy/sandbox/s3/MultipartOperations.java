package io.ebdeploy.sandbox.s3;

import io.ebdeploy.sandbox.service.SandboxRequest;
import io.ebdeploy.sandbox.service.SandboxResponse;
import io.ebdeploy.sandbox.service.Xml;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload
 * (part order, sizes, ETags and composite or full-object checksums), AbortMultipartUpload,
 * ListParts.
 */
final class MultipartOperations {
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  private final S3Store store;
  private final BucketOperations buckets;

  MultipartOperations(S3Store store, BucketOperations buckets) {
    this.store = store;
    this.buckets = buckets;
  }

  private S3Upload upload(SandboxRequest r, S3Bucket b, Target t) {
    String id = r.query().get("uploadId");
    S3Upload u = store.upload(id, b.name, t.key());
    if (u == null) {
      throw S3Errors.noSuchUpload(id);
    }
    return u;
  }

  SandboxResponse createMultipartUpload(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    ObjectHeaders.checkKey(t.key());
    ObjectHeaders.checkAcl(r);
    S3Checksum algorithm = ObjectHeaders.checksumAlgorithmHeader(r);
    String type = r.header("x-amz-checksum-type");
    if (type != null) {
      type = type.trim().toUpperCase(Locale.ROOT);
      if (!type.equals(S3Checksum.FULL_OBJECT) && !type.equals(S3Checksum.COMPOSITE)) {
        throw S3Errors.invalidRequest("Value for x-amz-checksum-type header is invalid.");
      }
      if (algorithm == null) {
        throw S3Errors.invalidRequest(
            "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm"
                + " header.");
      }
    }
    if (algorithm != null) {
      if (type == null) {
        type = algorithm == S3Checksum.CRC64NVME ? S3Checksum.FULL_OBJECT : S3Checksum.COMPOSITE;
      }
      if (type.equals(S3Checksum.FULL_OBJECT) && !algorithm.isCrc()) {
        throw S3Errors.invalidRequest(
            "The FULL_OBJECT checksum type cannot be used with the "
                + algorithm.lowerName()
                + " checksum algorithm.");
      }
      if (type.equals(S3Checksum.COMPOSITE) && algorithm == S3Checksum.CRC64NVME) {
        throw S3Errors.invalidRequest(
            "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
      }
    }
    S3Upload u = store.createUpload(b, t.key(), ObjectHeaders.attrs(r), algorithm, type);
    Xml x =
        new Xml()
            .open("InitiateMultipartUploadResult", S3Wire.NAMESPACE)
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("UploadId", u.id)
            .close("InitiateMultipartUploadResult");
    SandboxResponse resp = S3Wire.xml(200, x).header("x-amz-server-side-encryption", u.attrs.sse());
    if (algorithm != null) {
      resp.header("x-amz-checksum-algorithm", algorithm.name()).header("x-amz-checksum-type", type);
    }
    return resp;
  }

  SandboxResponse uploadPart(SandboxRequest r, Target t, boolean copy) {
    S3Bucket b = buckets.addressed(r, t);
    int number = S3Wire.partNumber(String.valueOf(r.query().get("partNumber")));
    S3Upload u = upload(r, b, t);
    byte[] data;
    S3Checksum checksum;
    String value;
    CopySource src = null;
    if (copy) {
      src = CopySource.read(store, r);
      data = src.data();
      String range = r.header("x-amz-copy-source-range");
      if (range != null) {
        long[] rg = Conditions.copyRange(range, data.length);
        data = Arrays.copyOfRange(data, (int) rg[0], (int) rg[1] + 1);
      }
      checksum = u.checksum;
      value = checksum == null ? null : checksum.base64(data);
    } else {
      Payload p = Payload.of(r, false);
      data = p.data();
      checksum = p.checksum();
      value = p.checksumValue();
      if (u.checksum != null) {
        if (checksum == null) {
          if (S3Checksum.COMPOSITE.equals(u.checksumType)) {
            throw S3Errors.invalidRequest(
                "Checksum Type mismatch occurred, expected checksum Type: "
                    + u.checksum.lowerName()
                    + ", actual checksum Type: null");
          }
          checksum = u.checksum;
          value = checksum.base64(data);
        } else if (checksum != u.checksum) {
          throw S3Errors.invalidRequest(
              "Checksum Type mismatch occurred, expected checksum Type: "
                  + u.checksum.lowerName()
                  + ", actual checksum Type: "
                  + checksum.lowerName());
        }
      }
    }
    String etag = S3Wire.quotedMd5(S3Checksum.md5(data));
    S3Part part = store.putPart(u, number, data, etag, checksum, value);
    if (copy) {
      Xml x =
          new Xml()
              .open("CopyPartResult", S3Wire.NAMESPACE)
              .element("ETag", etag)
              .element("LastModified", S3Wire.isoDate(part.lastModified()));
      if (checksum != null) {
        x.element(checksum.member(), value);
      }
      return S3Wire.xml(200, x.close("CopyPartResult"))
          .header("x-amz-server-side-encryption", u.attrs.sse());
    }
    SandboxResponse resp =
        SandboxResponse.empty(200)
            .header("ETag", etag)
            .header("x-amz-server-side-encryption", u.attrs.sse());
    if (checksum != null) {
      resp.header(checksum.header(), value);
    }
    return resp;
  }

  /** One {@code <Part>} of a CompleteMultipartUpload request. */
  private record ListedPart(int number, String etag, Map<S3Checksum, String> checksums) {}

  SandboxResponse completeMultipartUpload(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    S3Upload u = upload(r, b, t);
    String ifMatch = r.header("if-match");
    boolean ifNoneMatchStar = Conditions.writeCondition(r);
    Element root = S3Wire.parseXml(Payload.of(r, false).data(), "CompleteMultipartUpload");
    List<ListedPart> listed = new ArrayList<>();
    for (Element e : S3Wire.children(root, "Part")) {
      String n = S3Wire.childText(e, "PartNumber");
      String etag = S3Wire.childText(e, "ETag");
      if (n == null || etag == null) {
        throw S3Errors.malformedXml();
      }
      int number;
      try {
        number = Integer.parseInt(n.trim());
      } catch (NumberFormatException ex) {
        throw S3Errors.malformedXml();
      }
      Map<S3Checksum, String> sums = new EnumMap<>(S3Checksum.class);
      for (S3Checksum c : S3Checksum.values()) {
        String v = S3Wire.childText(e, c.member());
        if (v != null) {
          sums.put(c, v.trim());
        }
      }
      listed.add(new ListedPart(number, etag.trim(), sums));
    }
    if (listed.isEmpty()) {
      throw S3Errors.malformedXml();
    }
    store.checkWrite(b, t.key(), ifMatch, ifNoneMatchStar);
    S3Object o;
    synchronized (u) {
      if (u.done) {
        throw S3Errors.noSuchUpload(u.id);
      }
      List<S3Part> parts = selectParts(u, listed);
      List<Long> sizes = new ArrayList<>();
      byte[] md5s = new byte[16 * parts.size()];
      for (int i = 0; i < parts.size(); i++) {
        S3Part p = parts.get(i);
        sizes.add(p.blob().size());
        System.arraycopy(S3Checksum.unhex(Conditions.unquote(p.etag())), 0, md5s, 16 * i, 16);
        if (i < parts.size() - 1 && p.blob().size() < MIN_PART_SIZE) {
          throw S3Errors.error(
              400,
              "EntityTooSmall",
              "Your proposed upload is smaller than the minimum allowed size",
              "ProposedSize",
              String.valueOf(p.blob().size()),
              "MinSizeAllowed",
              String.valueOf(MIN_PART_SIZE),
              "PartNumber",
              String.valueOf(p.number()),
              "ETag",
              Conditions.unquote(p.etag()));
        }
      }
      String etag = "\"" + S3Checksum.hex(S3Checksum.md5(md5s)) + "-" + parts.size() + "\"";
      S3Checksum algorithm = u.checksum == null ? S3Checksum.CRC64NVME : u.checksum;
      String type = u.checksum == null ? S3Checksum.FULL_OBJECT : u.checksumType;
      boolean composite = type.equals(S3Checksum.COMPOSITE);
      S3Store.Assembled a = store.assemble(b, parts, composite ? null : algorithm);
      String value;
      if (composite) {
        byte[] raw = new byte[algorithm.length() * parts.size()];
        for (int i = 0; i < parts.size(); i++) {
          byte[] d = Base64.getDecoder().decode(parts.get(i).checksumValue());
          System.arraycopy(d, 0, raw, algorithm.length() * i, algorithm.length());
        }
        value = algorithm.base64(raw) + "-" + parts.size();
      } else {
        value = Base64.getEncoder().encodeToString(a.digest());
        String claimed = r.header(algorithm.header());
        if (u.checksum != null && claimed != null && !claimed.trim().equals(value)) {
          store.discard(a.blob());
          throw S3Errors.badDigest(algorithm);
        }
      }
      o =
          new S3Object(
              t.key(),
              a.blob(),
              etag,
              S3Store.now(),
              u.attrs,
              algorithm,
              value,
              type,
              List.copyOf(sizes));
      store.put(b, o, ifMatch, ifNoneMatchStar);
      store.end(u);
    }
    String host = r.header("host") == null ? "127.0.0.1" : r.header("host");
    Xml x =
        new Xml()
            .open("CompleteMultipartUploadResult", S3Wire.NAMESPACE)
            .element("Location", "http://" + host + "/" + b.name + "/" + S3Wire.pathEncode(t.key()))
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("ETag", o.etag())
            .element(o.checksum().member(), o.checksumValue())
            .element("ChecksumType", o.checksumType())
            .close("CompleteMultipartUploadResult");
    return S3Wire.xml(200, x).header("x-amz-server-side-encryption", o.attrs().sse());
  }

  /**
   * The stored parts a Complete request names, checked as S3 checks them: ascending part numbers
   * (InvalidPartOrder), each uploaded with that ETag and checksum (InvalidPart), and every part's
   * checksum listed when the upload was created with a composite checksum algorithm.
   */
  private static List<S3Part> selectParts(S3Upload u, List<ListedPart> listed) {
    List<S3Part> parts = new ArrayList<>();
    int previous = 0;
    for (ListedPart l : listed) {
      if (l.number() <= previous) {
        throw S3Errors.error(
            400,
            "InvalidPartOrder",
            "The list of parts was not in ascending order. Parts must be ordered by part number.",
            "UploadId",
            u.id);
      }
      previous = l.number();
      S3Part p = u.parts.get(l.number());
      if (p == null || !Conditions.unquote(l.etag()).equals(Conditions.unquote(p.etag()))) {
        throw S3Errors.invalidPart();
      }
      if (p.checksum() != null) {
        String given = l.checksums().get(p.checksum());
        if (given == null) {
          if (u.checksum != null && S3Checksum.COMPOSITE.equals(u.checksumType)) {
            throw S3Errors.invalidRequest(
                "The upload was created using a "
                    + u.checksum.lowerName()
                    + " checksum. The complete request must include the checksum for each part."
                    + " It was missing for part "
                    + l.number()
                    + " in the request.");
          }
          if (u.checksum == null) {
            // A part sent with a checksum to an upload created without one (what the SDKs do by
            // default since 2025): S3 then wants that checksum in the Complete request.
            throw S3Errors.invalidPart();
          }
        } else if (!given.equals(p.checksumValue())) {
          throw S3Errors.invalidPart();
        }
      }
      parts.add(p);
    }
    return parts;
  }

  SandboxResponse abortMultipartUpload(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    store.end(upload(r, b, t));
    return SandboxResponse.empty(204);
  }

  SandboxResponse listParts(SandboxRequest r, Target t) {
    S3Bucket b = buckets.addressed(r, t);
    S3Upload u = upload(r, b, t);
    Map<String, String> q = r.query();
    int max = 1000;
    if (q.get("max-parts") != null) {
      max = Math.min(1000, S3Wire.parseInt(q.get("max-parts"), "max-parts", 0, Integer.MAX_VALUE));
    }
    int marker = 0;
    if (q.get("part-number-marker") != null) {
      marker =
          S3Wire.parseInt(q.get("part-number-marker"), "part-number-marker", 0, Integer.MAX_VALUE);
    }
    List<S3Part> parts = new ArrayList<>(u.parts.tailMap(marker, false).values());
    boolean truncated = parts.size() > max;
    if (truncated) {
      parts = parts.subList(0, max);
    }
    Xml x =
        new Xml()
            .open("ListPartsResult", S3Wire.NAMESPACE)
            .element("Bucket", b.name)
            .element("Key", t.key())
            .element("UploadId", u.id)
            .element("PartNumberMarker", marker);
    if (!parts.isEmpty()) {
      x.element("NextPartNumberMarker", parts.get(parts.size() - 1).number());
    }
    x.element("MaxParts", max).element("IsTruncated", truncated);
    for (S3Part p : parts) {
      x.open("Part")
          .element("PartNumber", p.number())
          .element("LastModified", S3Wire.isoDate(p.lastModified()))
          .element("ETag", p.etag())
          .element("Size", p.blob().size());
      if (p.checksum() != null) {
        x.element(p.checksum().member(), p.checksumValue());
      }
      x.close("Part");
    }
    x.open("Initiator")
        .element("ID", S3Wire.OWNER_ID)
        .close("Initiator")
        .open("Owner")
        .element("ID", S3Wire.OWNER_ID)
        .close("Owner")
        .element("StorageClass", u.attrs.storageClass());
    if (u.checksum != null) {
      x.element("ChecksumAlgorithm", u.checksum.name()).element("ChecksumType", u.checksumType);
    }
    return S3Wire.xml(200, x.close("ListPartsResult"));
  }
}
