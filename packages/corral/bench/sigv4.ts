// A cheap SigV4 signer for the load generator's admin calls (AdminGetUser, ListUsers): POST / with the JSON body, the
// four headers the AWS SDK signs for these calls, the signing key derived once. About 15 µs a request (two SHA-256s
// and an HMAC), so the generator's CPU stays small beside the server's; the SDK's signer costs ~10× that.
import { createHash, createHmac } from 'node:crypto';

export interface AdminKey {
  accessKeyId: string;
  secretAccessKey: string;
}

const SERVICE = 'cognito-idp';
const SIGNED = 'content-type;host;x-amz-date;x-amz-target';

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** `20261201T230000Z`. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class Signer {
  private readonly day: string;
  private readonly scope: string;
  private readonly key: Buffer;
  readonly date: string;

  /** Signs with the date `at` (the server accepts 15 minutes either side): the key is derived once here. */
  constructor(
    private readonly admin: AdminKey,
    private readonly host: string,
    region = 'us-east-1',
    at = Date.now(),
  ) {
    this.date = amzDate(at);
    this.day = this.date.slice(0, 8);
    this.scope = `${this.day}/${region}/${SERVICE}/aws4_request`;
    this.key = hmac(hmac(hmac(hmac(`AWS4${admin.secretAccessKey}`, this.day), region), SERVICE), 'aws4_request');
  }

  /** The headers of a signed `POST /` calling `target` with `body`. */
  headers(target: string, body: Buffer): Record<string, string> {
    const contentType = 'application/x-amz-json-1.1';
    const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${this.host}\nx-amz-date:${this.date}\nx-amz-target:${target}\n\n${SIGNED}\n${sha256Hex(body)}`;
    const toSign = `AWS4-HMAC-SHA256\n${this.date}\n${this.scope}\n${sha256Hex(canonical)}`;
    const signature = createHmac('sha256', this.key).update(toSign, 'utf8').digest('hex');
    return {
      'content-type': contentType,
      host: this.host,
      'x-amz-date': this.date,
      'x-amz-target': target,
      'content-length': String(body.length),
      authorization: `AWS4-HMAC-SHA256 Credential=${this.admin.accessKeyId}/${this.scope}, SignedHeaders=${SIGNED}, Signature=${signature}`,
    };
  }
}
