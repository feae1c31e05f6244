import type { Request } from 'express';
import proxyAddr from 'proxy-addr';

/** The client's address: Faultline's own trust-proxy setting if given, else the host app's (req.ip). */
export function clientIpResolver(trustProxy: boolean | number | string | string[] | null): (req: Request) => string | undefined {
  if (trustProxy === null) return (req) => req.ip;
  const trust =
    typeof trustProxy === 'boolean'
      ? () => trustProxy
      : typeof trustProxy === 'number'
        ? (_addr: string, i: number) => i < trustProxy
        : proxyAddr.compile(trustProxy);
  return (req) => proxyAddr(req, trust);
}
