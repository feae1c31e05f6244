import { expect } from 'chai';
import { relativeToRoot } from '../src/node/app-root.js';
import type { FaultlineEvent } from '../src/shared/types.js';

describe('node: frames relative to the app root', () => {
  it('shortens app frames, keeps abs_path, and leaves dependencies and outside files alone', () => {
    const event = {
      exception: {
        values: [
          {
            type: 'E',
            stacktrace: {
              frames: [
                { filename: 'node:internal/process/task_queues', abs_path: 'node:internal/process/task_queues' },
                { filename: '/srv/shop-2/node_modules/express/lib/router.js', abs_path: '/srv/shop-2/node_modules/express/lib/router.js' },
                { filename: '/srv/shop-2/dist/cart.js', abs_path: 'file:///srv/shop-2/dist/cart.js' },
                { filename: '/srv/shop-20/dist/other.js' },
              ],
            },
          },
        ],
      },
    } as unknown as FaultlineEvent;
    relativeToRoot(event, '/srv/shop-2');
    expect(event.exception!.values![0].stacktrace!.frames.map((f) => f.filename)).to.deep.equal([
      'node:internal/process/task_queues',
      '/srv/shop-2/node_modules/express/lib/router.js',
      'dist/cart.js',
      '/srv/shop-20/dist/other.js',
    ]);
    expect(event.exception!.values![0].stacktrace!.frames[2].abs_path).to.equal('file:///srv/shop-2/dist/cart.js');
  });
});
