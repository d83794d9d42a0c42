import { createHash, timingSafeEqual } from 'node:crypto';
import { type ApiKeyConfig } from '@kairos/config';

/**
 * Finds the configured key matching a presented secret. Every configured key is compared, each
 * in constant time over SHA-256 digests, so timing reveals neither which key nor how much of it
 * matched; secrets are never stored or logged in plain form.
 */
export class ApiKeyAuthenticator {
  private readonly digests: ReadonlyArray<readonly [ApiKeyConfig, Buffer]>;

  constructor(keys: readonly ApiKeyConfig[]) {
    this.digests = keys.map((key) => [key, Buffer.from(key.sha256, 'hex')] as const);
  }

  authenticate(secret: string): ApiKeyConfig | null {
    const presented = createHash('sha256').update(secret, 'utf8').digest();
    let found: ApiKeyConfig | null = null;
    for (const [key, digest] of this.digests) {
      if (timingSafeEqual(presented, digest) && found === null) found = key;
    }
    return found;
  }
}
