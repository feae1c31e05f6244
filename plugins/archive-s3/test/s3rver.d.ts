declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  export default class S3rver {
    constructor(options: { address?: string; port?: number; silent?: boolean; directory: string; configureBuckets?: Array<{ name: string }>; resetOnClose?: boolean });
    run(): Promise<AddressInfo>;
    /** Koa's middleware list (s3rver is a Koa app). */
    middleware: Array<(ctx: { method: string; url: string; status: number; body: unknown }, next: () => Promise<void>) => Promise<void>>;
    close(): Promise<void>;
  }
}
