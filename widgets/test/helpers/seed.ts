import { randomBytes } from 'node:crypto';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';

/** An error event with an in-app and a library frame, source context and a breadcrumb; its own issue per `n`. */
export function errorEvent(n: number | string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: randomBytes(16).toString('hex'),
    timestamp: new Date(Date.now() - 3600_000 + (typeof n === 'number' ? n : Number.parseInt(n, 10) || 0) * 1000).toISOString(),
    level: 'error',
    platform: 'javascript',
    release: 'shop@1.4.2',
    environment: 'production',
    fingerprint: [`seed-${n}`],
    tags: { route: '/checkout' },
    user: { id: `user-${n}`, email: `buyer${n}@example.com` },
    request: { method: 'POST', url: `https://shop.example/checkout/${n}` },
    exception: {
      values: [
        {
          type: `SeedError${n}`,
          value: `seeded failure number ${n}`,
          stacktrace: {
            frames: [
              { filename: 'node_modules/express/lib/router/layer.js', function: 'Layer.handle', lineno: 95, colno: 5, in_app: false },
              {
                filename: 'src/checkout.js',
                function: 'chargeCard',
                lineno: 42,
                colno: 11,
                in_app: true,
                pre_context: ['function chargeCard(card) {', '  if (!card.valid) {'],
                context_line: "    throw new Error('card declined');",
                post_context: ['  }', '}'],
              },
            ],
          },
        },
      ],
    },
    breadcrumbs: [{ timestamp: new Date().toISOString(), category: 'ui.click', message: `clicked buy button ${n}`, level: 'info' }],
    ...overrides,
  };
}

/**
 * Stores events through the real pipeline, one commit each so that issues are last seen in the order
 * given; resolves once they are committed.
 */
export async function seed(server: PostgresTestServer, events: Array<Record<string, unknown>>, projectId = server.project.id): Promise<void> {
  for (let i = 0; i < events.length; i++) {
    const result = await server.faultline.ingest(projectId, [events[i]]);
    if (result.rejected.length > 0) throw new Error(`seed rejected: ${JSON.stringify(result.rejected[0])}`);
  }
}
