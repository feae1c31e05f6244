import type { Request } from 'express';
import proxyAddr from 'proxy-addr';

/** The client's address: Faultline's own trust-proxy setting if given, else the host app's (req.ip). */
export function clientIpResolver(trustProxy: boolean | number | string | string[] | null): (req: Request) => string | undefined {
  if (trustProxy === null) return (req) => unmapIpv4(req.ip);
  const trust =
    typeof trustProxy === 'boolean'
      ? () => trustProxy
      : typeof trustProxy === 'number'
        ? (_addr: string, i: number) => i < trustProxy
        : proxyAddr.compile(trustProxy);
  return (req) => unmapIpv4(proxyAddr(req, trust));
}

/** A dual-stack socket reports an IPv4 client as `::ffff:1.2.3.4`; it is stored as the IPv4 address it is. */
export function unmapIpv4(ip: string | undefined): string | undefined {
  return ip && /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(ip) ? ip.slice(7) : ip;
}
