import http from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

/** A keep-alive loopback HTTP client: one agent, connections reused across requests. */
export function createHttpClient(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });

  function request(method: string, url: string, headers: Record<string, string>, body?: string | Buffer): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  return {
    request,
    close: () => agent.destroy(),
  };
}
