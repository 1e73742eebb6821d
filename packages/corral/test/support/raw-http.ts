// An HTTP request with exactly the headers given — node:http with setHost false, as fetch will not send a foreign (or
// missing) Host — for the routes that answer by the Host header and the connection's address (mailbox, metrics).
import { request } from 'node:http';

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  host: string;
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** false: a connection of its own (no keep-alive agent). */
  agent?: false;
}

export function rawRequest(r: RawRequest): Promise<RawAnswer> {
  return new Promise((ok, fail) => {
    const { host, port, path, method, headers = {}, agent } = r;
    const req = request({ host, port, path, method, headers, setHost: false, ...(agent === false ? { agent } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}
