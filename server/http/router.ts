import type { AnyRoute, HttpMethod } from './route';

/** Exact-path lookup table built once from the route declarations. */
export class Router {
  private readonly byPath = new Map<string, Map<HttpMethod, AnyRoute>>();
  /** First path segments owned by the REST API (unknown paths under them answer JSON 404). */
  readonly sections = new Set<string>();

  constructor(routes: readonly AnyRoute[]) {
    for (const route of routes) {
      let methods = this.byPath.get(route.path);
      if (!methods) this.byPath.set(route.path, (methods = new Map()));
      if (methods.has(route.method)) throw new Error(`route declared twice: ${route.method} ${route.path}`);
      methods.set(route.method, route);
      this.sections.add(route.path.split('/')[1]);
    }
  }

  /** The route for a method and path; `allowed` lists methods when only the path matched. */
  match(method: string, path: string): { route?: AnyRoute; allowed?: HttpMethod[] } {
    const methods = this.byPath.get(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
    if (!methods) return {};
    const route = methods.get(method as HttpMethod) ?? (method === 'HEAD' ? methods.get('GET') : undefined);
    return route ? { route } : { allowed: [...methods.keys()] };
  }
}
