import type { NextFunction, Request, Response } from 'express';
import { MethodNotAllowedError, methodNotAllowedMiddleware, type RouterLayer } from './method-not-allowed';

/** A router layer for `path` with `methods`, counting how often it is matched. */
function layer(path: string, methods: string[], counter: { matches: number }): RouterLayer {
  const re = new RegExp(`^${path.replace(/:[^/]+/g, '[^/]+')}$`);
  return {
    route: { path, _methods: () => methods },
    match: (p: string) => {
      counter.matches += 1;
      return re.test(p);
    },
  };
}

function run(mw: ReturnType<typeof methodNotAllowedMiddleware>, method: string, path: string): unknown {
  let passed: unknown = 'not called';
  mw(
    { method, path } as Request,
    {} as Response,
    ((err?: unknown) => {
      passed = err;
    }) as NextFunction,
  );
  return passed;
}

describe('methodNotAllowedMiddleware', () => {
  it('answers 405 with the allowed methods, and lets a path it has through', () => {
    const counter = { matches: 0 };
    const layers = [
      layer('/sessions', ['get', 'post'], counter),
      layer('/sessions/:id', ['delete'], counter),
    ];
    const mw = methodNotAllowedMiddleware(() => layers);
    expect(run(mw, 'GET', '/sessions')).toBeUndefined();
    const refused = run(mw, 'PUT', '/sessions');
    expect(refused).toBeInstanceOf(MethodNotAllowedError);
    expect((refused as MethodNotAllowedError).allowed).toEqual(['GET', 'POST']);
    expect(run(mw, 'GET', '/nowhere')).toBeUndefined();
  });

  it('matches the routes once per path, and again when the routes change', () => {
    const counter = { matches: 0 };
    const layers = [layer('/sessions', ['get'], counter)];
    const mw = methodNotAllowedMiddleware(() => layers);
    run(mw, 'GET', '/sessions');
    const once = counter.matches;
    run(mw, 'GET', '/sessions');
    run(mw, 'POST', '/sessions');
    expect(counter.matches).toBe(once);
    layers.push(layer('/sessions', ['post'], counter));
    expect(run(mw, 'POST', '/sessions')).toBeUndefined();
    expect(counter.matches).toBeGreaterThan(once);
  });
});
