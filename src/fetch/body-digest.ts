// The sha256 of a body, taken as it arrives. A file served with no validators (no ETag, no
// Last-Modified) is downloaded whole at every poll and is almost always the same bytes: the
// process keeps the last such body and compares the new one with it as it comes (a memcmp, ~0.5
// ms for OFAC's 3.5 MB where sha256 takes ~3), hashing only from the first byte that differs.
// The stored digest is still sha256 of the bytes, whichever way it was reached.
import { createHash, type Hash } from 'node:crypto';

/** A body as received, in parts (its chunks, or one buffer once joined). */
export interface BodyParts {
  readonly size: number;
  parts(): readonly Buffer[];
}

interface Kept {
  body: BodyParts;
  digest: string;
}

/**
 * How much the process keeps: OFAC's three SDN files are 3.5 MB, a 4,000-row CSL CSV 2.7 MB; a
 * file over a quarter of it is hashed every time rather than pushing out the others.
 */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;
const kept = new Map<string, Kept>();
let keptBytes = 0;

function drop(url: string): void {
  const k = kept.get(url);
  if (!k) return;
  kept.delete(url);
  keptBytes -= k.body.size;
}

/** Keeps a body answered without validators (the next poll downloads it again); the oldest go first. */
export function keepBody(url: string, body: BodyParts, digest: string): void {
  drop(url);
  if (body.size > MAX_KEPT_BYTES / 4) return;
  kept.set(url, { body, digest });
  keptBytes += body.size;
  for (const old of kept.keys()) {
    if (keptBytes <= MAX_KEPT_BYTES) break;
    drop(old);
  }
}

/** A body now answered with validators is fetched conditionally: nothing to compare with. */
export const forgetBody = drop;

/**
 * Compares the arriving bytes with the kept body while they match; from the first difference
 * (or with nothing kept) hashes them, starting over the matched prefix from the kept copy.
 */
export class BodyDigest {
  private hash: Hash | null;
  private size = 0;
  /** Where the next byte falls in the kept body: part, and offset in it. */
  private part = 0;
  private offset = 0;
  private readonly kept: Kept | undefined;
  /** The kept body's parts as they were at the start: a poll reading that body may join it meanwhile. */
  private readonly parts: readonly Buffer[];

  /** `url`: the address whose kept body to compare with; null to hash. */
  constructor(url: string | null) {
    const k = url === null ? undefined : kept.get(url);
    if (url !== null && k) {
      // Most recently used last: the first to go is the one compared longest ago.
      kept.delete(url);
      kept.set(url, k);
    }
    this.kept = k;
    this.parts = this.kept?.body.parts() ?? [];
    this.hash = this.kept ? null : createHash('sha256');
  }

  update(chunk: Buffer): void {
    if (!this.hash && !this.follows(chunk)) {
      this.hash = createHash('sha256');
      this.hashKept(this.size);
    }
    this.hash?.update(chunk);
    this.size += chunk.length;
  }

  /** sha256 of everything received; `same` when it is the kept body byte for byte (so not hashed). */
  digest(): { digest: string; same: boolean } {
    if (this.hash) return { digest: this.hash.digest('hex'), same: false };
    if (this.size === this.kept!.body.size) return { digest: this.kept!.digest, same: true };
    // A prefix of the kept body: the same bytes, cut short.
    this.hash = createHash('sha256');
    this.hashKept(this.size);
    return { digest: this.hash.digest('hex'), same: false };
  }

  /** Whether the chunk continues the kept body; moves along it only if it does. */
  private follows(chunk: Buffer): boolean {
    const { parts } = this;
    let { part, offset } = this;
    for (let at = 0; at < chunk.length;) {
      const p = parts[part];
      if (!p) return false;
      const n = Math.min(chunk.length - at, p.length - offset);
      if (p.compare(chunk, at, at + n, offset, offset + n) !== 0) return false;
      at += n;
      offset += n;
      if (offset === p.length) {
        part++;
        offset = 0;
      }
    }
    this.part = part;
    this.offset = offset;
    return true;
  }

  private hashKept(bytes: number): void {
    for (const p of this.parts) {
      if (bytes <= 0) break;
      this.hash!.update(bytes >= p.length ? p : p.subarray(0, bytes));
      bytes -= p.length;
    }
  }
}
