import type { NextFunction, Request, Response } from 'express';

/** Headers the Web UI (and the CLI) send to a remote codec: Temporal's protocol plus ours. */
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization, x-workflow-id, x-run-id, x-correlation-id';

/**
 * CORS of the codec server (mounted on /temporal-codec before routing): the Temporal Web UI runs
 * on another origin and calls /decode from the operator's browser with credentials (the codec
 * session cookie), so only the configured UI origins are answered, each by name (never `*`,
 * which browsers refuse with credentials). A preflight from another origin gets no CORS header
 * and the browser stops there.
 */
export function codecCorsMiddleware(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.header('origin');
    res.vary('Origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'x-correlation-id');
    }
    if (req.method === 'OPTIONS') {
      if (origin && allowed.has(origin)) {
        res.setHeader('Access-Control-Allow-Methods', 'POST, DELETE');
        res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.status(204).end();
      return;
    }
    next();
  };
}
