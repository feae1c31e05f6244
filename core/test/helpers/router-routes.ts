import type { Router } from 'express';

/** `METHOD /path` of a route an Express router answers, with `{name}` for `:name` as OpenAPI writes it. */
export interface RouterRoute {
  method: string;
  path: string;
}

/**
 * Every route in an Express router's stack, through routers mounted in it with `use(router)`. Middleware
 * that matches paths by itself (the ingest fast path, widgets.js) is invisible here: test those apart.
 */
export function routerRoutes(router: Router): RouterRoute[] {
  const out: RouterRoute[] = [];
  walk((router as unknown as { stack: any[] }).stack);
  return out;

  function walk(stack: any[]): void {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          for (const path of [layer.route.path].flat()) out.push({ method: method.toUpperCase(), path: String(path).replace(/:(\w+)/g, '{$1}') });
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        // a router mounted at a path would need that path prefixed; none is, and this says so if one comes
        if (!layer.slash) throw new Error('A router is mounted at a path other than "/": teach routerRoutes() its prefix');
        walk(layer.handle.stack);
      }
    }
  }
}
