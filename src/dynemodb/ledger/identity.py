"""Ledger ids for S3 objects: by key, or by key and content version, so an overwritten object is new.

An id is `s3://bucket/key`, optionally followed by `?versionId=V` or `?etag=E` (the version or ETag
percent-encoded, so the suffix holds no `?`). The key stays as S3 has it, so ids read like the S3 URIs
people type. Use one scheme per table: the same object has a different id under each.

Why each (see docs/ledger.md, "Content identity"):
- versionId: S3 gives every write of a key a new, never reused version id when the bucket has
  versioning enabled, and GetObject(VersionId=...) reads exactly those bytes even after an overwrite.
  The version id "null" is what objects written while versioning was off or suspended carry; an
  overwrite keeps it, so it identifies nothing and is refused.
- etag: without versioning, the ETag changes whenever the content does. Identical bytes uploaded the
  same way give the same ETag (no reload, as it should be); a multipart upload or SSE-KMS gives an
  ETag that is not an MD5, so the same bytes uploaded differently count as new (a reload, never a
  skip). GetObject(IfMatch=etag) refuses to read a newer object under the old id.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

SCHEME = "s3://"
_VERSION = "?versionId="
_ETAG = "?etag="
NULL_VERSION = "null"


@dataclass(frozen=True)
class S3Object:
    """What a ledger id names: an object, and the version or ETag it must have when loaded."""

    bucket: str
    key: str
    version_id: str | None = None
    etag: str | None = None

    def get_object_args(self) -> dict[str, str]:
        """Arguments for s3.get_object that read exactly this content, or fail (412) if it changed."""
        args = {"Bucket": self.bucket, "Key": self.key}
        if self.version_id is not None:
            args["VersionId"] = self.version_id
        if self.etag is not None:
            args["IfMatch"] = f'"{self.etag}"'
        return args


def s3_file_id(bucket: str, key: str, *, version_id: str | None = None, etag: str | None = None) -> str:
    """The ledger id of an object; with version_id or etag, one id per content version."""
    if not isinstance(bucket, str) or not bucket or "/" in bucket:
        raise ValueError(f"bucket must be a bucket name such as 'landing', got {bucket!r}")
    if not isinstance(key, str) or not key:
        raise ValueError(f"key must be a non-empty object key such as '2024/05/01/orders.csv', got {key!r}")
    if version_id is not None and etag is not None:
        raise ValueError("pass version_id or etag, not both: a table keys files by one of them")
    base = f"{SCHEME}{bucket}/{key}"
    if version_id is not None:
        if not isinstance(version_id, str) or not version_id:
            raise ValueError(f"version_id must be the object's S3 version id, got {version_id!r}")
        if version_id == NULL_VERSION:
            raise ValueError(
                f"s3://{bucket}/{key} has the version id 'null': it was written while the bucket's versioning "
                "was off or suspended, and an overwrite keeps that id; key this bucket by etag instead"
            )
        return f"{base}{_VERSION}{quote(version_id, safe='')}"
    if etag is not None:
        # HeadObject and GetObject quote the ETag; S3 event notifications do not. One id for both.
        bare = etag.strip('"') if isinstance(etag, str) else ""
        if not bare:
            raise ValueError(f"etag must be the object's ETag, got {etag!r}")
        return f"{base}{_ETAG}{quote(bare, safe='')}"
    return base


def parse_s3_file_id(file_id: str) -> S3Object:
    """The object an id made by s3_file_id names (a plain s3://bucket/key as well)."""
    if not isinstance(file_id, str) or not file_id.startswith(SCHEME) or "/" not in file_id[len(SCHEME) :]:
        raise ValueError(f"not an S3 ledger id such as 's3://bucket/key': {file_id!r}")
    bucket, rest = file_id[len(SCHEME) :].split("/", 1)
    for marker, field in ((_VERSION, "version_id"), (_ETAG, "etag")):
        key, found, suffix = rest.rpartition(marker)
        if found and key and suffix and "?" not in suffix:
            return S3Object(bucket, key, **{field: unquote(suffix)})
    return S3Object(bucket, rest)
