import type { NextFunction, Request, Response } from 'express';

/** A method the path does not have; the exception filter answers 405 with `Allow`. */
export class MethodNotAllowedError extends Error {
  constructor(
    readonly method: string,
    readonly allowed: string[],
  ) {
    super(`${method} is not allowed here; allowed: ${allowed.join(', ')}`);
    this.name = 'MethodNotAllowedError';
  }
}

/** What the middleware reads of an Express router layer. */
export interface RouterLayer {
  route?: { path: string; _methods(): string[] };
  match(path: string): unknown;
}

function paramCount(routePath: string): number {
  return (routePath.match(/[:*]/g) ?? []).length;
}

/**
 * The methods the router has for `path` (HEAD wherever GET is). As in OpenAPI, a concrete path
 * wins over a templated one: `/sessions/mfa` is not `/sessions/{sessionId}`, so only the routes
 * with the fewest parameters count. Empty when no route matches the path at all (a 404).
 */
export function methodsOf(layers: readonly RouterLayer[], path: string): string[] {
  const matching = layers.filter((layer) => layer.route && layer.match(path));
  if (matching.length === 0) return [];
  const fewest = Math.min(...matching.map((l) => paramCount(l.route?.path ?? '')));
  const methods = new Set<string>();
  for (const layer of matching.filter((l) => paramCount(l.route?.path ?? '') === fewest)) {
    for (const m of layer.route?._methods() ?? []) methods.add(m.toUpperCase());
  }
  if (methods.has('_ALL')) return [];
  return [...methods].sort();
}

/** Paths whose allowed methods the middleware remembers at most. */
export const METHODS_MEMO_LIMIT = 10_000;

/**
 * Runs before routing, so before guards and pipes: a path that exists without this method is a
 * 405 whatever a templated route beside it would have said (a 403 from its guard, a 400 for an
 * ID that is a path segment).
 */
export function methodNotAllowedMiddleware(
  routes: () => readonly RouterLayer[],
): (req: Request, res: Response, next: NextFunction) => void {
  // The answer for a path depends only on the routes, which are fixed once the application is
  // initialised: remembered per path instead of matching every route on every request (1.7% of
  // the API's CPU under `npm run bench`). Bounded: paths carry IDs, so the memo starts over when
  // full, and when the routes change (while Nest registers them).
  const memo = new Map<string, string[]>();
  let routeCount = -1;
  return (req, _res, next) => {
    const layers = routes();
    if (layers.length !== routeCount) {
      memo.clear();
      routeCount = layers.length;
    }
    let allowed = memo.get(req.path);
    if (!allowed) {
      allowed = methodsOf(layers, req.path);
      if (memo.size >= METHODS_MEMO_LIMIT) memo.clear();
      memo.set(req.path, allowed);
    }
    if (allowed.length > 0 && !allowed.includes(req.method.toUpperCase())) {
      next(new MethodNotAllowedError(req.method, allowed));
      return;
    }
    next();
  };
}
